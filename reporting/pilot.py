"""Pilot status (domain page section 10): at least two pilot departments, one without and one
with group-bound day care, and at least 50 clients on iPVB across the pilot departments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ipvb.models import Department, Organisation

MIN_CLIENTS = 50


@dataclass(frozen=True)
class PilotStatus:
    pilot_departments: int
    with_group_care: int
    without_group_care: int
    clients_on_ipvb: int

    @property
    def departments_met(self) -> bool:
        return self.pilot_departments >= 2 and self.with_group_care >= 1 and self.without_group_care >= 1

    @property
    def clients_met(self) -> bool:
        return self.clients_on_ipvb >= MIN_CLIENTS

    @property
    def met(self) -> bool:
        return self.departments_met and self.clients_met


def pilot_status(
    *, organisation: Organisation, week: datetime.date | None, departments: list[Any]
) -> PilotStatus:
    """``departments`` are the summary rows of the week (``selectors.dashboards.summary_by_department``)."""
    pilots = {d.pk: d.kind for d in Department.objects.for_organisation(organisation).filter(is_pilot=True)}
    on_ipvb = sum(row.on_ipvb for row in departments if row.key in pilots)
    kinds = list(pilots.values())
    return PilotStatus(
        len(pilots),
        kinds.count(Department.Kind.WITH_GROUP_CARE),
        kinds.count(Department.Kind.WITHOUT_GROUP_CARE),
        on_ipvb,
    )


@dataclass(frozen=True)
class PilotProgress:
    """The pilot status in the latest snapshot week, and the first week it was met (from the
    weekly department totals of the departments now marked as pilot)."""

    status: PilotStatus
    week: datetime.date | None
    first_met: datetime.date | None


def pilot_progress(*, organisation: Organisation) -> PilotProgress:
    from django.db.models import Max, Sum

    from .models import WeeklyDepartmentTotal

    pilots = dict(
        Department.objects.for_organisation(organisation).filter(is_pilot=True).values_list("pk", "kind")
    )
    totals = WeeklyDepartmentTotal.objects.for_organisation(organisation)
    week = totals.aggregate(week=Max("week_start"))["week"]
    per_week = totals.filter(department_id__in=list(pilots)).values("week_start").annotate(n=Sum("on_ipvb"))
    on_ipvb = 0
    if week is not None:
        on_ipvb = next((row["n"] for row in per_week.filter(week_start=week)), 0) or 0
    kinds = list(pilots.values())
    status = PilotStatus(
        len(pilots),
        kinds.count(Department.Kind.WITH_GROUP_CARE),
        kinds.count(Department.Kind.WITHOUT_GROUP_CARE),
        on_ipvb,
    )
    first_met = None
    if status.departments_met:
        row = per_week.filter(n__gte=MIN_CLIENTS).order_by("week_start").first()
        first_met = row["week_start"] if row else None
    return PilotProgress(status, week, first_met)
