"""Background work of reporting: the weekly snapshot job (every Monday, from the beat
schedule in settings). Tasks take ids (organisation first) and are idempotent."""

from __future__ import annotations

import datetime

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
def take_weekly_snapshots(self, week_of: str | None = None) -> int:  # type: ignore[no-untyped-def]
    """Enqueues one snapshot task per active organisation for the current ISO week."""
    from ipvb.models import Organisation

    day = week_of or timezone.localdate().isoformat()
    ids = list(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    for organisation_id in ids:
        take_organisation_snapshots.delay(organisation_id, day)
    return len(ids)


@shared_task(name="reporting.tasks.take_organisation_snapshots", **TASK_OPTIONS)
def take_organisation_snapshots(self, organisation_id: int, week_of: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from .snapshots import snapshots_build

    result = snapshots_build(organisation=organisation_id, week_of=datetime.date.fromisoformat(week_of))
    return {"clients": result.clients, "created": result.created, "updated": result.updated}
