"""Writes of the catalogues: bad input gets a clear Dutch message and saves nothing;
add-on prices are effective-dated and never rewritten."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from catalog import activities, addons, selectors
from catalog.models import Activity, ActivityCategory, AddOnItem, AddOnPrice
from tests.examples import JAN_2026
from tests.factories import cost_model, staff_level

from .builders import activity, addon

D = Decimal
pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)


def _messages(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_negative_minutes_are_refused(world) -> None:
    cost_model(world.org_a)
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, default_minutes=-5)
    assert "minstens 1" in _messages(exc)["default_minutes"][0]
    assert not Activity.objects.for_organisation(world.org_a).exists()


def test_zero_minutes_are_refused(world) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, default_minutes=0)
    assert "default_minutes" in _messages(exc)


def test_a_code_used_twice_is_refused(world) -> None:
    activity(world.org_a, code="PV-01")
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, code="pv-01", name="Iets anders")
    assert "al gebruikt" in _messages(exc)["code"][0]
    assert Activity.objects.for_organisation(world.org_a).count() == 1


def test_the_same_code_in_another_organisation_is_fine(world) -> None:
    activity(world.org_a, code="PV-01")
    activity(world.org_b, code="PV-01")
    assert Activity.objects.for_organisation(world.org_b).count() == 1


def test_a_staff_level_the_model_does_not_have_is_refused(world) -> None:
    cost_model(world.org_a, level_codes=("helpende", "verzorgende-ig"))
    staff_level(world.org_a, "welzijnsmedewerker")  # exists in the organisation, not in the model
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, default_level="welzijnsmedewerker")
    message = _messages(exc)["default_level"][0]
    assert "geen tarief" in message
    assert "Welzijnsmedewerker" in message
    assert not Activity.objects.for_organisation(world.org_a).exists()


def test_the_level_is_checked_against_the_model_in_force_when_the_activity_starts(world) -> None:
    cost_model(world.org_a, level_codes=("helpende", "verzorgende-ig"))
    cost_model(world.org_a, effective_from=datetime.date(2026, 7, 1))  # adds welzijnsmedewerker
    act = activity(
        world.org_a, default_level="welzijnsmedewerker", active_from=datetime.date(2026, 7, 1), today=TODAY
    )
    assert selectors.activity_price(activity=act, on_date=datetime.date(2026, 7, 1)) == D("22.53")
    with pytest.raises(ValidationError):
        activity(world.org_a, code="X", default_level="welzijnsmedewerker", active_from=TODAY, today=TODAY)


def test_a_level_of_another_organisation_is_refused(world) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, default_level=staff_level(world.org_b, "helpende"))
    assert "hoort niet bij uw organisatie" in _messages(exc)["default_level"][0]


def test_group_activity_needs_a_group_of_at_least_two(world) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, category=ActivityCategory.GROUP, is_group=True, group_size=None)
    assert "groepsgrootte" in _messages(exc)["group_size"][0]
    with pytest.raises(ValidationError) as exc:
        activity(world.org_a, category=ActivityCategory.GROUP, is_group=True, group_size=1)
    assert "minstens 2" in _messages(exc)["group_size"][0]
    solo = activity(world.org_a, is_group=False, group_size=6)
    assert solo.group_size is None and solo.divisor == 1


def test_period_must_be_in_order_and_errors_come_together(world) -> None:
    with pytest.raises(ValidationError) as exc:
        activity(
            world.org_a,
            code="",
            name="",
            category="spa",
            default_minutes=-1,
            active_until=datetime.date(2025, 1, 1),
        )
    errors = _messages(exc)
    assert set(errors) >= {"code", "name", "category", "default_minutes", "active_until"}


def test_update_checks_the_same_rules(world) -> None:
    cost_model(world.org_a)
    first = activity(world.org_a, code="A")
    activity(world.org_a, code="B")
    with pytest.raises(ValidationError):
        activities.activity_update(activity=first, code="B")
    with pytest.raises(ValidationError):
        activities.activity_update(activity=first, default_minutes=-10)
    first.refresh_from_db()
    assert (first.code, first.default_minutes) == ("A", 25)
    updated = activities.activity_update(activity=first, default_minutes=30, today=JAN_2026)
    assert updated.default_minutes == 30


def test_deactivate_and_activate(world) -> None:
    act = activity(world.org_a)
    activities.activity_set_active(activity=act, active=False, on_date=TODAY)
    act.refresh_from_db()
    assert act.active_until == TODAY
    assert act.is_active_on(TODAY - datetime.timedelta(days=1))
    assert not act.is_active_on(TODAY)
    later = TODAY + datetime.timedelta(days=10)
    activities.activity_set_active(activity=act, active=True, on_date=later)
    act.refresh_from_db()
    assert act.active_from == later and act.active_until is None
    assert not act.is_active_on(TODAY + datetime.timedelta(days=5))  # the gap stays a gap


def test_deactivating_an_activity_that_starts_today_is_possible(world) -> None:
    act = activity(world.org_a, active_from=TODAY, today=TODAY)
    activities.activity_set_active(activity=act, active=False, on_date=TODAY)
    act.refresh_from_db()
    assert not act.is_active_on(TODAY)


# Add-on catalogue -----------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [6, 19, 20, -9, 100, "negen"])
def test_a_vat_rate_that_does_not_exist_in_the_netherlands_is_refused(world, rate) -> None:
    with pytest.raises(ValidationError) as exc:
        addon(world.org_a, vat_rate=rate)
    assert "0, 9 of 21" in _messages(exc)["vat_rate"][0]
    assert not AddOnItem.objects.for_organisation(world.org_a).exists()


@pytest.mark.parametrize("rate", [0, 9, 21])
def test_dutch_vat_rates_are_accepted(world, rate) -> None:
    item = addon(world.org_a, vat_rate=rate)
    assert selectors.addon_price(item=item, on_date=JAN_2026).vat_rate == rate


def test_a_negative_price_is_refused(world) -> None:
    with pytest.raises(ValidationError) as exc:
        addon(world.org_a, price_incl_vat=D("-1.00"))
    assert "negatief" in _messages(exc)["price_incl_vat"][0]
    assert not AddOnItem.objects.for_organisation(world.org_a).exists()
    item = addon(world.org_a)
    with pytest.raises(ValidationError):
        addons.addon_price_set(
            item=item, valid_from=TODAY, price_incl_vat=D("-0.01"), vat_rate=21, today=TODAY
        )
    assert AddOnPrice.objects.for_organisation(world.org_a).count() == 1


def test_a_price_with_fractions_of_cents_is_refused(world) -> None:
    with pytest.raises(ValidationError) as exc:
        addon(world.org_a, price_incl_vat=D("24.505"))
    assert "twee cijfers" in _messages(exc)["price_incl_vat"][0]


def test_a_name_used_twice_is_refused(world) -> None:
    addon(world.org_a, name="Pedicure")
    with pytest.raises(ValidationError) as exc:
        addon(world.org_a, name="pedicure ")
    assert "al een bijkoopartikel" in _messages(exc)["name"][0]


def test_a_price_change_is_a_new_price_from_a_date(world) -> None:
    item = addon(world.org_a)  # 24.50 from 1-1-2026
    first = AddOnPrice.objects.for_organisation(world.org_a).get(item=item)
    new = addons.addon_price_set(
        item=item, valid_from=datetime.date(2026, 4, 1), price_incl_vat=D("26.00"), vat_rate=21, today=TODAY
    )
    first.refresh_from_db()
    assert first.price_incl_vat == D("24.50")  # never edited
    assert first.valid_until == datetime.date(2026, 4, 1)
    assert new.valid_until is None
    assert selectors.addon_price(item=item, on_date=datetime.date(2026, 3, 31)).price_incl_vat == D("24.50")
    assert selectors.addon_price(item=item, on_date=datetime.date(2026, 4, 1)).price_incl_vat == D("26.00")
    history = list(selectors.addon_price_history(item=item))
    assert [p.price_incl_vat for p in history] == [D("26.00"), D("24.50")]


def test_a_price_change_in_the_past_is_refused(world) -> None:
    item = addon(world.org_a)
    with pytest.raises(ValidationError) as exc:
        addons.addon_price_set(
            item=item,
            valid_from=datetime.date(2026, 2, 1),
            price_incl_vat=D("30.00"),
            vat_rate=21,
            today=TODAY,
        )
    assert "verleden" in _messages(exc)["valid_from"][0]
    assert selectors.addon_price(item=item, on_date=datetime.date(2026, 2, 15)).price_incl_vat == D("24.50")


def test_overlapping_price_periods_are_refused(world) -> None:
    item = addon(world.org_a)
    addons.addon_price_set(
        item=item, valid_from=datetime.date(2026, 6, 1), price_incl_vat=D("26.00"), vat_rate=21, today=TODAY
    )
    # A temporary price across the change on 1 June overlaps both periods.
    with pytest.raises(ValidationError) as exc:
        addons.addon_price_set(
            item=item,
            valid_from=datetime.date(2026, 5, 1),
            valid_until=datetime.date(2026, 7, 1),
            price_incl_vat=D("20.00"),
            vat_rate=21,
            today=TODAY,
        )
    assert "overlapt" in _messages(exc)["valid_from"][0]
    # An open price starting on the same date as an existing one overlaps too.
    with pytest.raises(ValidationError):
        addons.addon_price_set(
            item=item,
            valid_from=datetime.date(2026, 6, 1),
            price_incl_vat=D("27.00"),
            vat_rate=21,
            today=TODAY,
        )
    # Starting before the announced price, open ended: would overlap the announced one.
    with pytest.raises(ValidationError):
        addons.addon_price_set(
            item=item,
            valid_from=datetime.date(2026, 5, 1),
            price_incl_vat=D("25.00"),
            vat_rate=21,
            today=TODAY,
        )
    assert AddOnPrice.objects.for_organisation(world.org_a).filter(item=item).count() == 2


def test_the_database_refuses_overlapping_prices_as_well(world) -> None:
    item = addon(world.org_a)
    if connection.vendor != "postgresql":  # pragma: no cover - the suite runs on PostgreSQL
        pytest.fail("The exclusion constraint is PostgreSQL-only; run the suite on PostgreSQL.")
    with pytest.raises(IntegrityError), transaction.atomic():
        AddOnPrice.objects.create(
            organisation=world.org_a,
            item=item,
            valid_from=datetime.date(2026, 2, 1),
            price_incl_vat=D("1.00"),
            vat_rate=21,
        )


def test_the_database_refuses_a_foreign_vat_rate(world) -> None:
    item = addon(world.org_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        AddOnPrice.objects.create(
            organisation=world.org_a,
            item=item,
            valid_from=datetime.date(2030, 1, 1),
            price_incl_vat=D("1.00"),
            vat_rate=19,
        )


def test_deactivating_an_addon_keeps_its_prices(world) -> None:
    item = addon(world.org_a)
    addons.addon_item_set_active(item=item, active=False, on_date=TODAY)
    item.refresh_from_db()
    assert not item.is_active_on(TODAY)
    assert selectors.addon_price(item=item, on_date=TODAY).price_incl_vat == D("24.50")
    assert not selectors.addon_items_for(organisation=world.org_a, on_date=TODAY).exists()
    assert selectors.addon_items_for(organisation=world.org_a, on_date=TODAY, status="inactive").count() == 1


def test_item_list_carries_current_and_announced_price(world) -> None:
    item = addon(world.org_a)
    addons.addon_price_set(
        item=item, valid_from=datetime.date(2026, 6, 1), price_incl_vat=D("26.00"), vat_rate=21, today=TODAY
    )
    (row,) = selectors.addon_items_for(organisation=world.org_a, on_date=TODAY)
    assert (row.current_price, row.current_vat_rate) == (D("24.50"), 21)
    assert (row.next_price, row.next_from) == (D("26.00"), datetime.date(2026, 6, 1))
