"""The benchmark (domain page section 10): per profile and level, the distribution across
participating organisations of K, B, utilisation and wellbeing share. Read from each
organisation's latest stored monthly report (what has left the organisation, small counts
already suppressed) and, for B, the mean budget of that report's snapshot week per profile
(groups of fewer than 5 clients left out). The reporting party sees organisations by name;
an organisation sees its own position against the others unnamed, and only where at least
``MIN_OTHERS`` other organisations contribute."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from ipvb.models import Organisation
from reporting.models import MonthlyReport, WeeklySnapshot
from reporting.parties import consenting_organisations, latest_reports
from reporting.transparency import MIN_GROUP, _interpolate, money, pct

MIN_OTHERS = 3
METRICS: dict[str, Any] = {
    "K": _("Integraal uurtarief K (€ per uur), per niveau"),
    "B": _("Persoonsvolgend budget B (€ per week), per zorgprofiel"),
    "utilisation": _("Benutting (%), per zorgprofiel"),
    "wellbeing": _("Welzijnsaandeel (%), alle profielen"),
}
METRIC_ORDER = tuple(METRICS)

Values = dict[tuple[str, str], dict[int, Decimal]]


def _latest_per_organisation() -> list[MonthlyReport]:
    seen: dict[int, MonthlyReport] = {}
    for report in latest_reports(consenting_organisations().values("pk")):
        seen.setdefault(report.organisation_id, report)  # ordered by -month
    return list(seen.values())


def _collect() -> tuple[Values, dict[int, str]]:
    values: Values = defaultdict(dict)
    names: dict[int, str] = {}
    for report in _latest_per_organisation():
        org = report.organisation_id
        names[org] = report.organisation.name
        data = report.data
        model = (data.get("cost_price") or {}).get("model") or {}
        for level in model.get("levels", []):
            if level.get("integral_rate_K"):
                values[("K", level["level"])][org] = Decimal(level["integral_rate_K"])
        usage = data.get("usage") or {}
        for row in usage.get("utilisation", []):
            if not row["suppressed"] and row["mean_pct"] is not None and row["profile"] != "all":
                values[("utilisation", row["profile"])][org] = Decimal(row["mean_pct"])
        share = usage.get("wellbeing_share") or {}
        if not share.get("suppressed") and share.get("share_pct") is not None:
            values[("wellbeing", "all")][org] = Decimal(share["share_pct"])
        week = usage.get("snapshot_week")
        if week:
            for row in (
                WeeklySnapshot.objects.dangerously_unscoped()
                .filter(
                    organisation_id=org,
                    week_start=datetime.date.fromisoformat(week),
                    package__isnull=False,
                    budget__isnull=False,
                )
                .values("care_profile")
                .annotate(n=Count("pk"), b=Avg("budget"))
                .order_by("care_profile")
            ):
                if row["n"] >= MIN_GROUP and row["care_profile"]:
                    values[("B", row["care_profile"])][org] = Decimal(row["b"])
    return values, names


def _fmt(metric: str, value: Decimal | None) -> str | None:
    if value is None:
        return None
    return money(value) if metric in ("K", "B") else pct(value)


def _stats(metric: str, numbers: list[Decimal]) -> dict[str, Any]:
    ordered = sorted(numbers)
    return {
        "organisations": len(ordered),
        "min": _fmt(metric, ordered[0]) if ordered else None,
        "p25": _fmt(metric, _interpolate(ordered, 0.25)),
        "median": _fmt(metric, _interpolate(ordered, 0.5)),
        "p75": _fmt(metric, _interpolate(ordered, 0.75)),
        "max": _fmt(metric, ordered[-1]) if ordered else None,
    }


def _sorted_keys(values: Values) -> list[tuple[str, str]]:
    return sorted(values, key=lambda key: (METRIC_ORDER.index(key[0]), key[1]))


def benchmark_for_party() -> dict[str, Any]:
    values, names = _collect()
    groups = []
    for metric, group in _sorted_keys(values):
        per_org = values[(metric, group)]
        groups.append(
            {
                "metric": metric,
                "group": group,
                **_stats(metric, list(per_org.values())),
                "values": [
                    {"organisation_id": org, "organisation": names[org], "value": _fmt(metric, value)}
                    for org, value in sorted(per_org.items(), key=lambda kv: (kv[1], names[kv[0]]))
                ],
            }
        )
    return {"min_other_organisations": MIN_OTHERS, "organisations": len(names), "groups": groups}


def benchmark_for_organisation(organisation: Organisation) -> dict[str, Any]:
    """The organisation's own position: its value, its rank (1 = lowest) and the others'
    values unnamed, only in groups where it contributes and at least 3 others do."""
    values, names = _collect()
    own_id = organisation.pk
    participating = own_id in names
    groups = []
    for metric, group in _sorted_keys(values):
        per_org = values[(metric, group)]
        own = per_org.get(own_id)
        others = [v for org, v in per_org.items() if org != own_id]
        shown = own is not None and len(others) >= MIN_OTHERS
        row: dict[str, Any] = {
            "metric": metric,
            "group": group,
            "shown": shown,
            "own": _fmt(metric, own),
            "other_organisations": len(others) if shown else None,
            "rank": None,
            "of": None,
            "others": None,
            "organisations": None,
            "min": None,
            "p25": None,
            "median": None,
            "p75": None,
            "max": None,
        }
        if shown and own is not None:
            everyone = sorted([*others, own])
            row.update(_stats(metric, everyone))
            row["rank"] = everyone.index(own) + 1
            row["of"] = len(everyone)
            row["others"] = [_fmt(metric, v) for v in sorted(others)]
        if own is not None:
            groups.append(row)
    return {"min_other_organisations": MIN_OTHERS, "participating": participating, "groups": groups}
