"""Transparency reports (issue 12): the report's data, suppression, no personal data, consent,
versions and bad input, and the reporting party's API."""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
from decimal import Decimal

import jsonschema
import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from conversations.models import Conversation, PackageLine
from reporting.model_bases import ImmutableReportError
from reporting.models import MonthlyReport, ParticipationRecord, ReportBuild
from reporting.parties import GROUP_NAME, consenting_organisations
from reporting.snapshots import snapshots_build
from reporting.transparency import build_report_data, load_schema
from reporting.transparency_services import build_request, run_build
from reporting.views.transparency import render_report_pdf
from tests.conversations import builders as conv
from tests.factories import UserFactory
from tests.reporting.builders import agreed_package, consent

pytestmark = pytest.mark.django_db
D = Decimal
MONTH = datetime.date(2026, 1, 1)
MONDAY = datetime.date(2026, 1, 26)
FREE_TEXT = "Wil graag elke ochtend naar de tuin van Rozenoord"


TOTALS = [D("500.00"), D("700.00"), D("800.00"), D("900.00"), D("1000.00")]


def populate(world, n_5vv: int):  # type: ignore[no-untyped-def]
    """n clients 5VV (B = 819.73, totals from TOTALS) and one 7VV (total 800.00) with packages in
    force from 5 January 2026, and an intake conversation with free text each."""
    setup = conv.setup_a(world)
    clients = [setup["client"]] + [conv.client(world.org_a, world.dept_a) for _ in range(n_5vv - 1)]
    clients.append(conv.client(world.org_a, world.dept_a, profile="7VV"))
    totals = [*TOTALS[:n_5vv], D("800.00")]
    for person, total in zip(clients, totals, strict=True):
        package = agreed_package(world.org_a, person, total=total, start=datetime.date(2026, 1, 5), version=1)
        # Each package: a walk (wellbeing) of 47.00 per week and a hairdresser add-on of 24.50.
        PackageLine.objects.create(
            organisation=world.org_a,
            package=package,
            activity=setup["activities"]["WAN"],
            staff_level=setup["levels"]["welzijnsmedewerker"],
            minutes=45,
            occurrences_per_week=2,
            cost_per_week=D("47.00"),
            position=0,
        )
        PackageLine.objects.create(
            organisation=world.org_a,
            package=package,
            addon_item=setup["addon"],
            quantity_per_month=1,
            funding=PackageLine.Funding.PRIVATE,
            monthly_cost=D("24.50"),
            position=1,
        )
        Conversation.objects.for_organisation(world.org_a).filter(pk=package.conversation_id).update(
            wishes=FREE_TEXT,
            agreements=FREE_TEXT + " afspraak",
            held_at=timezone.make_aware(datetime.datetime(2026, 1, 5, 10)),
        )
    snapshots_build(organisation=world.org_a, week_of=MONDAY)
    return clients


def report_for(world, user=None):  # type: ignore[no-untyped-def]
    consent(world.org_a, user)
    build = build_request(
        organisation=world.org_a, month="2026-01", trigger=ReportBuild.Trigger.JOB, enqueue=False
    )
    return run_build(world.org_a.pk, build.pk)


