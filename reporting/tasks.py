"""Background work of reporting: the weekly snapshot job (every Monday, from the beat
schedule in settings). Tasks take ids (organisation first) and are idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

TASK_OPTIONS = {
    "bind": True,
    "max_retries": 3,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "acks_late": True,
}


@shared_task(name="reporting.tasks.take_weekly_snapshots", **TASK_OPTIONS)
def take_weekly_snapshots(self: Any, week_of: str | None = None) -> int:
    """Enqueues one snapshot task per active organisation for the current ISO week."""
    from ipvb.models import Organisation

    day = week_of or timezone.localdate().isoformat()
    ids = list(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    for organisation_id in ids:
        take_organisation_snapshots.delay(organisation_id, day)
    return len(ids)


@shared_task(name="reporting.tasks.take_organisation_snapshots", **TASK_OPTIONS)
def take_organisation_snapshots(self: Any, organisation_id: int, week_of: str) -> dict[str, int]:
    from ipvb.rls import organisation_context

    from .snapshots import snapshots_build

    with organisation_context(organisation_id):  # row-level security: this organisation only
        result = snapshots_build(organisation=organisation_id, week_of=datetime.date.fromisoformat(week_of))
    return {"clients": result.clients, "created": result.created, "updated": result.updated}


# Transparency reports (domain page section 9) --------------------------------------------------

REPORT_TASK_OPTIONS = {
    **TASK_OPTIONS,
    "max_retries": 4,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "reject_on_worker_lost": True,  # a killed worker: the broker redelivers the task
    "soft_time_limit": 300,
    "time_limit": 360,
}


def previous_month(today: datetime.date | None = None) -> datetime.date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


@shared_task(name="reporting.tasks.build_monthly_reports", **TASK_OPTIONS)
def build_monthly_reports(self: Any, month: str | None = None) -> int:
    """The monthly batch (beat, on the 1st; ``manage.py build_monthly_reports``): one
    ``build_monthly_report`` task per consenting organisation, sent as each build is committed.
    Idempotent (``transparency_services.monthly_job``): a re-run or a retry after this task
    died half-way sends only what has no report yet, and never makes a second build.
    Returns the number of tasks sent."""
    from ipvb.rls import cross_organisation

    from .transparency_services import monthly_job

    day = previous_month() if month is None else datetime.date.fromisoformat(month).replace(day=1)
    sent = 0
    # The reporting party's platform job: every consenting organisation (ipvb.rls).
    with cross_organisation():
        for organisation_id, build_id in monthly_job(day):
            build_monthly_report.apply_async(args=[organisation_id, build_id])
            sent += 1
    return sent


@shared_task(name="reporting.tasks.build_monthly_report", **REPORT_TASK_OPTIONS)
def build_monthly_report(self: Any, organisation_id: int, build_id: int) -> dict[str, int]:
    """One organisation's report and its PDF. Safe to run twice (a redelivery after a worker
    died): the build's report and the report's PDF are each stored once."""
    from ipvb.rls import organisation_context

    from .transparency_services import run_build, store_report_pdf

    with organisation_context(organisation_id):  # row-level security: this organisation only
        report = run_build(organisation_id, build_id)
        store_report_pdf(report)
    return {"report": report.pk, "version": report.version}


# The programme report (domain page section 10) ---------------------------------------------------


@shared_task(name="reporting.tasks.build_programme_report", **REPORT_TASK_OPTIONS)
def build_programme_report(self: Any, build_id: int) -> dict[str, int]:
    from ipvb.rls import cross_organisation

    from .programme.report import run_programme_build

    # Across the participating organisations (the reporting party's report; ipvb.rls).
    with cross_organisation():
        report = run_programme_build(build_id)
    return {"report": report.pk}
