"""One task end to end through a real Celery worker and the real Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from ipvb.celery import app
from ipvb.models import Department
from ipvb.tasks import ping
from tests.factories import DepartmentFactory


@app.task(name="tests.count_departments")
def count_departments(organisation_id: int) -> int:
    """Test-only: proves the worker reads the same database, scoped like app code."""
    return Department.objects.for_organisation(organisation_id).count()


def _reset_pools() -> None:
    """Drop cached connections so the next call connects to the configured broker."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.backend  # noqa: B018 - re-read below
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def redis_celery():  # type: ignore[no-untyped-def]
    previous = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(
        task_always_eager=False, broker_url=settings.TEST_REDIS_URL, result_backend=settings.TEST_REDIS_URL
    )
    _reset_pools()
    try:
        with start_worker(
            app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING", shutdown_timeout=20
        ):
            yield app
    finally:
        app.conf.update(previous)
        _reset_pools()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_through_real_worker_and_redis(redis_celery) -> None:  # type: ignore[no-untyped-def]
    assert redis_celery.conf.broker_url.startswith("redis://")
    assert ping.delay().get(timeout=30) == "pong"
    department = DepartmentFactory()
    DepartmentFactory(organisation=department.organisation)
    DepartmentFactory()
    result = count_departments.delay(department.organisation_id)
    assert result.get(timeout=30) == 2
