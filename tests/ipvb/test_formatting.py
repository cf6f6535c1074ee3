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


def test_organisation_postal_code_is_dutch() -> None:
    from django.core.exceptions import ValidationError

    from ipvb.validators import validate_postal_code

    validate_postal_code("1234 AB")
    validate_postal_code("1234ab")
    validate_postal_code("")
    for bad in ("0123 AB", "123 AB", "1234 A1", "ABCD 12"):
        with pytest.raises(ValidationError, match="4 cijfers en 2 letters"):
            validate_postal_code(bad)
