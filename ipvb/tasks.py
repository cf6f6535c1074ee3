"""Core background tasks. Tasks take ids, are idempotent and enqueued on commit."""

from celery import shared_task
from django.core.management import call_command


@shared_task(
    name="ipvb.tasks.clear_expired_sessions",
    bind=True,
    max_retries=3,
    autoretry_for=(Exception,),
    retry_backoff=True,
)
def clear_expired_sessions(self) -> str:  # type: ignore[no-untyped-def]
    call_command("clearsessions")
    return "ok"


@shared_task(name="ipvb.tasks.ping")
def ping() -> str:
    return "pong"
