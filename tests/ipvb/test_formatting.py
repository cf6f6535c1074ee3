"""One way to show money, hours and percentages, per language (issue: "€ 19.99", "2947,8",
"€ 1070,96" must not appear)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from ipvb import formatting


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("nl", Decimal("1070.955"), "€ 1.070,96"),
        ("nl", Decimal("19.99"), "€ 19,99"),
        ("nl", Decimal("10650.4900000000"), "€ 10.650,49"),
        ("nl", Decimal("-5"), "−€ 5,00"),
        ("en", Decimal("1070.96"), "€1,070.96"),
        ("en", "2947.8", "€2,947.80"),
        ("nl", None, "–"),
    ],
)
def test_money(language: str, value: object, expected: str) -> None:
    with translation.override(language):
        assert formatting.money(value) == expected


def test_percent_and_hours() -> None:
    with translation.override("nl"):
        assert formatting.percent(Decimal("97.5")) == "97,50 %"
        assert formatting.hours(Decimal("18.25")) == "18,3 uur"
        assert formatting.number(Decimal("2947.8"), 1) == "2.947,8"
    with translation.override("en"):
        assert formatting.percent(Decimal("97.5")) == "97.50%"
        assert formatting.hours(Decimal("18.2")) == "18.2 hours"


def test_filters_are_available_in_every_template_without_load() -> None:
    template = Template("{{ a|money }} | {{ p|percent }} | {{ h|hours }}")
    with translation.override("nl"):
        text = template.render(Context({"a": Decimal("1070.96"), "p": Decimal("122.02"), "h": 3}))
    assert text == "€ 1.070,96 | 122,02 % | 3,0 uur"
