"""The weekly snapshot job (domain page section 7, architecture "Reporting: read models").

``snapshots_build`` records the state of every active client of one organisation for one ISO
week, set-based: a fixed handful of queries for the whole organisation (clients, placements,
indications, the budget inputs through costing's ``budgets_for_clients``, the packages in
force, their hours, last week's streaks, this week's rows) and bulk writes. It is idempotent:
a second run changes nothing (rows whose figures are equal are not touched, so their
``updated_at`` stays and delta pulls see nothing new). Back-filling past weeks gives what the
job would have recorded then, because every input is dated and never edited in place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from clients.models import Client, Placement
from conversations.models import Package, PackageLine
from conversations.selectors import packages_in_force
from costing.budget import budgets_for_clients
from costing.selectors import year_settings
from ipvb.models import Department, Organisation

from . import formulas
from .models import SnapshotRun, WeeklyDepartmentTotal, WeeklySnapshot

COMPARED_FIELDS = (
    "department_id",
    "iso_year",
    "iso_week",
    "care_profile",
    "budget",
    "raw_budget",
    "budget_hours",
    "package_id",
    "package_total",
    "hours",
    "overrun_pct",
    "review_date",
    "overrun",
    "over_threshold",
    "weeks_over_threshold",
    "reindication",
    "structural_deficit",
    "meerzorg",
    "threshold_pct",
    "threshold_weeks",
    "sources",
    "missing",
)


@dataclass(frozen=True)
class BuildResult:
    week_start: datetime.date
    clients: int
    created: int
    updated: int
    unchanged: int
    deleted: int


def active_clients(*, organisation: Organisation | int, on_date: datetime.date) -> list[Client]:
    """Clients whose stay covers ``on_date`` (admitted on or before, not discharged before)."""
    return list(
        Client.objects.for_organisation(organisation)
        .filter(admission_date__lte=on_date)
        .filter(Q(discharge_date__isnull=True) | Q(discharge_date__gte=on_date))
        .select_related("organisation", "department")
        .order_by("pk")
    )


def _place_on_date(clients: list[Client], organisation: Organisation | int, on_date: datetime.date) -> None:
    """Puts every client on the department of their placement on ``on_date`` (in memory), so a
    back-filled week uses the department they were on then."""
    placements = dict(
        Placement.objects.for_organisation(organisation)
        .filter(client__in=[c.pk for c in clients], start_date__lte=on_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
        .order_by("client_id", "start_date")
        .values_list("client_id", "department_id")
    )
    if not any(placements.get(c.pk, c.department_id) != c.department_id for c in clients):
        return
    departments = {d.pk: d for d in Department.objects.for_organisation(organisation)}
    for client in clients:
        department_id = placements.get(client.pk)
        if department_id is not None and department_id != client.department_id:
            client.department = departments[department_id]


def _hours_by_package(organisation: Organisation | int, package_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        PackageLine.objects.for_organisation(organisation)
        .filter(package_id__in=package_ids, funding=PackageLine.Funding.BUDGET, activity__isnull=False)
        .values("package_id")
        .annotate(minutes=Sum(F("minutes") * F("occurrences_per_week")))
    )
    return {row["package_id"]: formulas.round2(Decimal(row["minutes"] or 0) / 60) for row in rows}


def _sources(budget: Any, package: Package | None) -> dict[str, Any]:
    return {
        "indication": getattr(budget.indication, "pk", None),
        "tariff": getattr(budget.tariff, "pk", None),
        "year_settings": getattr(budget.settings, "pk", None),
        "cost_price_model": getattr(budget.model, "pk", None),
        "cost_price_model_version": getattr(budget.model, "version", None),
        "group_care_year": budget.on_date.year if budget.group is not None else None,
        "package": package.pk if package else None,
        "package_version": package.version if package else None,
    }


def snapshot_values(
    *,
    client: Client,
    budget: Any,
    package: Package | None,
    hours: Decimal,
    previous_streak: int,
    threshold_pct: Decimal,
    threshold_weeks: int,
    monday: datetime.date,
) -> dict[str, Any]:
    """The figures and signals of one client in one week (pure, given the inputs)."""
    shown = budget.personal_budget
    total = package.total if package is not None else None
    over = formulas.over_threshold(total, shown, threshold_pct)
    streak = formulas.next_streak(previous_streak, over)
    profile = budget.indication.care_profile if budget.indication is not None else ""
    iso = monday.isocalendar()
    return {
        "department_id": client.department_id,
        "iso_year": iso[0],
        "iso_week": iso[1],
        "care_profile": profile,
        "budget": shown,
        "raw_budget": budget.raw_budget,
        "budget_hours": budget.hours_at_reference,
        "package_id": package.pk if package else None,
        "package_total": total,
        "hours": hours if package else Decimal("0.00"),
        "overrun_pct": formulas.overrun_pct(total, shown),
        "review_date": package.review_date if package else None,
        "overrun": formulas.is_overrun(total, shown),
        "over_threshold": over,
        "weeks_over_threshold": streak,
        "reindication": formulas.reindication(streak, threshold_weeks),
        "structural_deficit": formulas.structural_deficit(budget.raw_budget),
        "meerzorg": formulas.is_meerzorg(profile, total, shown),
        "threshold_pct": Decimal(threshold_pct),
        "threshold_weeks": threshold_weeks,
        "sources": _sources(budget, package),
        "missing": [str(message) for message in budget.missing],
    }


def _normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _same(row: WeeklySnapshot, values: dict[str, Any]) -> bool:
    return all(_normalise(getattr(row, name)) == _normalise(values[name]) for name in COMPARED_FIELDS)


@transaction.atomic
def snapshots_build(
    *, organisation: Organisation | int, week_of: datetime.date, trigger: str = "job"
) -> BuildResult:
    """Takes (or re-takes) the snapshots of one organisation for the ISO week of ``week_of``."""
    started = timezone.now()
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    monday = formulas.week_start(week_of)
    clients = active_clients(organisation=org_id, on_date=monday)
    _place_on_date(clients, org_id, monday)
    budgets = budgets_for_clients(clients=clients, on_date=monday)
    in_force: dict[int, Package] = {}
    if clients:
        for package in (
            packages_in_force(organisation=org_id, on_date=monday)
            .filter(client_id__in=[c.pk for c in clients])
            .order_by("client_id", "-start_date", "-version")
        ):
            in_force.setdefault(package.client_id, package)
    hours = _hours_by_package(org_id, [p.pk for p in in_force.values()]) if in_force else {}
    settings = year_settings(organisation=org_id, year=monday.year)
    threshold_pct = (
        settings.reindication_threshold_pct if settings else None
    ) or formulas.DEFAULT_THRESHOLD_PCT
    threshold_weeks = (settings.reindication_weeks if settings else None) or formulas.DEFAULT_WEEKS
    snapshots = WeeklySnapshot.objects.for_organisation(org_id)
    previous = dict(
        snapshots.filter(week_start=monday - datetime.timedelta(days=7)).values_list(
            "client_id", "weeks_over_threshold"
        )
    )
    existing = {row.client_id: row for row in snapshots.filter(week_start=monday)}
    now = timezone.now()
    to_create: list[WeeklySnapshot] = []
    to_update: list[WeeklySnapshot] = []
    unchanged = 0
    for client in clients:
        in_force_package = in_force.get(client.pk)
        values = snapshot_values(
            client=client,
            budget=budgets[client.pk],
            package=in_force_package,
            hours=hours.get(in_force_package.pk, Decimal("0.00")) if in_force_package else Decimal("0.00"),
            previous_streak=previous.get(client.pk, 0),
            threshold_pct=threshold_pct,
            threshold_weeks=threshold_weeks,
            monday=monday,
        )
        row = existing.pop(client.pk, None)
        if row is None:
            to_create.append(
                WeeklySnapshot(
                    organisation_id=org_id, client_id=client.pk, week_start=monday, updated_at=now, **values
                )
            )
        elif _same(row, values):
            unchanged += 1
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            to_update.append(row)
    WeeklySnapshot.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        snapshots.bulk_update(to_update, [*COMPARED_FIELDS, "updated_at"], batch_size=500)
    deleted = 0
    if existing:  # clients no longer active in that week (e.g. a corrected admission date)
        deleted, _ = snapshots.filter(pk__in=[row.pk for row in existing.values()]).delete()
    _department_totals(org_id, monday)
    result = BuildResult(monday, len(clients), len(to_create), len(to_update), unchanged, deleted)
    if trigger == "demo" and not (to_create or to_update or deleted):
        return result  # loading the demo twice changes nothing
    SnapshotRun.objects.create(
        organisation_id=org_id,
        week_start=monday,
        clients=result.clients,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        trigger=trigger,
        started_at=started,
        finished_at=timezone.now(),
    )
    return result


TOTAL_FIELDS = (
    "clients",
    "on_ipvb",
    "budget",
    "total",
    "overrun",
    "reindication",
    "structural_deficit",
    "meerzorg",
)


def _department_totals(org_id: int, monday: datetime.date) -> None:
    """Sums the week's snapshots per department into ``WeeklyDepartmentTotal`` (one query to
    read, bulk writes only for what changed)."""
    on_ipvb = Q(package__isnull=False)
    rows = (
        WeeklySnapshot.objects.for_organisation(org_id)
        .filter(week_start=monday)
        .values("department_id")
        .annotate(
            n_clients=Count("pk"),
            n_on_ipvb=Count("pk", filter=on_ipvb),
            sum_budget=Sum("budget", filter=on_ipvb),
            sum_total=Sum("package_total", filter=on_ipvb),
            n_overrun=Count("pk", filter=Q(overrun=True)),
            n_reindication=Count("pk", filter=Q(reindication=True)),
            n_deficit=Count("pk", filter=Q(structural_deficit=True)),
            n_meerzorg=Count("pk", filter=Q(meerzorg=True)),
        )
        .order_by()
    )
    totals = WeeklyDepartmentTotal.objects.for_organisation(org_id)
    existing = {row.department_id: row for row in totals.filter(week_start=monday)}
    create, update = [], []
    for row in rows:
        values = {
            "clients": row["n_clients"],
            "on_ipvb": row["n_on_ipvb"],
            "budget": row["sum_budget"] or Decimal("0.00"),
            "total": row["sum_total"] or Decimal("0.00"),
            "overrun": row["n_overrun"],
            "reindication": row["n_reindication"],
            "structural_deficit": row["n_deficit"],
            "meerzorg": row["n_meerzorg"],
        }
        current = existing.pop(row["department_id"], None)
        if current is None:
            create.append(
                WeeklyDepartmentTotal(
                    organisation_id=org_id, department_id=row["department_id"], week_start=monday, **values
                )
            )
        elif any(
            _normalise(getattr(current, k)) != _normalise(Decimal(v) if k in ("budget", "total") else v)
            for k, v in values.items()
        ):
            for name, value in values.items():
                setattr(current, name, value)
            update.append(current)
    WeeklyDepartmentTotal.objects.bulk_create(create)
    if update:
        totals.bulk_update(update, list(TOTAL_FIELDS))
    if existing:
        totals.filter(pk__in=[row.pk for row in existing.values()]).delete()


def snapshots_backfill(
    *,
    organisation: Organisation | int,
    weeks: int = 26,
    until: datetime.date | None = None,
    trigger: str = "backfill",
) -> list[BuildResult]:
    """The last ``weeks`` ISO weeks up to and including the week of ``until`` (default today),
    oldest first so every week's streak builds on the week before."""
    last = formulas.week_start(until or timezone.localdate())
    return [
        snapshots_build(
            organisation=organisation, week_of=last - datetime.timedelta(weeks=offset), trigger=trigger
        )
        for offset in range(weeks - 1, -1, -1)
    ]
