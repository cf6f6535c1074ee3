"""The monthly batch through real Celery worker processes and a real Redis broker (issue 16):
the fan-out and the per-organisation builds run in the worker; a worker killed (SIGKILL) in
the middle of a build loses no report and makes none twice once another worker runs."""

from __future__ import annotations

import datetime
import os
import signal
import time
from typing import Any

import pytest
from django.conf import settings

from reporting import tasks
from reporting.models import MonthlyReport, MonthlyReportPdf, ReportBuild
from tests.reporting.builders import consent, reporting_world
from tests.reporting.test_transparency_worker import _reset_pools, _stop, _wait, _worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
# A Redis database of its own (the transparency worker tests use 7, pytest-xdist's processes
# 8 and 9), so no other test's worker takes these tasks.
BROKER = settings.TEST_REDIS_URL.rsplit("/", 1)[0] + "/6"
MONTH = datetime.date(2026, 2, 1)


@pytest.fixture
def broker(monkeypatch):  # type: ignore[no-untyped-def]
    import redis

    from ipvb.celery import app
    from tests.reporting import test_transparency_worker

    monkeypatch.setattr(test_transparency_worker, "BROKER", BROKER)  # for _worker()
    redis.Redis.from_url(BROKER).flushdb()
    previous = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=None)
    _reset_pools()
    try:
        yield BROKER
    finally:
        app.conf.update(previous)
        _reset_pools()
        redis.Redis.from_url(BROKER).flushdb()


def test_batch_through_workers_survives_a_killed_worker(world, broker) -> None:  # type: ignore[no-untyped-def]
    organisations = [world.org_a, world.org_b]
    for org, key in zip(organisations, ("a", "b"), strict=True):
        reporting_world(world, key)
        consent(org)

    def jobs(org: Any) -> Any:
        return ReportBuild.objects.for_organisation(org).filter(month=MONTH, trigger=ReportBuild.Trigger.JOB)

    def running() -> list[ReportBuild]:
        return [b for org in organisations for b in jobs(org).filter(status=ReportBuild.Status.RUNNING)]

    def reports() -> int:
        return sum(
            MonthlyReport.objects.for_organisation(org).filter(month=MONTH).count() for org in organisations
        )

    first = _worker(pause=30)  # each build waits 30 s inside, so the kill lands mid-build
    try:
        tasks.build_monthly_reports.delay(MONTH.isoformat())  # the fan-out runs in the worker too
        assert _wait(running, 60), "no build started"
        (killed,) = running()
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)
    assert sum(jobs(org).count() for org in organisations) == 2 and reports() == 0
    time.sleep(4)  # past the (test) visibility timeout of 3 s: the next worker restores the task
    second = _worker()
    try:
        assert _wait(lambda: reports() == 2, 120), [b.status for org in organisations for b in jobs(org)]
        time.sleep(2)  # a second delivery would show up as a second version
    finally:
        _stop(second)
    for org in organisations:
        stored = MonthlyReport.objects.for_organisation(org).filter(month=MONTH)
        assert list(stored.values_list("version", flat=True)) == [1]
        assert MonthlyReportPdf.objects.for_organisation(org).filter(report__in=stored).count() == 1
    assert [jobs(org).count() for org in organisations] == [1, 1]
    assert jobs(killed.organisation_id).get(pk=killed.pk).attempts == 2
