"""Prices derive from the published cost-price model in force: the worked examples of the
domain page (sections 4 and 6), group activities, and effective dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog import selectors
from catalog.formulas import activity_cost, excl_vat
from catalog.models import ActivityCategory
from costing.formulas import line_cost_per_week
from costing.selectors import rate_card
from tests.examples import EXPECTED_K, JAN_2026
from tests.factories import cost_model, staff_level

from .builders import activity, addon

D = Decimal
pytestmark = pytest.mark.django_db

# Section 6: (name, minutes, times per week, level, price per week)
SECTION_6 = [
    ("Ochtendzorg: wassen en aankleden", 25, 7, "verzorgende-ig", D("172.03")),
    ("Avondzorg", 20, 7, "verzorgende-ig", D("137.62")),
    ("Medicatie toedienen", 5, 14, "verpleegkundige-4", D("79.36")),
    ("Begeleide wandeling", 45, 2, "welzijnsmedewerker", D("81.09")),
    ("Douchen", 30, 2, "verzorgende-ig", D("58.98")),
]


def test_the_worked_model_gives_the_published_rates(world) -> None:
    cost_model(world.org_a)
    card = rate_card(organisation=world.org_a, on_date=JAN_2026)
    assert card is not None
    for code, k in EXPECTED_K.items():
        assert card.rate(staff_level(world.org_a, code)) == k


@pytest.mark.parametrize(("name", "minutes", "times", "level", "per_week"), SECTION_6)
def test_price_per_week_matches_the_domain_examples(world, name, minutes, times, level, per_week) -> None:
    cost_model(world.org_a)
    act = activity(world.org_a, code=name[:10], name=name, default_minutes=minutes, default_level=level)
    assert (
        selectors.activity_price_per_week(activity=act, on_date=JAN_2026, occurrences_per_week=times)
        == per_week
    )
    assert selectors.activity_price(activity=act, on_date=JAN_2026, occurrences=times) == per_week


def test_the_package_of_section_6_totals_529_08(world) -> None:
    cost_model(world.org_a)
    total = D(0)
    for index, (name, minutes, times, level, _per_week) in enumerate(SECTION_6):
        act = activity(world.org_a, code=f"X{index}", name=name, default_minutes=minutes, default_level=level)
        total += selectors.activity_price_per_week(activity=act, on_date=JAN_2026, occurrences_per_week=times)
    assert total == D("529.08")
    assert D("819.73") - total == D("290.65")


def test_price_per_occurrence(world) -> None:
    cost_model(world.org_a)
    morning = activity(world.org_a)  # 25 min at verzorgende IG, K = 58.98
    assert selectors.activity_price(activity=morning, on_date=JAN_2026) == D("24.58")  # 24.575 -> half up
    medication = activity(world.org_a, code="VP-01", default_minutes=5, default_level="verpleegkundige-4")
    assert selectors.activity_price(activity=medication, on_date=JAN_2026) == D("5.67")  # 5.668...


def test_overrides_of_minutes_and_level(world) -> None:
    cost_model(world.org_a)
    morning = activity(world.org_a)
    helpende = staff_level(world.org_a, "helpende")
    assert selectors.activity_price(activity=morning, on_date=JAN_2026, minutes=30) == D("29.49")
    assert selectors.activity_price(activity=morning, on_date=JAN_2026, level=helpende) == D(
        "22.69"
    )  # 22.691


def test_group_activity_divides_the_staff_cost_over_the_group(world) -> None:
    cost_model(world.org_a)
    music = activity(
        world.org_a,
        code="GA-01",
        name="Muziekmiddag",
        category=ActivityCategory.GROUP,
        default_minutes=90,
        default_level="welzijnsmedewerker",
        is_group=True,
        group_size=8,
    )
    # 54.06 x 90 / 60 = 81.09 for the group; / 8 = 10.13625 -> 10.14 per participant
    assert selectors.activity_price(activity=music, on_date=JAN_2026) == D("10.14")
    # per week at 2 times: 54.06 x 90 x 2 / 60 / 8 = 20.2725 -> 20.27 (rounded once, at the end)
    assert selectors.activity_price_per_week(activity=music, on_date=JAN_2026, occurrences_per_week=2) == D(
        "20.27"
    )
    living_room = activity(
        world.org_a,
        code="GA-02",
        name="Huiskamerprogramma",
        category=ActivityCategory.GROUP,
        default_minutes=180,
        default_level="welzijnsmedewerker",
        is_group=True,
        group_size=6,
    )
    # 54.06 x 180 / 60 / 6 = 27.03
    assert selectors.activity_price(activity=living_room, on_date=JAN_2026) == D("27.03")
    quote = selectors.activity_quote(activity=living_room, on_date=JAN_2026, occurrences=7)
    assert quote is not None
    assert quote.price == D("189.21")
    assert quote.group_size == 6
    assert quote.rate == D("54.06")


def test_quote_names_the_model_it_came_from(world) -> None:
    model = cost_model(world.org_a)
    quote = selectors.activity_quote(activity=activity(world.org_a), on_date=JAN_2026)
    assert quote is not None
    assert quote.model.pk == model.pk
    assert quote.level.code == "verzorgende-ig"


def test_no_price_without_a_published_model_in_force(world) -> None:
    act = activity(world.org_a)  # no model at all: allowed, but no price
    assert selectors.activity_price(activity=act, on_date=JAN_2026) is None
    cost_model(world.org_a, effective_from=datetime.date(2026, 3, 1))
    assert selectors.activity_price(activity=act, on_date=datetime.date(2026, 2, 28)) is None
    assert selectors.activity_price(activity=act, on_date=datetime.date(2026, 3, 1)) == D("24.58")


def test_prices_follow_a_new_model_from_its_effective_date(world) -> None:
    cost_model(world.org_a)
    cost_model(world.org_a, effective_from=datetime.date(2026, 7, 1), salary_factor=D("1.03"))
    act = activity(world.org_a)
    before = selectors.activity_price(activity=act, on_date=datetime.date(2026, 6, 30))
    after = selectors.activity_price(activity=act, on_date=datetime.date(2026, 7, 1))
    assert before == D("24.58")
    card = rate_card(organisation=world.org_a, on_date=datetime.date(2026, 7, 1))
    new_k = card.rate(staff_level(world.org_a, "verzorgende-ig"))
    assert new_k > D("58.98")
    assert after == activity_cost(new_k, 25)
    assert after > before


def test_catalogue_rows_show_old_and_new_price_side_by_side(world) -> None:
    cost_model(world.org_a)
    cost_model(world.org_a, effective_from=datetime.date(2026, 7, 1), salary_factor=D("1.03"))
    act = activity(world.org_a)
    # Before the change: the comparison is the coming model.
    comparison = selectors.price_comparison(organisation=world.org_a, on_date=datetime.date(2026, 5, 1))
    assert comparison.compare_is_future
    assert comparison.compare_date == datetime.date(2026, 7, 1)
    (row,) = selectors.activity_rows(activities=[act], comparison=comparison)
    assert row.price == D("24.58")
    assert row.compare_price == selectors.activity_price(activity=act, on_date=datetime.date(2026, 7, 1))
    assert row.changed
    # After the change: the comparison is the model before.
    comparison = selectors.price_comparison(organisation=world.org_a, on_date=datetime.date(2026, 8, 1))
    assert not comparison.compare_is_future
    assert comparison.compare_date == datetime.date(2026, 6, 30)
    (row,) = selectors.activity_rows(activities=[act], comparison=comparison)
    assert row.compare_price == D("24.58")
    assert row.price > row.compare_price


def test_a_model_of_another_organisation_never_prices_an_activity(world) -> None:
    cost_model(world.org_b)
    act = activity(world.org_a)
    assert selectors.activity_price(activity=act, on_date=JAN_2026) is None


@given(
    rate=st.decimals(min_value=D("1.00"), max_value=D("250.00"), places=2),
    minutes=st.integers(min_value=0, max_value=600),
    times=st.integers(min_value=0, max_value=50),
)
def test_single_activity_price_equals_the_package_line_cost(rate, minutes, times) -> None:
    assert activity_cost(rate, minutes, times) == line_cost_per_week(rate, minutes, times)


@given(
    rate=st.decimals(min_value=D("1.00"), max_value=D("250.00"), places=2),
    minutes=st.integers(min_value=1, max_value=600),
    group=st.integers(min_value=2, max_value=30),
)
def test_group_price_is_the_group_cost_divided_rounded_once(rate, minutes, group) -> None:
    exact = rate * minutes / 60 / group
    price = activity_cost(rate, minutes, 1, group)
    assert abs(price - exact) <= D("0.005")
    assert price * group <= activity_cost(rate, minutes) + D("0.005") * group


def test_formulas_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        activity_cost(D("58.98"), -5)
    with pytest.raises(ValueError):
        activity_cost(D("58.98"), 5, 1, 0)
    with pytest.raises(ValueError):
        excl_vat(D("10.00"), 19)
    assert excl_vat(D("24.50"), 21) == D("20.25")
    assert excl_vat(D("10.90"), 9) == D("10.00")
    assert excl_vat(D("10.00"), 0) == D("10.00")


def test_addon_price_in_force_on_a_date(world) -> None:
    item = addon(world.org_a)
    assert selectors.addon_price(item=item, on_date=datetime.date(2025, 12, 31)) is None
    assert selectors.addon_price(item=item, on_date=JAN_2026).price_incl_vat == D("24.50")
