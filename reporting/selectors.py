"""Reads of reporting: dashboards, signals, worklists and formatie (domain page sections 7, 8
and 11). Every selector takes the organisation (or a membership) and aggregates in SQL over
the weekly snapshots; the number of queries does not grow with the number of clients."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from clients.models import Client
from clients.selectors import indications_in_force, restrict_to_visible
from conversations.models import Package, PackageLine
from conversations.selectors import packages_in_force
from costing.models import CostPriceModel, GroupCare, StaffLevel
from costing.selectors import BudgetLookups, budget_for_client, rate_card, rate_card_for_model, year_settings
from ipvb.models import Department

from . import formulas
from .models import ActualStaffing, WeeklyDepartmentTotal, WeeklySnapshot

D0 = Decimal("0.00")
SIGNAL_KINDS = ("overrun", "reindication", "structural_deficit", "meerzorg")


def snapshots(*, organisation: Any) -> QuerySet[WeeklySnapshot]:
    return WeeklySnapshot.objects.for_organisation(organisation)


def latest_week(*, organisation: Any, on_or_before: datetime.date | None = None) -> datetime.date | None:
    qs = snapshots(organisation=organisation)
    if on_or_before is not None:
        qs = qs.filter(week_start__lte=on_or_before)
    return qs.aggregate(week=Max("week_start"))["week"]


def departments_for(*, membership: Any) -> QuerySet[Department]:
    return membership.restrict_departments(Department.objects.for_organisation(membership.organisation))


# Aggregates ----------------------------------------------------------------------------------

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
    *, organisation: Any, week: datetime.date | None, departments: QuerySet[Department] | None = None
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


def department_totals(*, organisation: Any, week: datetime.date | None) -> list[SummaryRow]:
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


def summary_by_profile(*, organisation: Any, week: datetime.date | None) -> list[SummaryRow]:
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
    *, organisation: Any, weeks: int = 52, until: datetime.date | None = None, department: Any = None
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
    membership: Any,
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
    *, organisation: Any, client_ids: list[int], until: datetime.date, weeks: int = 26
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


# Add-on revenue ----------------------------------------------------------------------------------


def addon_revenue(*, organisation: Any, on_date: datetime.date) -> list[dict[str, Any]]:
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


# Worklists -----------------------------------------------------------------------------------------


def approvals_waiting(*, membership: Any) -> list[Package]:
    qs = Package.objects.for_organisation(membership.organisation).filter(
        status=Package.Status.PENDING_APPROVAL
    )
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return list(qs.select_related("client", "client__department", "submitted_by").order_by("submitted_at"))


def reviews(*, membership: Any, today: datetime.date) -> list[dict[str, Any]]:
    """Packages in force whose review is overdue or due within 30 days."""
    horizon = today + datetime.timedelta(days=formulas.REVIEW_DUE_DAYS)
    qs = packages_in_force(organisation=membership.organisation, on_date=today).filter(
        status=Package.Status.AGREED, review_date__lte=horizon
    )
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return [
        {"package": p, "client": p.client, "state": formulas.review_state(p.review_date, today)}
        for p in qs.select_related("client", "client__department").order_by("review_date")
    ]


def drafts_in_progress(*, membership: Any) -> list[Package]:
    qs = Package.objects.for_organisation(membership.organisation).filter(status__in=Package.OPEN_STATUSES)
    qs = restrict_to_visible(qs, membership=membership, client_path="client__")
    return list(qs.select_related("client", "client__department").order_by("client__family_name"))


def clients_without_package(*, membership: Any, today: datetime.date) -> list[Client]:
    in_force = packages_in_force(organisation=membership.organisation, on_date=today).values("client_id")
    qs = Client.objects.for_organisation(membership.organisation).filter(status=Client.Status.ACTIVE)
    qs = restrict_to_visible(qs, membership=membership).exclude(pk__in=in_force)
    return list(qs.select_related("department").order_by("family_name", "given_name"))


# Formatie (section 8) ------------------------------------------------------------------------------


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
    *, organisation: Any, on_date: datetime.date, departments: list[int] | None = None
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
    organisation: Any,
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
    in_force = packages_in_force(organisation=organisation, on_date=on_date).filter(
        client__department__in=ids
    )
    for row in (
        PackageLine.objects.for_organisation(organisation)
        .filter(package__in=in_force.values("pk"), activity__isnull=False)
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


def staffing_history(*, organisation: Any, departments: list[int]) -> list[ActualStaffing]:
    return list(
        ActualStaffing.objects.for_organisation(organisation)
        .filter(department_id__in=departments)
        .select_related("department", "staff_level", "entered_by")
        .order_by("department__name", "staff_level__order", "-effective_from", "-pk")
    )


# What-if of a draft cost-price model (section 11) ---------------------------------------------------


@dataclass
class WhatIf:
    model: CostPriceModel
    packages: int
    current_over_budget: int
    current_over_tolerance: int
    over_budget: int
    over_tolerance: int
    budget_before: Decimal
    budget_after: Decimal
    total_before: Decimal
    total_after: Decimal
    missing_levels: int = 0


class _DraftLookups(BudgetLookups):
    def __init__(self, *, card: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._card = card

    def card(self, organisation: Any) -> Any:
        return self._card


def draft_models(*, organisation: Any) -> QuerySet[CostPriceModel]:
    return (
        CostPriceModel.objects.for_organisation(organisation)
        .filter(status=CostPriceModel.Status.DRAFT)
        .order_by("-year", "-version")
    )


def draft_model_effect(*, organisation: Any, model: CostPriceModel, on_date: datetime.date) -> WhatIf:
    """Re-prices every package in force on ``on_date`` and every budget with the K of the draft
    ``model``: how many go over budget and over tolerance, against today."""
    tolerance = year_settings(organisation=organisation, year=on_date.year)
    tolerance_pct = (tolerance.overrun_tolerance_pct if tolerance else None) or Decimal("5")
    packages = list(
        packages_in_force(organisation=organisation, on_date=on_date)
        .select_related("client", "client__department", "client__organisation")
        .order_by("client_id", "-start_date")
    )
    latest: dict[int, Package] = {}
    for package in packages:
        latest.setdefault(package.client_id, package)
    clients = [p.client for p in latest.values()]
    draft_card = rate_card_for_model(model=model)
    indications = indications_in_force(clients=clients, on_date=on_date) if clients else {}
    now_lookups = BudgetLookups(on_date=on_date, indications=indications)
    new_lookups = _DraftLookups(card=draft_card, on_date=on_date, indications=indications)
    cost: dict[int, Decimal] = defaultdict(lambda: D0)
    missing = 0
    for line in (
        PackageLine.objects.for_organisation(organisation)
        .filter(
            package__in=[p.pk for p in latest.values()],
            funding=PackageLine.Funding.BUDGET,
            activity__isnull=False,
        )
        .select_related("activity")
        .only(
            "package_id",
            "minutes",
            "occurrences_per_week",
            "staff_level_id",
            "activity__is_group",
            "activity__group_size",
            "organisation_id",
        )
    ):
        rate = draft_card.rate(line.staff_level_id)
        if rate is None:
            missing += 1
            continue
        cost[line.package_id] += formulas.round2(
            rate * line.minutes * line.occurrences_per_week / Decimal(60 * line.activity.divisor)
        )
    result = WhatIf(model, len(latest), 0, 0, 0, 0, D0, D0, D0, D0, missing)
    for package in latest.values():
        before = budget_for_client(client=package.client, on_date=on_date, lookups=now_lookups)
        after = budget_for_client(client=package.client, on_date=on_date, lookups=new_lookups)
        b_before = before.personal_budget if before.personal_budget is not None else D0
        b_after = after.personal_budget if after.personal_budget is not None else D0
        t_before = package.total or D0
        t_after = cost.get(package.pk, D0)
        result.budget_before += b_before
        result.budget_after += b_after
        result.total_before += t_before
        result.total_after += t_after
        result.current_over_budget += int(formulas.is_overrun(t_before, b_before))
        result.over_budget += int(formulas.is_overrun(t_after, b_after))
        result.current_over_tolerance += int(formulas.over_threshold(t_before, b_before, tolerance_pct))
        result.over_tolerance += int(formulas.over_threshold(t_after, b_after, tolerance_pct))
    return result
