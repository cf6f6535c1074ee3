"""The dashboards' figures (domain page section 11): per department and care profile, the
organisation's total, the weekly trend and the add-on revenue. Aggregated in SQL over the
weekly snapshots; the number of queries does not grow with the number of clients."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from conversations.models import PackageLine
from conversations.selectors import packages_in_force
from ipvb.models import Department, Organisation

from .. import formulas
from ..models import WeeklyDepartmentTotal
from .snapshots import D0, snapshots

ON_IPVB = Q(package__isnull=False)


def _aggregates() -> dict[str, Any]:
    return {
        "clients": Count("pk"),
        "on_ipvb": Count("pk", filter=ON_IPVB),
        "budget_sum": Sum("budget", filter=ON_IPVB),
        "total_sum": Sum("package_total", filter=ON_IPVB),
        "overrun": Count("pk", filter=Q(overrun=True)),
        "reindication": Count("pk", filter=Q(reindication=True)),
        "structural_deficit": Count("pk", filter=Q(structural_deficit=True)),
        "meerzorg": Count("pk", filter=Q(meerzorg=True)),
        "band_lt70": Count(
            "pk", filter=ON_IPVB & Q(budget__gt=0, package_total__lt=F("budget") * Decimal("0.7"))
        ),
        "band_70_90": Count(
            "pk",
            filter=ON_IPVB
            & Q(
                package_total__gte=F("budget") * Decimal("0.7"),
                package_total__lt=F("budget") * Decimal("0.9"),
                budget__gt=0,
            ),
        ),
        "band_90_100": Count(
            "pk",
            filter=ON_IPVB
            & Q(
                package_total__gte=F("budget") * Decimal("0.9"), package_total__lte=F("budget"), budget__gt=0
            ),
        ),
        "band_100_110": Count(
            "pk",
            filter=ON_IPVB
            & Q(package_total__gt=F("budget"), package_total__lte=F("budget") * Decimal("1.1"), budget__gt=0),
        ),
        "band_gt110": Count(
            "pk", filter=ON_IPVB & (Q(package_total__gt=F("budget") * Decimal("1.1")) | Q(budget__lte=0))
        ),
    }


@dataclass
class SummaryRow:
    key: Any
    label: str
    clients: int = 0
    on_ipvb: int = 0
    budget: Decimal = D0
    total: Decimal = D0
    overrun: int = 0
    reindication: int = 0
    structural_deficit: int = 0
    meerzorg: int = 0
    bands: dict[str, int] = field(default_factory=dict)

    @property
    def utilisation_pct(self) -> Decimal | None:
        return formulas.round2(self.total / self.budget * 100) if self.budget else None

    @property
    def balance(self) -> Decimal:
        return self.budget - self.total


def _summary(row: Any, key: Any, label: str) -> SummaryRow:
    return SummaryRow(
        key=key,
        label=label,
        clients=row["clients"],
        on_ipvb=row["on_ipvb"],
        budget=row["budget_sum"] or D0,
        total=row["total_sum"] or D0,
        overrun=row["overrun"],
        reindication=row["reindication"],
        structural_deficit=row["structural_deficit"],
        meerzorg=row["meerzorg"],
        bands={code: row[f"band_{code}"] for code, _low, _high in formulas.UTILISATION_BANDS},
    )


def summary_by_department(
    *, organisation: Organisation, week: datetime.date | None, departments: QuerySet[Department] | None = None
) -> list[SummaryRow]:
    chosen: list[Department] = list(
        departments if departments is not None else Department.objects.for_organisation(organisation)
    )
    if week is None:
        return [SummaryRow(d.pk, d.name) for d in chosen]
    rows: dict[int, Any] = {
        row["department_id"]: row
        for row in snapshots(organisation=organisation)
        .filter(week_start=week)
        .values("department_id")
        .annotate(**_aggregates())
        .order_by()
    }
    return [_summary(rows[d.pk], d.pk, d.name) if d.pk in rows else SummaryRow(d.pk, d.name) for d in chosen]


def department_totals(*, organisation: Organisation, week: datetime.date | None) -> list[SummaryRow]:
    """The board's figures per department from the weekly department totals (no bands)."""
    departments = list(Department.objects.for_organisation(organisation))
    if week is None:
        return [SummaryRow(d.pk, d.name) for d in departments]
    rows = {
        row.department_id: row
        for row in WeeklyDepartmentTotal.objects.for_organisation(organisation).filter(week_start=week)
    }
    result = []
    for d in departments:
        row = rows.get(d.pk)
        if row is None:
            result.append(SummaryRow(d.pk, d.name))
            continue
        result.append(
            SummaryRow(
                d.pk,
                d.name,
                row.clients,
                row.on_ipvb,
                row.budget,
                row.total,
                row.overrun,
                row.reindication,
                row.structural_deficit,
                row.meerzorg,
            )
        )
    return result


