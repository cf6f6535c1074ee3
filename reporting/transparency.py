"""The monthly transparency report (domain page section 9): its data, built from aggregates in
SQL, with the small-count rule applied. No personal data ever enters it: no names, BSN, dates
of birth, client ids or free text; only counts, sums and distributions per group.

The usage figures that need a budget (clients on iPVB, utilisation, signals) read the weekly
snapshot of the last Monday on or before the month's last day (``reporting.snapshots``)."""

from __future__ import annotations

import calendar
import datetime
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DecimalField, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import Coalesce

from catalog.models import ActivityCategory, AddOnItem, AddOnPrice
from conversations.models import Conversation, Package, PackageLine
from conversations.selectors import packages_in_force
from costing import selectors as costing
from ipvb.models import Department, Organisation

from .models import WeeklySnapshot
from .pilot import MIN_CLIENTS
from .selectors.formatie import formatie
from .selectors.snapshots import latest_week

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "monthly_report.schema.json"
MIN_GROUP = 5  # section 9: a figure about fewer than 5 clients is suppressed
SUPPRESSED = "< 5"
BANDS = (
    ("lt70", None, 70),
    ("70_90", 70, 90),
    ("90_100", 90, 100),
    ("100_110", 100, 110),
    ("gt110", 110, None),
)


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


class Percentile(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=fraction, **extra)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def money(value: Any) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(value: Any) -> str | None:
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def count(n: int) -> int | str:
    """A count of clients as it leaves the organisation: "< 5" below the threshold."""
    return n if n >= MIN_GROUP else SUPPRESSED


def _suppressed(n: int) -> bool:
    return n < MIN_GROUP


# Sections ---------------------------------------------------------------------------------------


def cost_price_section(organisation: Organisation | int, last: datetime.date) -> dict[str, Any]:
    model = costing.model_in_force(organisation=organisation, on_date=last)
    settings_row = costing.year_settings(organisation=organisation, year=last.year)
    card = costing.rate_card_for_model(model=model) if model else None
    section: dict[str, Any] = {
        "model": None,
        "hotel_costs_per_day": money(settings_row.hotel_costs_per_day) if settings_row else None,
        "contract_percentage": money(settings_row.contract_percentage) if settings_row else None,
        "group_care": [],
    }
    if model is not None and card is not None:
        inputs = model.inputs
        section["model"] = {
            "year": model.year,
            "version": model.version,
            "effective_from": model.effective_from.isoformat(),
            "inputs": {
                "paid_hours_per_fte": money(inputs.paid_hours),
                "leave_pct": money(inputs.leave_pct),
                "sickness_pct": money(inputs.sickness_pct),
                "training_pct": money(inputs.training_pct),
                "client_bound_pct": money(inputs.client_bound_pct),
                "overhead_pct": money(inputs.overhead_pct),
            },
            "levels": [
                {
                    "level": entry.level.name,
                    "salary": money(entry.model_level.salary),
                    "employer_cost_E": money(entry.build_up.employer_cost),
                    "available_hours_A": money(entry.build_up.available_hours),
                    "client_bound_hours_C": money(entry.build_up.client_bound_hours),
                    "direct_cost_D": money(entry.build_up.direct_cost),
                    "integral_rate_K": money(entry.build_up.integral_rate),
                }
                for entry in card.levels.values()
            ],
        }
    for department in Department.objects.for_organisation(organisation).order_by("name"):
        share = costing.group_share_for_department(department=department, year=last.year, card=card)
        section["group_care"].append(
            {
                "department": department.name,
                "kind": department.kind,
                "places": department.places,
                "hours_per_level": [
                    {"level": line.level.name, "hours_per_week": money(line.hours_per_week)}
                    for line in share.lines
                ],
                "G_per_place": money(share.amount),
            }
        )
    return section


def addon_section(
    organisation: Organisation | int, first: datetime.date, last: datetime.date
) -> dict[str, Any]:
    items = list(
        AddOnItem.objects.for_organisation(organisation)
        .filter(active_from__lte=last)
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=first))
        .order_by("name")
    )
    prices = list(
        AddOnPrice.objects.for_organisation(organisation)
        .filter(item__in=[i.pk for i in items], valid_from__lte=last)
        .order_by("item_id", "valid_from")
    )
    in_force: dict[int, AddOnPrice] = {}
    changed: set[int] = set()
    seen: set[int] = set()
    for price in prices:
        if first <= price.valid_from <= last and price.item_id in seen:
            changed.add(price.item_id)
        seen.add(price.item_id)
        if price.valid_until is None or price.valid_until > last:
            in_force[price.item_id] = price
    rows = []
    changes: dict[str, list[str]] = {"new": [], "ended": [], "price_changed": []}
    for item in items:
        price = in_force.get(item.pk)
        excl = None
        if price is not None:
            excl = price.price_incl_vat / (1 + Decimal(price.vat_rate) / 100)
        rows.append(
            {
                "item": item.name,
                "category": item.category,
                "unit": item.unit,
                "price_excl_vat": money(excl),
                "price_incl_vat": money(price.price_incl_vat) if price else None,
                "vat_rate": price.vat_rate if price else None,
            }
        )
        if first <= item.active_from <= last:
            changes["new"].append(item.name)
        if item.active_until is not None and first <= item.active_until <= last:
            changes["ended"].append(item.name)
        if item.pk in changed:
            changes["price_changed"].append(item.name)
    return {"items": rows, "changes": changes}


