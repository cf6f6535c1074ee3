"""Server-rendered SVG charts: the same markup in the page and in the PDF, no JavaScript.
Readable without colour: every series has its own line style and marker and a text legend;
the figures are also given as a table (the caller renders it; ``aria-describedby`` points to
it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 48
STYLES = (
    {"stroke": "#1f4e79", "dash": "", "marker": "circle"},
    {"stroke": "#b34700", "dash": "6 4", "marker": "square"},
    {"stroke": "#2e7d32", "dash": "2 3", "marker": "triangle"},
)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 4:.1f} {x - 4:.1f},{y + 3:.1f} {x + 4:.1f},{y + 3:.1f}" '
            f'fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def _scale(values: list[Decimal]) -> Decimal:
    top = max(values, default=Decimal(0))
    if top <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(top))) - 1)
    return ((top / magnitude).to_integral_value(rounding="ROUND_CEILING")) * magnitude


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _label_positions(count: int) -> list[int]:
    """Indexes of the x-axis labels: at most about nine, evenly spaced, always the last one, and
    never two so close that their text overlaps."""
    if count <= 0:
        return []
    every = max(1, -(-count // 9))  # ceil(count / 9)
    regular = [i for i in range(0, count, every) if count - 1 - i >= every or i == count - 1]
    return sorted({*regular, count - 1})


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    table_id: str = "",
    chart_id: str = "chart",
) -> SafeString:
    """A line chart of up to three series over ``labels`` (e.g. weeks)."""
    all_values = [v for s in series for v in s.values if v is not None]
    top = _scale(all_values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: Decimal) -> float:
        return TOP + plot_h - float(v / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(series)}" width="100%" '
        f'aria-labelledby="{escape(chart_id)}-title"'
        + (f' aria-describedby="{escape(table_id)}"' if table_id else "")
        + ">",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#333"/>',
    ]
    for step in range(5):
        value = top * step / 4
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" '
            f'stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">'
            f"{_fmt(value)}</text>"
        )
    for i in _label_positions(len(labels)):
        anchor = "end" if i == count - 1 and count > 1 else "middle"
        parts.append(
            f'<text x="{x(i):.1f}" y="{TOP + plot_h + 16}" font-size="11" text-anchor="{anchor}">'
            f"{escape(labels[i])}</text>"
        )
    for index, serie in enumerate(series):
        style = STYLES[index % len(STYLES)]
        points = [(x(i), y(v)) for i, v in enumerate(serie.values) if v is not None]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{style["stroke"]}" stroke-width="2"{dash}/>'
            )
            parts.extend(_marker(style["marker"], px, py, style["stroke"]) for px, py in points)
        legend_y = HEIGHT + 20 * index
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<line x1="{LEFT}" y1="{legend_y - 4}" x2="{LEFT + 30}" y2="{legend_y - 4}" '
            f'stroke="{style["stroke"]}" stroke-width="2"{dash}/>'
        )
        parts.append(_marker(style["marker"], LEFT + 15, legend_y - 4, style["stroke"]))
        parts.append(f'<text x="{LEFT + 38}" y="{legend_y}" font-size="12">{escape(serie.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(
    *, title: str, labels: Sequence[str], series: Sequence[Series], table_id: str = "", chart_id: str = "bars"
) -> SafeString:
    """Grouped horizontal bars (one group per label, e.g. a department), patterned per series."""
    all_values = [v for s in series for v in s.values if v is not None]
    top = _scale(all_values)
    bar_h, gap = 14, 10
    group_h = bar_h * len(series) + gap
    left = 160
    plot_w = WIDTH - left - RIGHT - 60
    height = TOP + group_h * len(labels) + 20 * len(series) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{escape(chart_id)}-title"'
        + (f' aria-describedby="{escape(table_id)}"' if table_id else "")
        + ">",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#b34700" stroke-width="3"/>'
        "</pattern></defs>",
    ]
    fills = ("#1f4e79", "url(#hatch)", "#2e7d32")
    for gi, label in enumerate(labels):
        gy = TOP + gi * group_h
        parts.append(
            f'<text x="{left - 6}" y="{gy + bar_h:.1f}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        for si, serie in enumerate(series):
            value = serie.values[gi] if gi < len(serie.values) else None
            if value is None:
                continue
            width = float(value / top) * plot_w if top else 0
            by = gy + si * bar_h
            parts.append(
                f'<rect x="{left}" y="{by}" width="{max(width, 0):.1f}" height="{bar_h - 2}" '
                f'fill="{fills[si % len(fills)]}" stroke="#333" stroke-width="0.5"/>'
            )
            parts.append(
                f'<text x="{left + max(width, 0) + 4:.1f}" y="{by + bar_h - 3}" font-size="11">'
                f"{_fmt(value)}</text>"
            )
    legend_top = TOP + group_h * len(labels) + 10
    for si, serie in enumerate(series):
        ly = legend_top + 20 * si
        parts.append(
            f'<rect x="{left}" y="{ly}" width="24" height="12" fill="{fills[si % len(fills)]}" '
            f'stroke="#333" stroke-width="0.5"/>'
        )
        parts.append(f'<text x="{left + 30}" y="{ly + 11}" font-size="12">{escape(serie.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


__all__ = ["Series", "bar_chart", "format_html", "line_chart"]