def _keys(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_report_has_no_personal_data_and_matches_schema(world) -> None:  # type: ignore[no-untyped-def]
    clients = populate(world, 5)
    report = report_for(world)
    jsonschema.validate(report.data, load_schema())
    text = json.dumps(report.data, ensure_ascii=False)
    rendered = render_report_pdf(report)
    # The PDF's own text (poppler's pdftotext), and the HTML it was rendered from.
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=rendered.pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Transparantierapport 2026-01" in pdf_text and "Kapper" in pdf_text
    html = rendered.html + pdf_text
    assert 'id="utilisation-chart"' in rendered.html  # the dashboards' SVG chart, in the PDF too
    for person in clients:
        for needle in (
            person.given_name + " " + person.family_name,
            person.family_name,
            person.bsn,
            person.date_of_birth.isoformat(),
            person.date_of_birth.strftime("%d-%m-%Y"),
        ):
            assert needle not in text, needle
            assert needle not in html, needle
    assert FREE_TEXT not in text and FREE_TEXT not in html
    assert not {"client", "client_id", "bsn", "date_of_birth", "given_name", "family_name", "id"} & set(
        _keys(report.data)
    )


def test_suppression_at_four_and_five_clients(world) -> None:  # type: ignore[no-untyped-def]
    populate(world, 5)
    data = build_report_data(world.org_a, MONTH)
    profiles = {row["profile"]: row for row in data["usage"]["clients_on_ipvb"]["by_profile"]}
    assert profiles["5VV"] == {"profile": "5VV", "clients": 5, "suppressed": False}
    assert profiles["7VV"] == {"profile": "7VV", "clients": "< 5", "suppressed": True}
    util = {row["profile"]: row for row in data["usage"]["utilisation"]}
    # Hand-worked, B = 819.73 for 5VV: 500, 700, 800, 900, 1000 -> 61.00, 85.39, 97.59, 109.79,
    # 121.99 %; mean 3900 / 5 / 819.73 = 95.15 %; P10 = 61.00 + 0.4 × 24.40 = 70.76;
    # P90 = 109.79 + 0.6 × 12.20 = 117.11 (linear interpolation, percentile_cont).
    assert {k: util["5VV"][k] for k in ("clients", "mean_pct", "median_pct", "p10_pct", "p90_pct")} == {
        "clients": 5,
        "mean_pct": "95.2",
        "median_pct": "97.6",
        "p10_pct": "70.8",
        "p90_pct": "117.1",
    }
    # One client in each band: every band count is about fewer than 5 clients.
    assert util["5VV"]["bands"] == dict.fromkeys(("lt70", "70_90", "90_100", "100_110", "gt110"), "< 5")
    # Overruns: 900 and 1000 exceed 819.73 (two clients, suppressed).
    assert data["usage"]["signals"]["overrun"] == "< 5"
    # Wellbeing share: 6 × 47.00 / (3900 + 800) = 6.0 %.
    assert data["usage"]["wellbeing_share"] == {"clients": 6, "suppressed": False, "share_pct": "6.0"}
    # Add-on purchases: 6 hairdresser lines of 24.50 a month.
    assert data["usage"]["addon_purchases"] == [
        {"item": "Kapper", "lines": 6, "revenue": "147.00", "suppressed": False}
    ]
    assert data["usage"]["pilot_status"]["clients_on_ipvb"] == 6
    assert data["usage"]["pilot_status"]["met"] is False  # fewer than 50 clients
    assert util["7VV"]["suppressed"] is True
    assert util["7VV"]["mean_pct"] is None and util["7VV"]["bands"] is None
    assert data["usage"]["clients_on_ipvb"]["total"] == 6
    # Every conversation of the month: 6 intake conversations about 6 clients, shown.
    assert data["usage"]["conversations"] == [
        {"kind": "intake", "outcome": "agreed", "conversations": 6, "suppressed": False}
    ]
    assert data["usage"]["packages_agreed"] == {"agreed": 6, "replacing_earlier": "< 5", "suppressed": True}


def test_four_clients_are_all_suppressed(world) -> None:  # type: ignore[no-untyped-def]
    populate(world, 3)
    data = build_report_data(world.org_a, MONTH)
    assert data["usage"]["clients_on_ipvb"]["total"] == "< 5"
    assert all(row["suppressed"] for row in data["usage"]["utilisation"])
    assert data["usage"]["conversations"][0]["conversations"] == "< 5"
    assert data["usage"]["wellbeing_share"]["share_pct"] is None


def test_consent_on_and_off(world) -> None:  # type: ignore[no-untyped-def]
    populate(world, 5)
    assert not consenting_organisations().filter(pk=world.org_a.pk).exists()
    report_for(world)
    assert consenting_organisations().filter(pk=world.org_a.pk).exists()
    consent(world.org_a, consent_usage=False)
    assert not consenting_organisations().filter(pk=world.org_a.pk).exists()
    assert ParticipationRecord.objects.for_organisation(world.org_a).count() == 2
    with pytest.raises(ValidationError, match="toestemming"):
        build_request(organisation=world.org_a, month="2026-02", reason="x")


def test_bad_input_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    populate(world, 5)
    consent(world.org_a)
    future = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).strftime("%Y-%m")
    for month, reason, message in (
        (future, "x", "voorbij"),
        ("2025-10", "x", "startdatum"),
        ("2026-01", "", "reden"),
        ("januari", "x", "JJJJ-MM"),
    ):
        with pytest.raises(ValidationError, match=message):
            build_request(organisation=world.org_a, month=month, reason=reason)
    assert not ReportBuild.objects.for_organisation(world.org_a).exists()


