"""Pilot status (domain page section 10): at least two pilot departments, one without and one
with group-bound day care, and at least 50 clients on iPVB across the pilot departments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ipvb.models import Department

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


def pilot_status(*, organisation: Any, week: datetime.date | None, departments: list[Any]) -> PilotStatus:
    """``departments`` are the summary rows of the week (``selectors.summary_by_department``)."""
    pilots = {d.pk: d.kind for d in Department.objects.for_organisation(organisation).filter(is_pilot=True)}
    on_ipvb = sum(row.on_ipvb for row in departments if row.key in pilots)
    kinds = list(pilots.values())
    return PilotStatus(
        len(pilots),
        kinds.count(Department.Kind.WITH_GROUP_CARE),
        kinds.count(Department.Kind.WITHOUT_GROUP_CARE),
        on_ipvb,
    )