def _interpolate(values: list[Decimal], fraction: float) -> Decimal | None:
    """PERCENTILE_CONT in Python (linear interpolation), for databases without it (the SQLite
    demo); PostgreSQL computes it in SQL."""
    if not values:
        return None
    position = Decimal(str(fraction)) * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _utilisation_group(qs: Any) -> dict[str, Any]:
    util = ExpressionWrapper(F("package_total") * 100 / F("budget"), output_field=DecimalField())
    if connection.vendor == "postgresql":
        percentiles = {
            "median": Percentile(util, 0.5),
            "p10": Percentile(util, 0.1),
            "p90": Percentile(util, 0.9),
        }
    else:
        percentiles = {}
    agg = qs.aggregate(
        n=Count("pk"),
        mean=Avg(util),
        **percentiles,
        **{
            f"band_{key}": Count(
                "pk",
                filter=(Q(util_pct__gte=low) if low is not None else Q())
                & (Q(util_pct__lt=high) if high is not None else Q()),
            )
            for key, low, high in BANDS
        },
    )
    if not percentiles:
        values = sorted(Decimal(v) for v in qs.order_by().values_list("util_pct", flat=True))
        agg.update(
            median=_interpolate(values, 0.5), p10=_interpolate(values, 0.1), p90=_interpolate(values, 0.9)
        )
    return agg