def test_rebuild_is_a_new_version_and_reports_are_immutable(world) -> None:  # type: ignore[no-untyped-def]
    populate(world, 5)
    first = report_for(world)
    assert run_build(world.org_a.pk, first.build_id).pk == first.pk  # redelivery: nothing new
    build = build_request(
        organisation=world.org_a, month="2026-01", reason="Correctie formatie", enqueue=False
    )
    second = run_build(world.org_a.pk, build.pk)
    assert (first.version, second.version) == (1, 2)
    assert second.data["report"]["reason"] == "Correctie formatie"
    with pytest.raises(ImmutableReportError):
        second.save()
    with pytest.raises(ImmutableReportError):
        second.delete()
    assert MonthlyReport.objects.for_organisation(world.org_a).count() == 2


def _party(with_totp: bool = True):  # type: ignore[no-untyped-def]
    user = UserFactory(email="vilans@example.org")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    if with_totp:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_api_for_the_reporting_party(world, client) -> None:  # type: ignore[no-untyped-def]
    populate(world, 5)
    report = report_for(world)
    client.force_login(_party())
    response = client.get("/api/v1/reporting/reports/")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()] == [report.pk]
    etag = response["ETag"]
    assert client.get("/api/v1/reporting/reports/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/reporting/reports/?updated_since=2999-01-01T00:00:00Z").json() == []
    assert client.get("/api/v1/reporting/reports/?month=2026-13").status_code == 400
    detail = client.get(f"/api/v1/reporting/reports/{report.pk}/")
    assert detail.json()["schema_version"] == "1.0"
    assert client.get(f"/api/v1/reporting/reports/{report.pk}/pdf/")["Content-Type"] == "application/pdf"
    orgs = client.get("/api/v1/reporting/organisations/").json()
    assert [o["id"] for o in orgs] == [world.org_a.pk]
    assert orgs[0]["latest_month"] == "2026-01"
    later = build_request(
        organisation=world.org_a, month="2026-02", trigger=ReportBuild.Trigger.JOB, enqueue=False
    )
    run_build(world.org_a.pk, later.pk)  # the latest month is the newest of the organisation's reports
    assert client.get("/api/v1/reporting/organisations/").json()[0]["latest_month"] == "2026-02"
    # Withdrawal: nothing more is served from that moment.
    consent(world.org_a, consent_addons=False)
    assert client.get(f"/api/v1/reporting/reports/{report.pk}/").status_code == 404
    assert client.get("/api/v1/reporting/reports/").json() == []


def test_api_refuses_others(world, client, settings) -> None:  # type: ignore[no-untyped-def]
    populate(world, 5)
    report = report_for(world)
    assert client.get("/api/v1/reporting/reports/").status_code == 401
    member = world.client("org_admin")
    response = member.get(f"/api/v1/reporting/reports/{report.pk}/")
    assert response.status_code == 403 and "rapportagepartij" in response.json()["detail"]
    settings.IPVB_REQUIRE_MFA = True
    client.force_login(_party(with_totp=False))
    response = client.get("/api/v1/reporting/reports/")
    assert response.status_code == 403 and "Tweestapsverificatie" in response.json()["detail"]


