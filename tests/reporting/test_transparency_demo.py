"""The demo: vilans@ipvb.example is a reporting-party login that sees both demo organisations'
reports of the past months (and load_demo stays idempotent)."""

import io

import pytest
from django.core.management import call_command

from ipvb.models import User
from reporting.models import MonthlyReport
from reporting.parties import consenting_organisations, is_reporting_party, visible_reports
from reporting.transparency import load_schema

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_reporting_party_sees_both_organisations(client) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())  # idempotent
    vilans = User.objects.get(email="vilans@ipvb.example")
    assert is_reporting_party(vilans) and vilans.check_password("ipvb-demo-2026")
    assert consenting_organisations().count() == 2
    reports = list(visible_reports())
    assert len(reports) == 8 and {r.version for r in reports} == {1}
    assert MonthlyReport.objects.dangerously_unscoped().count() == 8
    for report in reports:
        jsonschema.validate(report.data, load_schema())
    client.force_login(vilans)
    assert client.get("/").url == "/vilans/"
    page = client.get("/vilans/").content.decode()
    assert "Zorggroep De Zonnehof" in page and "Stichting Het Lindehuis" in page
    assert len(client.get("/api/v1/reporting/reports/").json()) == 8
