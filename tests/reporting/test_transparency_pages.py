"""Pages of the transparency reports: the reporting party's portal (MFA, consent) and the
organisation's page (participation agreement, rebuild with reason, what Vilans sees)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from reporting.models import ParticipationRecord, ReportBuild
from reporting.parties import GROUP_NAME
from tests.factories import UserFactory
from tests.reporting.builders import transparency_world
from tests.reporting.routes import participation_data

pytestmark = pytest.mark.django_db


def party_client(client, *, totp: bool = True):  # type: ignore[no-untyped-def]
    user = UserFactory(email="vilans@example.org")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    if totp:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    return client


def test_reporting_party_sees_consenting_organisations_only(world, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IPVB_REQUIRE_MFA = True
    report = transparency_world(world)["report"]
    party = party_client(client)
    page = party.get(reverse("reporting_party_home"))
    assert page.status_code == 200
    assert "Organisatie A" in page.content.decode() and "Organisatie B" not in page.content.decode()
    detail = party.get(reverse("reporting_party_report", kwargs={"pk": report.pk}))
    assert detail.status_code == 200 and "2026-01" in detail.content.decode()
    pdf = party.get(reverse("reporting_party_report_pdf", kwargs={"pk": report.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    other = transparency_world(world, "b")["report"]
    ParticipationRecord.objects.for_organisation(world.org_b).update(consent_usage=False)
    assert party.get(reverse("reporting_party_report", kwargs={"pk": other.pk})).status_code == 404


def test_reporting_party_without_mfa_is_sent_to_enrolment(world, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IPVB_REQUIRE_MFA = True
    party = party_client(client, totp=False)
    response = party.get(reverse("reporting_party_home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_org_admin_records_participation_with_history(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.client("org_admin")
    url = reverse("reporting_participation_record")
    assert admin.post(url, participation_data(world)).status_code == 302
    withdrawn = {**participation_data(world)}
    withdrawn.pop("consent_usage")
    assert admin.post(url, withdrawn).status_code == 302
    # The same again: refused, nothing saved.
    again = admin.post(url, withdrawn)
    assert again.status_code == 400 and "niets gewijzigd" in again.content.decode()
    records = list(ParticipationRecord.objects.for_organisation(world.org_a).order_by("recorded_at"))
    assert [r.has_consent for r in records] == [True, False]
    assert all(r.recorded_by == world.user("org_admin") for r in records)
    page = admin.get(reverse("reporting_transparency")).content.decode()
    assert "Vilans ziet niets van deze organisatie" in page


def test_rebuild_needs_a_reason_and_makes_a_new_version(world) -> None:  # type: ignore[no-untyped-def]
    transparency_world(world)
    admin = world.client("org_admin")
    url = reverse("reporting_report_request")
    response = admin.post(url, {"month": "2026-01", "reason": ""})
    assert response.status_code == 400
    assert ReportBuild.objects.for_organisation(world.org_a).count() == 1
    response = admin.post(url, {"month": "2031-01", "reason": "Toekomst"})
    assert response.status_code == 400 and "voorbij" in response.content.decode()
    response = admin.post(url, {"month": "2026-01", "reason": "Correctie formatie"})
    assert response.status_code == 302  # eager in tests: built at once
    page = admin.get(reverse("reporting_transparency")).content.decode()
    assert "Correctie formatie" in page and "Gereed" in page
    from reporting.models import MonthlyReport

    assert list(
        MonthlyReport.objects.for_organisation(world.org_a)
        .order_by("version")
        .values_list("version", "reason")
    ) == [(1, ""), (2, "Correctie formatie")]


def test_org_user_cannot_open_another_organisations_report(world) -> None:  # type: ignore[no-untyped-def]
    other = transparency_world(world, "b")["report"]
    admin = world.client("org_admin")
    assert admin.get(reverse("reporting_org_report", kwargs={"pk": other.pk})).status_code == 404
    assert admin.get(reverse("reporting_party_report", kwargs={"pk": other.pk})).status_code == 403


def test_reporting_party_requests_a_rebuild(world, client) -> None:  # type: ignore[no-untyped-def]
    transparency_world(world)
    party = party_client(client)
    url = reverse("reporting_party_rebuild", kwargs={"org_pk": world.org_a.pk})
    response = party.post(url, {"month": "2026-01", "reason": ""}, follow=True)
    assert "Geef een reden op" in response.content.decode()
    response = party.post(url, {"month": "2026-01", "reason": "Vraag van Vilans"}, follow=True)
    assert "op de achtergrond gemaakt" in response.content.decode()
    build = ReportBuild.objects.for_organisation(world.org_a).order_by("-pk").first()
    assert (build.trigger, build.reason, build.status) == ("reporting_party", "Vraag van Vilans", "succeeded")
    other = reverse("reporting_party_rebuild", kwargs={"org_pk": world.org_b.pk})  # no consent
    assert party.post(other, {"month": "2026-01", "reason": "x"}).status_code == 404
