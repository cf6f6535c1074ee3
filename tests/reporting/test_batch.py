"""The monthly batch of transparency reports (issue 16): one task per consenting organisation,
idempotent at every point where it can die (no report lost, none made twice), each report's
PDF rendered once in the batch and served from then on; the management command."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from ipvb.roles import Role
from reporting import stored_pdf, tasks
from reporting.models import MonthlyReport, MonthlyReportPdf, ReportBuild
from reporting.transparency_services import build_request, monthly_job, run_build
from tests.reporting.builders import consent, reporting_world

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2026, 2, 1)


@pytest.fixture
def two_organisations(world):  # type: ignore[no-untyped-def]
    for org in ("a", "b"):
        reporting_world(world, org)
    consent(world.org_a)
    consent(world.org_b)
    return [world.org_a, world.org_b]


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = stored_pdf.render_pdf

    def counting(template_name: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(template_name)
        return original(template_name, *args, **kwargs)

    monkeypatch.setattr(stored_pdf, "render_pdf", counting)
    return calls


def _reports(org: Any, month: datetime.date = MONTH) -> list[int]:
    return list(
        MonthlyReport.objects.for_organisation(org).filter(month=month).values_list("version", flat=True)
    )


def test_batch_builds_every_report_and_its_pdf_once(two_organisations, renders) -> None:  # type: ignore[no-untyped-def]
    assert tasks.build_monthly_reports.run(MONTH.isoformat()) == 2
    for org in two_organisations:
        report = MonthlyReport.objects.for_organisation(org).get(month=MONTH)
        assert report.build.trigger == ReportBuild.Trigger.JOB and report.version == 1
        pdf = MonthlyReportPdf.objects.for_organisation(org).get(report=report)
        assert pdf.language == "nl" and bytes(pdf.pdf).startswith(b"%PDF")
    assert len(renders) == 2
    assert tasks.build_monthly_reports.run(MONTH.isoformat()) == 0  # a re-run sends nothing
    assert len(renders) == 2
    assert all(_reports(org) == [1] for org in two_organisations)


def test_the_stored_pdf_is_served_to_both_readers(world, two_organisations, renders) -> None:  # type: ignore[no-untyped-def]
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    from reporting.parties import GROUP_NAME
    from tests.factories import UserFactory

    tasks.build_monthly_reports.run(MONTH.isoformat())
    report = MonthlyReport.objects.for_organisation(world.org_a).get(month=MONTH)
    stored = bytes(MonthlyReportPdf.objects.for_organisation(world.org_a).get(report=report).pdf)
    own = world.client(Role.ORG_ADMIN).get(f"/rapportage/transparantie/{report.pk}/rapport.pdf")
    assert own.status_code == 200 and own.content == stored
    vilans: Any = UserFactory()
    vilans.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    Authenticator.objects.create(user=vilans, type=Authenticator.Type.TOTP, data={"secret": "x"})
    from django.test import Client

    browser = Client()
    browser.force_login(vilans)
    api = browser.get(f"/api/v1/reporting/reports/{report.pk}/pdf/")
    assert api.status_code == 200 and api.content == stored
    assert len(renders) == 2  # the batch's two renderings, nothing on request


def test_a_fan_out_that_died_half_way_loses_nothing_when_run_again(two_organisations) -> None:  # type: ignore[no-untyped-def]
    # The fan-out committed the first build and died before sending its task.
    pending = monthly_job(MONTH)
    org_id, build_id = next(pending)
    pending.close()
    assert ReportBuild.objects.for_organisation(org_id).get(pk=build_id).status == ReportBuild.Status.QUEUED
    assert tasks.build_monthly_reports.run(MONTH.isoformat()) == 2  # that build is sent again
    for org in two_organisations:
        assert _reports(org) == [1]
        assert ReportBuild.objects.for_organisation(org).filter(month=MONTH).count() == 1


def test_a_redelivered_task_stores_nothing_twice(world, two_organisations, renders) -> None:  # type: ignore[no-untyped-def]
    ((org_id, build_id),) = [pair for pair in monthly_job(MONTH) if pair[0] == world.org_a.pk]
    first = tasks.build_monthly_report.run(org_id, build_id)
    again = tasks.build_monthly_report.run(org_id, build_id)  # the broker delivers it again
    assert first == again
    assert _reports(world.org_a) == [1]
    assert MonthlyReportPdf.objects.for_organisation(world.org_a).count() == 1
    assert len(renders) == 1


def test_a_report_stored_without_its_pdf_gets_it_on_redelivery(world, two_organisations) -> None:  # type: ignore[no-untyped-def]
    ((org_id, build_id),) = [pair for pair in monthly_job(MONTH) if pair[0] == world.org_a.pk]
    run_build(org_id, build_id)  # the worker died after storing the report, before the PDF
    assert not MonthlyReportPdf.objects.for_organisation(world.org_a).exists()
    tasks.build_monthly_report.run(org_id, build_id)
    assert _reports(world.org_a) == [1]
    assert MonthlyReportPdf.objects.for_organisation(world.org_a).count() == 1


def test_a_failed_build_is_sent_again_by_the_next_run(world, two_organisations, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reporting import transparency

    original = transparency.build_report_data

    def broken(organisation: Any, month: datetime.date) -> Any:
        if getattr(organisation, "pk", organisation) == world.org_a.pk:
            raise RuntimeError("rekenfout")
        return original(organisation, month)

    monkeypatch.setattr(transparency, "build_report_data", broken)
    monkeypatch.setattr(tasks.build_monthly_report, "max_retries", 0)
    with pytest.raises(RuntimeError):
        tasks.build_monthly_reports.run(MONTH.isoformat())
    build = ReportBuild.objects.for_organisation(world.org_a).get(month=MONTH)
    assert build.status == ReportBuild.Status.FAILED and _reports(world.org_a) == []
    monkeypatch.setattr(transparency, "build_report_data", original)
    assert tasks.build_monthly_reports.run(MONTH.isoformat()) >= 1
    assert _reports(world.org_a) == [1] and _reports(world.org_b) == [1]
    again = ReportBuild.objects.for_organisation(world.org_a).get(month=MONTH)
    assert again.pk == build.pk and again.status == ReportBuild.Status.SUCCEEDED and again.attempts == 2


def test_one_job_build_per_organisation_and_month(world, two_organisations) -> None:  # type: ignore[no-untyped-def]
    tasks.build_monthly_reports.run(MONTH.isoformat())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBuild.objects.create(
            organisation=world.org_a,
            month=MONTH,
            trigger=ReportBuild.Trigger.JOB,
            requested_at=timezone.now(),
        )
    # Manual rebuilds are not limited: each makes a new version.
    build_request(organisation=world.org_a, month=MONTH, reason="Correctie", enqueue=True)
    assert sorted(_reports(world.org_a)) == [1, 2]


def test_a_month_built_on_request_or_being_built_is_left_alone(world, two_organisations) -> None:  # type: ignore[no-untyped-def]
    build_request(organisation=world.org_a, month=MONTH, reason="Vooraf", enqueue=True)
    build_request(organisation=world.org_b, month=MONTH, reason="Bezig", enqueue=False)  # queued
    assert tasks.build_monthly_reports.run(MONTH.isoformat()) == 0
    assert _reports(world.org_a) == [1] and _reports(world.org_b) == []
    assert not ReportBuild.objects.for_organisation(world.org_a).filter(trigger="job").exists()


def test_no_consent_or_before_the_start_no_build(world, two_organisations) -> None:  # type: ignore[no-untyped-def]
    consent(world.org_b, consent_usage=False)
    assert tasks.build_monthly_reports.run(MONTH.isoformat()) == 1
    assert tasks.build_monthly_reports.run("2025-11-01") == 0  # before the start date (1-12-2025)
    assert _reports(world.org_b) == []


def test_the_fan_out_sends_the_largest_organisation_first(world, two_organisations) -> None:  # type: ignore[no-untyped-def]
    """A build takes time in proportion to the clients: the largest organisation's goes out
    first, so that it does not run alone at the end of the batch. Organisation b gets two
    more clients than a (each world organisation has one), whatever their ids."""
    from tests.clients.builders import make_client

    make_client(world, org="b", bsn="111222333", family_name="Groot")
    make_client(world, org="b", bsn="123456782", family_name="Groter")
    assert [org for org, _build in monthly_job(MONTH)] == [world.org_b.pk, world.org_a.pk]
    # The same builds are found again (idempotent), in the same order.
    assert [org for org, _build in monthly_job(MONTH)] == [world.org_b.pk, world.org_a.pk]


def test_command_runs_the_batch_for_a_month(two_organisations) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("build_monthly_reports", "--month", "2026-02", "--wait", "5", stdout=out)
    assert "2026-02: 2 report builds queued." in out.getvalue()
    assert "2 built, 0 failed, 0 not finished" in out.getvalue()
    out = StringIO()
    call_command("build_monthly_reports", "--month", "2026-02", stdout=out)
    assert "0 report builds queued" in out.getvalue()
    for org in two_organisations:
        assert _reports(org) == [1]


def test_command_refuses_a_month_that_has_not_ended() -> None:
    this_month = timezone.localdate().replace(day=1)
    with pytest.raises(CommandError, match="ended"):
        call_command("build_monthly_reports", "--month", f"{this_month:%Y-%m}")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("build_monthly_reports", "--month", "februari")


def test_beat_runs_the_batch_monthly(settings) -> None:  # type: ignore[no-untyped-def]
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-transparency-reports"]
    assert entry["task"] == tasks.build_monthly_reports.name
    assert entry["schedule"].day_of_month == {1}
    assert tasks.previous_month(datetime.date(2026, 3, 1)) == datetime.date(2026, 2, 1)
    assert tasks.build_monthly_report.acks_late and tasks.build_monthly_report.reject_on_worker_lost
