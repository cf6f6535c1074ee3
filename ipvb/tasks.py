"""Core background tasks. Tasks take ids, are idempotent and enqueued on commit."""

from typing import Any

from celery import shared_task
from django.core.management import call_command


@shared_task(
    name="ipvb.tasks.clear_expired_sessions",
    bind=True,
    max_retries=3,
    autoretry_for=(Exception,),
    retry_backoff=True,
)
def clear_expired_sessions(self: Any) -> str:
    call_command("clearsessions")
    return "ok"


@shared_task(name="ipvb.tasks.ping")
def ping() -> str:
    return "pong"


@shared_task(
    name="ipvb.tasks.create_accesslog_partitions",
    bind=True,
    max_retries=3,
    autoretry_for=(Exception,),
    retry_backoff=True,
)
def create_accesslog_partitions(self: Any, months_ahead: int = 3) -> int:
    """This month's and the next months' access-log partitions (PostgreSQL; the app role may
    only call the owner's function). Dropping old partitions is the owner's job:
    ``manage.py accesslog_partitions``."""
    from django.db import connection

    from .accesslog_partitions import create_ahead, is_partitioned

    if not is_partitioned(connection):
        return 0
    return create_ahead(connection, months_ahead)
