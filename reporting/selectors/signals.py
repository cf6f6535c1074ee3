"""Signals of a client (domain page section 7): the candidates of a week for re-indication,
meerzorg or a structural deficit, and the weekly history of one or many clients."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone

from clients.selectors import restrict_to_visible
from ipvb.models import Membership, Organisation

from ..models import WeeklySnapshot
from .snapshots import snapshots

SIGNAL_KINDS = ("overrun", "reindication", "structural_deficit", "meerzorg")


def client_history(
    *, client: Any, weeks: int = 26, until: datetime.date | None = None
) -> list[WeeklySnapshot]:
    until = until or timezone.localdate()
    return list(
        snapshots(organisation=client.organisation_id)
        .filter(client=client, week_start__lte=until, week_start__gt=until - datetime.timedelta(weeks=weeks))
        .order_by("week_start")
    )


def signal_rows(
    *,
    membership: Membership,
    week: datetime.date | None,
    kinds: tuple[str, ...] = ("reindication", "meerzorg", "structural_deficit"),
) -> list[WeeklySnapshot]:
    """The candidates of ``week`` the membership may see, with their client."""
    if week is None:
        return []
    condition = Q()
    for kind in kinds:
        condition |= Q(**{kind: True})
    qs = snapshots(organisation=membership.organisation).filter(condition, week_start=week)
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return list(qs.select_related("client", "department").order_by("department__name", "client__family_name"))


def histories(
    *, organisation: Organisation, client_ids: list[int], until: datetime.date, weeks: int = 26
) -> dict[int, list[WeeklySnapshot]]:
    """The weekly history of many clients in one query."""
    result: dict[int, list[WeeklySnapshot]] = defaultdict(list)
    if not client_ids:
        return result
    for row in (
        snapshots(organisation=organisation)
        .filter(
            client_id__in=client_ids,
            week_start__lte=until,
            week_start__gt=until - datetime.timedelta(weeks=weeks),
        )
        .order_by("client_id", "week_start")
        .only(
            "client_id",
            "week_start",
            "budget",
            "package_total",
            "over_threshold",
            "reindication",
            "meerzorg",
            "structural_deficit",
            "organisation_id",
        )
    ):
        result[row.client_id].append(row)
    return result
