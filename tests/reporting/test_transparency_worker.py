"""Reliability of the report builds through a real Celery worker and a real Redis broker: a
worker killed in the middle of a build loses nothing and makes no duplicate; Redis down gives
a clear message and nothing half-made; a failed build leaves the previous version served."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from ipvb.celery import app
from reporting import tasks
from reporting.models import MonthlyReport, ReportBuild
from reporting.parties import visible_reports
from reporting.transparency_services import build_request
from tests.reporting.builders import transparency_world

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
# A Redis database of its own, so no other test's worker takes these tasks.
BROKER = settings.TEST_REDIS_URL.rsplit("/", 1)[0] + "/7"


def _reset_pools() -> None:
    """Drop the cached (global) kombu pools so the next call connects to the configured broker;
    a closed pool left in kombu's registry would be handed out again for the same URL."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker():  # type: ignore[no-untyped-def]
    import redis

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


def _worker(pause: float = 0) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REPORT_BROKER": BROKER,
        "REPORT_PAUSE": str(pause),
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/reporting/report_worker.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(predicate, timeout: float = 60):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_worker_killed_mid_build_loses_nothing(world, broker) -> None:  # type: ignore[no-untyped-def]
    data = transparency_world(world)
    org = world.org_a
    build = build_request(organisation=org, month="2026-01", reason="Opnieuw na correctie", user=None)
    builds = ReportBuild.objects.for_organisation(org)
    first = _worker(pause=30)
    try:
        assert _wait(lambda: builds.get(pk=build.pk).status == ReportBuild.Status.RUNNING), "never started"
        os.killpg(first.pid, signal.SIGKILL)  # the worker dies in the middle of the build
        first.wait(timeout=10)
    finally:
        _stop(first)
    assert not MonthlyReport.objects.for_organisation(org).filter(build=build.pk).exists()
    time.sleep(4)  # past the (test) visibility timeout of 3 s: the next worker restores it
    second = _worker()
    try:
        assert _wait(lambda: builds.get(pk=build.pk).status == ReportBuild.Status.SUCCEEDED, 90), builds.get(
            pk=build.pk
        ).status
        time.sleep(2)  # a second delivery would show up as a second version
    finally:
        _stop(second)
    reports = MonthlyReport.objects.for_organisation(org).filter(month=data["report"].month)
    assert sorted(reports.values_list("version", flat=True)) == [1, 2]
    assert builds.get(pk=build.pk).attempts == 2


def test_redis_down_gives_a_clear_message_and_nothing_half_made(world) -> None:  # type: ignore[no-untyped-def]
    transparency_world(world)
    previous = {k: app.conf[k] for k in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    _reset_pools()
    try:
        with pytest.raises(ValidationError, match="niet bereikbaar"):
            build_request(organisation=world.org_a, month="2026-01", reason="Opnieuw")
    finally:
        app.conf.update(previous)
        _reset_pools()
    assert list(ReportBuild.objects.for_organisation(world.org_a).values_list("trigger", flat=True)) == [
        "job"
    ]
    assert MonthlyReport.objects.for_organisation(world.org_a).count() == 1


def test_failed_build_leaves_the_previous_version_served(world, broker, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from celery.contrib.testing.worker import start_worker

    from reporting import transparency

    first = transparency_world(world)["report"]

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("rekenfout in de test")

    monkeypatch.setattr(transparency, "build_report_data", broken)
    monkeypatch.setattr(tasks.build_monthly_report, "max_retries", 0)
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        build = build_request(organisation=world.org_a, month="2026-01", reason="Opnieuw")
        builds = ReportBuild.objects.for_organisation(world.org_a)
        assert _wait(lambda: builds.get(pk=build.pk).status == ReportBuild.Status.FAILED, 30)
    failed = builds.get(pk=build.pk)
    assert "rekenfout" in failed.error
    assert list(visible_reports().values_list("pk", flat=True)) == [first.pk]
    assert MonthlyReport.objects.for_organisation(world.org_a).count() == 1
