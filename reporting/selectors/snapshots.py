"""The weekly snapshots every reporting read starts from: the rows of an organisation, the latest
week, and the departments a membership may see."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Max, QuerySet

from ipvb.models import Department, Membership, Organisation

from ..models import WeeklySnapshot

D0 = Decimal("0.00")


def snapshots(*, organisation: Organisation | int) -> QuerySet[WeeklySnapshot]:
    """The weekly snapshots of the organisation (or its id, as a background job has it)."""
    return WeeklySnapshot.objects.for_organisation(organisation)


def latest_week(
    *, organisation: Organisation | int, on_or_before: datetime.date | None = None
) -> datetime.date | None:
    qs = snapshots(organisation=organisation)
    if on_or_before is not None:
        qs = qs.filter(week_start__lte=on_or_before)
    return qs.aggregate(week=Max("week_start"))["week"]


def departments_for(*, membership: Membership) -> QuerySet[Department]:
    return membership.restrict_departments(Department.objects.for_organisation(membership.organisation))
