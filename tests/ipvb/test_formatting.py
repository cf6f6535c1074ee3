"""One way to show money, hours and percentages, per language (issue: "€ 19.99", "2947,8",
"€ 1070,96" must not appear)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=400, deadline=None)
@given(
    value=st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6),
    places=st.integers(min_value=0, max_value=3),
    language=st.sampled_from(["nl", "en"]),
)
def test_the_fast_grouping_writes_what_djangos_number_format_writes(
    value: Decimal, places: int, language: str
) -> None:
    """``formatting._grouped`` (issue 16) against Django's ``number_format`` with grouping, for
    rounded amounts of every size and sign, in both languages."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    with translation.override(language):
        assert formatting._grouped(rounded, places) == number_format(rounded, places, force_grouping=True)