def summary_by_profile(*, organisation: Organisation, week: datetime.date | None) -> list[SummaryRow]:
    if week is None:
        return []
    rows = (
        snapshots(organisation=organisation)
        .filter(week_start=week)
        .values("care_profile")
        .annotate(**_aggregates())
        .order_by("care_profile")
    )
    return [_summary(row, row["care_profile"], row["care_profile"] or "-") for row in rows]


def summary_total(rows: list[SummaryRow]) -> SummaryRow:
    total = SummaryRow("total", "")
    for row in rows:
        for name in (
            "clients",
            "on_ipvb",
            "budget",
            "total",
            "overrun",
            "reindication",
            "structural_deficit",
            "meerzorg",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for code, count in row.bands.items():
            total.bands[code] = total.bands.get(code, 0) + count
    return total


@dataclass(frozen=True)
class TrendPoint:
    week: datetime.date
    budget: Decimal
    total: Decimal
    on_ipvb: int
    reindication: int
    meerzorg: int
    structural_deficit: int

    @property
    def utilisation_pct(self) -> Decimal | None:
        return formulas.round2(self.total / self.budget * 100) if self.budget else None


def trend(
    *, organisation: Organisation, weeks: int = 52, until: datetime.date | None = None, department: Any = None
) -> list[TrendPoint]:
    """Budget against package per week over the last ``weeks`` weeks (the board's 12 months)."""
    until = until or timezone.localdate()
    qs = WeeklyDepartmentTotal.objects.for_organisation(organisation).filter(
        week_start__lte=until, week_start__gt=until - datetime.timedelta(weeks=weeks)
    )
    if department is not None:
        qs = qs.filter(department=department)
    rows = (
        qs.values("week_start")
        .annotate(
            budget_sum=Sum("budget"),
            total_sum=Sum("total"),
            n_on_ipvb=Sum("on_ipvb"),
            n_reindication=Sum("reindication"),
            n_meerzorg=Sum("meerzorg"),
            n_deficit=Sum("structural_deficit"),
        )
        .order_by("week_start")
    )
    return [
        TrendPoint(
            r["week_start"],
            r["budget_sum"] or D0,
            r["total_sum"] or D0,
            r["n_on_ipvb"] or 0,
            r["n_reindication"] or 0,
            r["n_meerzorg"] or 0,
            r["n_deficit"] or 0,
        )
        for r in rows
    ]


def addon_revenue(*, organisation: Organisation, on_date: datetime.date) -> list[dict[str, Any]]:
    """Private add-on lines of the packages in force: monthly revenue per item."""
    in_force = packages_in_force(organisation=organisation, on_date=on_date)
    rows = (
        PackageLine.objects.for_organisation(organisation)
        .filter(package__in=in_force.values("pk"), addon_item__isnull=False)
        .values("addon_item__name")
        .annotate(lines=Count("pk"), revenue=Sum("monthly_cost"))
        .order_by("-revenue", "addon_item__name")
    )
    return [{"item": r["addon_item__name"], "lines": r["lines"], "revenue": r["revenue"] or D0} for r in rows]