def usage_section(
    organisation: Organisation | int, first: datetime.date, last: datetime.date
) -> dict[str, Any]:
    week = latest_week(organisation=organisation, on_or_before=last)
    week_rows = WeeklySnapshot.objects.for_organisation(organisation).filter(
        week_start=week if week is not None else datetime.date.min
    )
    on_ipvb = week_rows.filter(package__isnull=False)
    total_on_ipvb = on_ipvb.count()
    departments = {d.pk: d for d in Department.objects.for_organisation(organisation)}

    by_profile = [
        {
            "profile": row["care_profile"] or "-",
            "clients": count(row["n"]),
            "suppressed": _suppressed(row["n"]),
        }
        for row in on_ipvb.values("care_profile").annotate(n=Count("pk")).order_by("care_profile")
    ]
    dept_counts = {
        row["department_id"]: row["n"]
        for row in on_ipvb.values("department_id").annotate(n=Count("pk")).order_by()
    }
    by_department = [
        {
            "department": departments[pk].name,
            "clients": count(n),
            "suppressed": _suppressed(n),
        }
        for pk, n in sorted(dept_counts.items(), key=lambda kv: departments[kv[0]].name)
    ]

    # Utilisation by profile: only clients with a budget above zero and a package.
    measured = on_ipvb.filter(budget__gt=0, package_total__isnull=False).annotate(
        util_pct=ExpressionWrapper(F("package_total") * 100 / F("budget"), output_field=DecimalField())
    )
    utilisation = []
    profiles = sorted(set(measured.values_list("care_profile", flat=True).distinct().order_by()))
    for profile in [*profiles, None]:
        qs = measured if profile is None else measured.filter(care_profile=profile)
        agg = _utilisation_group(qs)
        n = agg["n"]
        hidden = _suppressed(n)
        utilisation.append(
            {
                "profile": "all" if profile is None else (profile or "-"),
                "clients": count(n),
                "suppressed": hidden,
                "mean_pct": None if hidden else pct(agg["mean"]),
                "median_pct": None if hidden else pct(agg["median"]),
                "p10_pct": None if hidden else pct(agg["p10"]),
                "p90_pct": None if hidden else pct(agg["p90"]),
                "bands": None if hidden else {key: count(agg[f"band_{key}"]) for key, _low, _high in BANDS},
            }
        )

    signals_agg = week_rows.aggregate(
        overrun=Count("pk", filter=Q(overrun=True)),
        reindication=Count("pk", filter=Q(reindication=True)),
        structural_deficit=Count("pk", filter=Q(structural_deficit=True)),
        meerzorg=Count("pk", filter=Q(meerzorg=True)),
    )
    signals = {key: count(value) for key, value in signals_agg.items()}

    # Wellbeing share of the packages in force on the last day.
    in_force = packages_in_force(organisation=organisation, on_date=last).filter(
        client__admission_date__lte=last
    )
    lines = PackageLine.objects.for_organisation(organisation).filter(package__in=in_force.values("pk"))
    wellbeing = lines.aggregate(
        wellbeing=Coalesce(
            Sum("cost_per_week", filter=Q(activity__category=ActivityCategory.WELLBEING)), Decimal(0)
        ),
    )
    packages = in_force.aggregate(
        total=Coalesce(Sum("total"), Decimal(0)), clients=Count("client_id", distinct=True)
    )
    package_sum = packages["total"]
    wellbeing["clients"] = packages["clients"]
    wb_hidden = _suppressed(wellbeing["clients"])
    wellbeing_share = {
        "clients": count(wellbeing["clients"]),
        "suppressed": wb_hidden,
        "share_pct": None
        if wb_hidden or not package_sum
        else pct(Decimal(wellbeing["wellbeing"]) * 100 / Decimal(package_sum)),
    }

    conversations = []
    for row in (
        Conversation.objects.for_organisation(organisation)
        .filter(status=Conversation.Status.COMPLETED, held_at__date__gte=first, held_at__date__lte=last)
        .values("kind", "outcome")
        .annotate(n=Count("pk"), clients=Count("client_id", distinct=True))
        .order_by("kind", "outcome")
    ):
        hidden = _suppressed(row["clients"])
        conversations.append(
            {
                "kind": row["kind"],
                "outcome": row["outcome"] or "-",
                "conversations": SUPPRESSED if hidden else row["n"],
                "suppressed": hidden,
            }
        )

    agreed = (
        Package.objects.for_organisation(organisation)
        .filter(status__in=[Package.Status.AGREED, Package.Status.SUPERSEDED])
        .filter(
            Q(agreed_at__date__gte=first, agreed_at__date__lte=last)
            | Q(agreed_at__isnull=True, start_date__gte=first, start_date__lte=last)
        )
        .aggregate(
            n=Count("pk"),
            clients=Count("client_id", distinct=True),
            replacing=Count("pk", filter=Q(version__gt=1)),
            replacing_clients=Count("client_id", filter=Q(version__gt=1), distinct=True),
        )
    )
    packages_agreed = {
        "agreed": SUPPRESSED if _suppressed(agreed["clients"]) else agreed["n"],
        "replacing_earlier": SUPPRESSED if _suppressed(agreed["replacing_clients"]) else agreed["replacing"],
        "suppressed": _suppressed(agreed["clients"]) or _suppressed(agreed["replacing_clients"]),
    }

    addon_purchases = []
    for row in (
        lines.filter(addon_item__isnull=False)
        .values("addon_item__name")
        .annotate(
            n=Count("pk"),
            revenue=Coalesce(Sum("monthly_cost"), Decimal(0)),
            clients=Count("package__client_id", distinct=True),
        )
        .order_by("addon_item__name")
    ):
        hidden = _suppressed(row["clients"])
        addon_purchases.append(
            {
                "item": row["addon_item__name"],
                "lines": SUPPRESSED if hidden else row["n"],
                "revenue": None if hidden else money(row["revenue"]),
                "suppressed": hidden,
            }
        )

    staffing = [
        {
            "department": dept.department.name,
            "levels": [
                {
                    "level": line.level.name,
                    "required_fte": money(line.required_fte),
                    "actual_fte": money(line.actual_fte),
                }
                for line in dept.lines
            ],
        }
        for dept in formatie(organisation=organisation, on_date=last)
    ]

    pilots = [d for d in departments.values() if d.is_pilot]
    pilot_on_ipvb = sum(dept_counts.get(d.pk, 0) for d in pilots)
    with_group = sum(1 for d in pilots if d.kind == Department.Kind.WITH_GROUP_CARE)
    without_group = sum(1 for d in pilots if d.kind == Department.Kind.WITHOUT_GROUP_CARE)
    departments_met = len(pilots) >= 2 and with_group >= 1 and without_group >= 1
    pilot = {
        "pilot_departments": len(pilots),
        "with_group_care": with_group,
        "without_group_care": without_group,
        "clients_on_ipvb": count(pilot_on_ipvb),
        "departments_met": departments_met,
        "clients_met": pilot_on_ipvb >= MIN_CLIENTS,
        "met": departments_met and pilot_on_ipvb >= MIN_CLIENTS,
    }

    return {
        "snapshot_week": week.isoformat() if week else None,
        "clients_on_ipvb": {
            "total": count(total_on_ipvb),
            "suppressed": _suppressed(total_on_ipvb),
            "by_profile": by_profile,
            "by_department": by_department,
        },
        "conversations": conversations,
        "packages_agreed": packages_agreed,
        "utilisation": utilisation,
        "wellbeing_share": wellbeing_share,
        "signals": signals,
        "addon_purchases": addon_purchases,
        "formatie": staffing,
        "pilot_status": pilot,
    }


def build_report_data(organisation: Organisation | int, month: datetime.date) -> dict[str, Any]:
    """The report's content for ``organisation`` (id or object) and the month of ``month``."""
    from ipvb.models import Organisation

    org = (
        organisation if isinstance(organisation, Organisation) else Organisation.objects.get(pk=organisation)
    )
    first, last = month_bounds(month)
    return {
        "schema_version": SCHEMA_VERSION,
        "organisation": {"name": org.name, "agb_code": org.agb_code},
        "month": f"{first:%Y-%m}",
        "period": {"first_day": first.isoformat(), "last_day": last.isoformat()},
        "small_count_threshold": MIN_GROUP,
        "cost_price": cost_price_section(org, last),
        "addon_catalogue": addon_section(org, first, last),
        "usage": usage_section(org, first, last),
    }
