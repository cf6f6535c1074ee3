"""Formatie (domain page section 8): the staff a department needs for its packages and group
care, per level, against the actual staffing recorded by the team leaders."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet, Sum

from conversations.models import PackageLine
from conversations.selectors import in_force
from costing.models import GroupCare, StaffLevel
from costing.selectors import rate_card
from ipvb.models import Department, Organisation

from .. import formulas
from ..models import ActualStaffing
from .snapshots import D0


@dataclass
class FormatieLine:
    level: StaffLevel
    package_hours: Decimal
    group_hours: Decimal
    required_fte: Decimal | None
    actual_fte: Decimal | None
    actual_from: datetime.date | None

    @property
    def hours(self) -> Decimal:
        return self.package_hours + self.group_hours

    @property
    def gap(self) -> Decimal | None:
        if self.required_fte is None:
            return None
        return formulas.fte_gap(self.actual_fte, self.required_fte)


@dataclass
class DepartmentFormatie:
    department: Department
    lines: list[FormatieLine]

    @property
    def required_fte(self) -> Decimal:
        return sum((line.required_fte or D0 for line in self.lines), D0)

    @property
    def actual_fte(self) -> Decimal | None:
        values = [line.actual_fte for line in self.lines if line.actual_fte is not None]
        return sum(values, D0) if values else None

    @property
    def gap(self) -> Decimal | None:
        actual = self.actual_fte
        return None if actual is None else actual - self.required_fte


def actual_staffing_in_force(
    *, organisation: Organisation | int, on_date: datetime.date, departments: list[int] | None = None
) -> dict[tuple[int, int], ActualStaffing]:
    qs = ActualStaffing.objects.for_organisation(organisation).filter(effective_from__lte=on_date)
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    result: dict[tuple[int, int], ActualStaffing] = {}
    for row in qs.order_by("department_id", "staff_level_id", "-effective_from", "-pk"):
        result.setdefault((row.department_id, row.staff_level_id), row)
    return result


def formatie(
    *,
    organisation: Organisation | int,
    on_date: datetime.date,
    departments: QuerySet[Department] | list[Department] | None = None,
) -> list[DepartmentFormatie]:
    """Required FTE per level per department (packages in force, budget and private care lines,
    plus group-bound hours) against the actual FTE in force."""
    departments = list(
        departments if departments is not None else Department.objects.for_organisation(organisation)
    )
    ids = [d.pk for d in departments]
    card = rate_card(organisation=organisation, on_date=on_date)
    client_bound = card.client_bound_hours() if card else None
    package_minutes: dict[tuple[int, int], Decimal] = defaultdict(lambda: D0)
    # The lines of the packages in force, joined to their package and client once (issue 16:
    # a sub-select of the package ids read the packages and clients twice, 11 ms a page).
    for row in (
        PackageLine.objects.for_organisation(organisation)
        .filter(
            in_force(on_date=on_date, path="package__"),
            package__organisation=organisation,
            package__client__department__in=ids,
            activity__isnull=False,
        )
        .values("package__client__department_id", "staff_level_id")
        .annotate(minutes=Sum(F("minutes") * F("occurrences_per_week")))
        .order_by()
    ):
        package_minutes[(row["package__client__department_id"], row["staff_level_id"])] += Decimal(
            row["minutes"] or 0
        )
    group_hours: dict[tuple[int, int], Decimal] = {
        (row.department_id, row.staff_level_id): row.hours_per_week
        for row in GroupCare.objects.for_organisation(organisation).filter(
            department_id__in=ids, year=on_date.year
        )
    }
    actual = actual_staffing_in_force(organisation=organisation, on_date=on_date, departments=ids)
    levels = list(StaffLevel.objects.for_organisation(organisation).order_by("order", "name"))
    result = []
    for department in departments:
        lines = []
        for level in levels:
            key = (department.pk, level.pk)
            hours = package_minutes.get(key, D0) / 60
            group = group_hours.get(key, D0)
            entry = actual.get(key)
            if not hours and not group and entry is None:
                continue
            required = formulas.fte_required(hours + group, client_bound) if client_bound else None
            lines.append(
                FormatieLine(
                    level,
                    hours,
                    group,
                    required,
                    entry.fte if entry else None,
                    entry.effective_from if entry else None,
                )
            )
        result.append(DepartmentFormatie(department, lines))
    return result


def staffing_history(*, organisation: Organisation, departments: list[int]) -> list[ActualStaffing]:
    return list(
        ActualStaffing.objects.for_organisation(organisation)
        .filter(department_id__in=departments)
        .select_related("department", "staff_level", "entered_by")
        .order_by("department__name", "staff_level__order", "-effective_from", "-pk")
    )
