"""Server-rendered SVG charts: x-axis labels never overlap, the last week is always labelled,
and every series is told apart by line style and marker, not by colour alone."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reporting.charts import Series, _label_positions, line_chart

LABEL_WIDTH = 30  # "30-11" at 11 px, generously


@given(st.integers(min_value=1, max_value=104))
def test_labels_are_spaced_and_the_last_is_always_shown(count: int) -> None:
    positions = _label_positions(count)
    assert positions[0] == 0 and positions[-1] == count - 1
    plot_width = 640 - 64 - 16
    step = plot_width / (count - 1) if count > 1 else plot_width
    gaps = [(b - a) * step for a, b in itertools.pairwise(positions)]
    assert all(gap >= LABEL_WIDTH for gap in gaps), (count, positions)
    assert len(positions) <= 10


def test_chart_of_26_weeks_labels_the_last_week_without_overlap() -> None:
    labels = [f"{day:02d}-06" for day in range(1, 27)]
    svg = str(
        line_chart(
            title="Budget en pakket",
            labels=labels,
            series=[
                Series("Budget", [Decimal("800")] * 26),
                Series("Pakket", [Decimal("700") + i for i in range(26)]),
            ],
            chart_id="c",
            table_id="t",
        )
    )
    shown = re.findall(r'text-anchor="(?:middle|end)">(\d\d-06)</text>', svg)
    assert shown[-1] == "26-06" and "25-06" not in shown
    assert 'aria-describedby="t"' in svg and "<title" in svg
    # Two series: two dash styles (solid and dashed), not only two colours.
    assert 'stroke-dasharray="6 4"' in svg


def test_chart_without_weeks_draws_axes_only() -> None:
    svg = str(line_chart(title="Leeg", labels=[], series=[Series("Budget", [])], chart_id="e"))
    assert svg.startswith("<svg") and "</svg>" in svg and "<polyline" not in svg
