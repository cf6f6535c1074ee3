"""The catalogue demo: about 40 activities over every category and about 15 add-on items per
demo organisation, priced from costing's demo model; loading twice changes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest

from catalog import demo, selectors
from catalog.models import Activity, ActivityCategory, AddOnCategory, AddOnItem, AddOnPrice
from costing import demo as costing_demo
from ipvb import demo as ipvb_demo

pytestmark = pytest.mark.django_db


def _load() -> dict:
    organisations = ipvb_demo.load()
    costing_demo.load()
    demo.load(io.StringIO())
    return organisations


def _snapshot(org) -> tuple:
    return (
        sorted(
            Activity.objects.for_organisation(org).values_list(
                "code", "name", "default_minutes", "group_size"
            )
        ),
        sorted(AddOnItem.objects.for_organisation(org).values_list("name", "unit")),
        sorted(
            AddOnPrice.objects.for_organisation(org).values_list("item__name", "valid_from", "price_incl_vat")
        ),
    )


def test_demo_catalogue_is_complete_and_priced() -> None:
    organisations = _load()
    for org in organisations.values():
        activities = Activity.objects.for_organisation(org)
        assert 38 <= activities.count() <= 45
        assert set(activities.values_list("category", flat=True)) == set(ActivityCategory.values)
        living_room = activities.get(code="GA-01")
        music = activities.get(code="GA-02")
        assert living_room.is_group and music.is_group
        on_date = datetime.date(2026, 6, 1)
        # 2026 demo model = the worked example: welzijnsmedewerker K = 54.06
        assert selectors.activity_price(activity=music, on_date=on_date) == Decimal("8.11")  # 81.09 / 10
        morning = activities.get(code="PV-01")
        assert selectors.activity_price_per_week(
            activity=morning, on_date=on_date, occurrences_per_week=7
        ) == (Decimal("172.03"))
        for activity in activities:
            assert selectors.activity_price(activity=activity, on_date=on_date) is not None, activity.code
        items = AddOnItem.objects.for_organisation(org)
        assert 13 <= items.count() <= 18
        assert set(items.values_list("category", flat=True)) == set(AddOnCategory.values)
        for item in items:
            assert selectors.addon_price(item=item, on_date=on_date) is not None, item.name


def test_demo_catalogue_loads_idempotently() -> None:
    organisations = _load()
    first = {slug: _snapshot(org) for slug, org in organisations.items()}
    _load()
    assert {slug: _snapshot(org) for slug, org in organisations.items()} == first
