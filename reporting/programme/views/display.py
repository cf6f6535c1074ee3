"""How the programme's records are shown on both sides: a screening's answers area by area,
its weakest areas, and the benchmark groups as SVG charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reporting import charts

from .. import benchmark as bench
from ..models import (
    PackagePart,
    Screening,
)

PART_LABELS = dict(PackagePart.choices)


def screening_rows(screening: Screening) -> list[dict[str, Any]]:
    """The questionnaire of a screening with its answers, area by area."""
    scores = {a["code"]: a for a in screening.area_scores}
    return [
        {
            "code": area["code"],
            "title": area["title"],
            "score": scores.get(area["code"]),
            "weak": area["code"] in screening.weakest_areas,
            "questions": [
                {"code": q["code"], "text": q["text"], "answer": screening.answers.get(q["code"])}
                for q in area["questions"]
            ],
        }
        for area in screening.questionnaire.areas
    ]


def weakest_titles(screening: Screening | None) -> list[str]:
    if screening is None:
        return []
    titles = {a["code"]: a["title"] for a in screening.questionnaire.areas}
    return [titles.get(code, code) for code in screening.weakest_areas]


def benchmark_charts(groups: list[dict[str, Any]], *, named: bool) -> list[dict[str, Any]]:
    """One SVG bar chart per group: the organisations' values (named for the reporting party;
    for an organisation: itself and the others unnamed)."""
    out = []
    for i, group in enumerate(groups):
        if named:
            labels = [row["organisation"] for row in group["values"]]
            values = [Decimal(row["value"]) for row in group["values"]]
        elif group["shown"]:
            own = Decimal(group["own"])
            others = [Decimal(v) for v in group["others"]]
            labels = [_("Uw organisatie")] + [
                _("Andere organisatie %(n)s") % {"n": n + 1} for n in range(len(others))
            ]
            values = [own, *others]
        else:
            out.append({**group, "chart": None})
            continue
        chart = charts.bar_chart(
            title=f"{bench.METRICS[group['metric']]}: {group['group']}",
            labels=labels,
            series=[charts.Series(str(bench.METRICS[group["metric"]]), values)],
            chart_id=f"benchmark-{i}",
            table_id=f"benchmark-table-{i}",
        )
        out.append({**group, "chart": chart, "index": i})
    return out