def test_oauth_client_credentials(world, client) -> None:  # type: ignore[no-untyped-def]
    from oauth2_provider.models import AccessToken, Application

    populate(world, 5)
    report_for(world)
    party = _party(with_totp=False)
    app = Application.objects.create(
        name="Vilans BI",
        user=party,
        client_type="confidential",
        authorization_grant_type="client-credentials",
        client_secret="s3cret-s3cret",
    )
    response = client.post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "scope": "reports:read",
            "client_id": app.client_id,
            "client_secret": "s3cret-s3cret",
        },
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    ok = client.get("/api/v1/reporting/reports/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200 and len(ok.json()) == 1
    # Stored hashed (RFC 9700 token storage): the raw token is not in the database.
    checksum = hashlib.sha256(token.encode()).hexdigest()
    assert not AccessToken.objects.filter(token=token).exists()
    AccessToken.objects.filter(token_checksum=checksum).update(
        expires=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = client.get("/api/v1/reporting/reports/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert expired.status_code == 401
    assert "detail" in expired.json()
    # A fresh token, revoked by the client: refused from then on.
    credentials = {"client_id": app.client_id, "client_secret": "s3cret-s3cret"}
    fresh = client.post("/o/token/", {"grant_type": "client_credentials", **credentials}).json()
    assert fresh["scope"] == "reports:read"  # the default scope
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {fresh['access_token']}"}
    assert client.get("/api/v1/reporting/organisations/", **bearer).status_code == 200
    revoke = client.post("/o/revoke_token/", {"token": fresh["access_token"], **credentials})
    assert revoke.status_code == 200
    assert client.get("/api/v1/reporting/organisations/", **bearer).status_code == 401
    # A token without the scope: 403 with a message.
    AccessToken.objects.create(
        application=app, token="no-scope", scope="read", expires=timezone.now() + datetime.timedelta(hours=1)
    )
    no_scope = client.get("/api/v1/reporting/reports/", HTTP_AUTHORIZATION="Bearer no-scope")
    assert no_scope.status_code == 403 and "reports:read" in no_scope.json()["detail"]
    # A wrong secret gets no token.
    wrong = client.post(
        "/o/token/", {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": "nope"}
    )
    assert wrong.status_code == 401


def test_building_uses_the_same_number_of_queries_at_two_sizes(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    populate(world, 5)
    with CaptureQueriesContext(connection) as small:
        build_report_data(world.org_a, MONTH)
    for _ in range(6):
        person = conv.client(world.org_a, world.dept_a2)
        agreed_package(world.org_a, person, total=D("750.00"), start=datetime.date(2026, 1, 5), version=1)
    snapshots_build(organisation=world.org_a, week_of=MONDAY)
    with CaptureQueriesContext(connection) as large:
        data = build_report_data(world.org_a, MONTH)
    assert data["usage"]["clients_on_ipvb"]["total"] == 12
    assert len(large) == len(small), (len(small), len(large))


def test_monthly_job_one_task_per_consenting_organisation_and_idempotent(world, settings) -> None:  # type: ignore[no-untyped-def]
    from reporting import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["monthly-transparency-reports"]
    assert entry["task"] == tasks.build_monthly_reports.name
    assert entry["schedule"].day_of_month == {1}
    populate(world, 5)
    consent(world.org_a)
    conv.setup_b(world)  # organisation B: no consent, nothing built
    assert tasks.build_monthly_reports.run("2026-01-01") == 1
    report = MonthlyReport.objects.for_organisation(world.org_a).get()
    assert (report.month, report.version, report.build.trigger) == (MONTH, 1, "job")
    assert not MonthlyReport.objects.for_organisation(world.org_b).exists()
    assert tasks.build_monthly_reports.run("2026-01-01") == 0  # a second run changes nothing
    assert tasks.build_monthly_reports.run("2025-11-01") == 0  # before the start date
    assert MonthlyReport.objects.for_organisation(world.org_a).count() == 1
