"""The catalogue API: everyone reads, financial staff write; prices come with the model they
derive from; bad input is a 400 with a clear message; other organisations are invisible."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Activity, AddOnItem, AddOnPrice
from ipvb.roles import Role
from tests.examples import JAN_2026
from tests.factories import cost_model, staff_level

from .builders import activity, addon

D = Decimal
pytestmark = pytest.mark.django_db
NON_FINANCIAL = [Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN]


@pytest.fixture
def catalogue(world):  # type: ignore[no-untyped-def]
    model = cost_model(world.org_a)
    cost_model(world.org_b)
    return {
        "model": model,
        "activity": activity(world.org_a),
        "group": activity(
            world.org_a,
            code="GA-01",
            name="Huiskamerprogramma",
            category="group",
            default_minutes=180,
            default_level="welzijnsmedewerker",
            is_group=True,
            group_size=6,
        ),
        "addon": addon(world.org_a),
        "other": activity(world.org_b, code="B-1"),
        "other_addon": addon(world.org_b, name="B-artikel"),
    }


def _post(client, url, data):  # type: ignore[no-untyped-def]
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):  # type: ignore[no-untyped-def]
    return client.patch(url, data, content_type="application/json")


def test_activities_come_with_their_price_and_model(world, catalogue) -> None:
    response = world.client(Role.CARE_PROFESSIONAL).get(
        reverse("catalog-activity-list"), {"date": "2026-03-01"}
    )
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {"PV-01", "GA-01"}
    morning = rows["PV-01"]["price"]
    assert morning["per_occurrence"] == "24.58"
    assert morning["hourly_rate"] == "58.98"
    assert morning["model"]["id"] == catalogue["model"].pk
    assert morning["model"]["effective_from"] == "2026-01-01"
    assert rows["GA-01"]["price"]["per_occurrence"] == "27.03"
    assert rows["GA-01"]["price"]["group_size"] == 6


def test_no_price_before_the_first_model(world, catalogue) -> None:
    response = world.client(Role.CARE_PROFESSIONAL).get(
        reverse("catalog-activity-detail", args=[catalogue["activity"].pk]), {"date": "2025-06-01"}
    )
    assert response.json()["price"] is None


def test_bad_date_parameter_is_a_400(world, catalogue) -> None:
    response = world.client(Role.CARE_PROFESSIONAL).get(
        reverse("catalog-activity-list"), {"date": "gisteren"}
    )
    assert response.status_code == 400
    assert "JJJJ-MM-DD" in response.content.decode()


def test_status_filter(world, catalogue) -> None:
    client = world.client(Role.CARE_PROFESSIONAL)
    response = client.get(reverse("catalog-activity-list"), {"status": "active", "date": "2025-06-01"})
    assert response.json()["count"] == 0
    response = client.get(reverse("catalog-activity-list"), {"status": "inactive", "date": "2025-06-01"})
    assert response.json()["count"] == 2


def test_addon_items_come_with_their_current_price(world, catalogue) -> None:
    response = world.client(Role.TEAM_LEADER).get(reverse("catalog-addon-item-list"), {"date": "2026-03-01"})
    (row,) = response.json()["results"]
    assert row["name"] == "Kapper: knippen"
    assert row["current_price"]["price_incl_vat"] == "24.50"
    assert row["current_price"]["vat_rate"] == 21
    assert row["current_price"]["price_excl_vat"] == "20.25"
    assert "price_incl_vat" not in row  # write-only


@pytest.mark.parametrize("role", NON_FINANCIAL)
def test_only_financial_staff_write(world, catalogue, role) -> None:
    client = world.client(role)
    level = staff_level(world.org_a, "helpende")
    payload = {
        "code": "API-1",
        "name": "Via de API",
        "category": "household",
        "default_minutes": 10,
        "default_level": level.pk,
        "active_from": "2026-01-01",
    }
    assert _post(client, reverse("catalog-activity-list"), payload).status_code == 403
    url = reverse("catalog-activity-detail", args=[catalogue["activity"].pk])
    assert _patch(client, url, {"default_minutes": 5}).status_code == 403
    assert _post(client, reverse("catalog-addon-item-list"), {"name": "x"}).status_code == 403
    prices = reverse("catalog-addon-item-prices", args=[catalogue["addon"].pk])
    assert (
        _post(client, prices, {"valid_from": "2030-01-01", "price_incl_vat": "1", "vat_rate": 21}).status_code
        == 403
    )
    assert client.get(prices).status_code == 200  # but everyone reads the history
    assert not Activity.objects.for_organisation(world.org_a).filter(code="API-1").exists()


def test_financial_creates_and_changes_an_activity(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    level = staff_level(world.org_a, "helpende")
    response = _post(
        client,
        reverse("catalog-activity-list") + "?date=2026-03-01",
        {
            "code": "API-1",
            "name": "Via de API",
            "category": "household",
            "default_minutes": 30,
            "default_level": level.pk,
            "active_from": "2026-01-01",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["price"]["per_occurrence"] == "27.23"  # 54.46 x 30 / 60
    url = reverse("catalog-activity-detail", args=[response.json()["id"]])
    response = _patch(client, url + "?date=2026-03-01", {"default_minutes": 15})
    assert response.status_code == 200
    assert response.json()["price"]["per_occurrence"] == "13.62"  # 13.615 half up


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"default_minutes": -5}, "default_minutes", "minstens 1"),
        ({"code": "PV-01"}, "code", "al gebruikt"),
        ({"default_level": "verpleegkundige-5"}, "default_level", "geen tarief"),
        ({"is_group": True}, "group_size", "groepsgrootte"),
    ],
)
def test_bad_activity_input_is_a_clear_400(world, catalogue, payload, field, message) -> None:
    client = world.client(Role.FINANCIAL)
    data = {
        "code": "API-2",
        "name": "Fout",
        "category": "household",
        "default_minutes": 10,
        "default_level": staff_level(world.org_a, "helpende").pk,
        "active_from": "2026-01-01",
    }
    if payload.get("default_level") == "verpleegkundige-5":
        payload = {"default_level": staff_level(world.org_a, "verpleegkundige-5").pk}
    data.update(payload)
    response = _post(client, reverse("catalog-activity-list"), data)
    assert response.status_code == 400
    body = response.json()
    assert field in body
    assert message in " ".join(body[field])
    assert not Activity.objects.for_organisation(world.org_a).filter(code="API-2").exists()


def test_a_level_of_another_organisation_does_not_exist(world, catalogue) -> None:
    response = _post(
        world.client(Role.FINANCIAL),
        reverse("catalog-activity-list"),
        {
            "code": "API-3",
            "name": "Fout",
            "category": "household",
            "default_minutes": 10,
            "default_level": staff_level(world.org_b, "helpende").pk,
            "active_from": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "default_level" in response.json()


def test_financial_creates_an_addon_item_and_sets_a_new_price(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    response = _post(
        client,
        reverse("catalog-addon-item-list") + "?date=2026-03-01",
        {
            "name": "Manicure",
            "category": "other",
            "unit": "per_time",
            "active_from": "2026-01-01",
            "price_incl_vat": "19.50",
            "vat_rate": 21,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["current_price"]["price_incl_vat"] == "19.50"
    item_id = response.json()["id"]
    prices = reverse("catalog-addon-item-prices", args=[item_id])
    response = _post(client, prices, {"valid_from": "2099-01-01", "price_incl_vat": "21.00", "vat_rate": 21})
    assert response.status_code == 201, response.content
    history = client.get(prices).json()
    assert [row["price_incl_vat"] for row in history] == ["21.00", "19.50"]
    assert history[1]["valid_until"] == "2099-01-01"
    # A price is never changed through the item.
    response = _patch(
        client, reverse("catalog-addon-item-detail", args=[item_id]), {"price_incl_vat": "1.00"}
    )
    assert response.status_code == 400
    assert "nieuwe prijs" in response.content.decode()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"vat_rate": 19}, "vat_rate", "0, 9 of 21"),
        ({"price_incl_vat": "-2.00"}, "price_incl_vat", "negatief"),
        ({"valid_from": "2026-01-01"}, "valid_from", "overlapt"),
        ({"valid_from": "2099-01-01", "valid_until": "2098-01-01"}, "valid_until", "na de ingangsdatum"),
    ],
)
def test_bad_price_input_is_a_clear_400(world, catalogue, payload, field, message) -> None:
    data = {"valid_from": "2099-01-01", "price_incl_vat": "10.00", "vat_rate": 21, **payload}
    url = reverse("catalog-addon-item-prices", args=[catalogue["addon"].pk])
    response = _post(world.client(Role.FINANCIAL), url, data)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()[field])
    assert AddOnPrice.objects.for_organisation(world.org_a).count() == 1


def test_new_item_needs_a_price(world, catalogue) -> None:
    response = _post(
        world.client(Role.FINANCIAL),
        reverse("catalog-addon-item-list"),
        {"name": "Zonder prijs", "category": "other", "unit": "per_time", "active_from": "2026-01-01"},
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"price_incl_vat", "vat_rate"}
    assert not AddOnItem.objects.for_organisation(world.org_a).filter(name="Zonder prijs").exists()


def test_other_organisation_is_invisible(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    codes = [row["code"] for row in client.get(reverse("catalog-activity-list")).json()["results"]]
    assert "B-1" not in codes
    names = [row["name"] for row in client.get(reverse("catalog-addon-item-list")).json()["results"]]
    assert "B-artikel" not in names
    assert client.get(reverse("catalog-activity-detail", args=[catalogue["other"].pk])).status_code == 404
    other_prices = reverse("catalog-addon-item-prices", args=[catalogue["other_addon"].pk])
    assert client.get(other_prices).status_code == 404
    assert (
        _post(
            client, other_prices, {"valid_from": "2099-01-01", "price_incl_vat": "1", "vat_rate": 21}
        ).status_code
        == 404
    )
    assert (
        _patch(
            client, reverse("catalog-activity-detail", args=[catalogue["other"].pk]), {"name": "x"}
        ).status_code
        == 404
    )


def test_delete_is_not_offered(world, catalogue) -> None:
    response = world.client(Role.FINANCIAL).delete(
        reverse("catalog-activity-detail", args=[catalogue["activity"].pk])
    )
    assert response.status_code == 405
    assert Activity.objects.for_organisation(world.org_a).filter(pk=catalogue["activity"].pk).exists()


def test_prices_follow_the_date_parameter(world, catalogue) -> None:
    cost_model(world.org_a, effective_from=datetime.date(2026, 7, 1), salary_factor=D("1.03"))
    client = world.client(Role.CARE_PROFESSIONAL)
    url = reverse("catalog-activity-detail", args=[catalogue["activity"].pk])
    before = client.get(url, {"date": "2026-06-30"}).json()["price"]
    after = client.get(url, {"date": "2026-07-01"}).json()["price"]
    assert before["per_occurrence"] == "24.58"
    assert D(after["per_occurrence"]) > D(before["per_occurrence"])
    assert after["model"]["effective_from"] == "2026-07-01"
    assert JAN_2026.isoformat() == before["model"]["effective_from"]


@pytest.mark.parametrize("name", ["catalog-activity-list", "catalog-addon-item-list"])
def test_lists_do_not_query_per_row(world, catalogue, name) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client(Role.MANAGER)
    client.get(reverse(name))  # warm up (session, membership)
    with CaptureQueriesContext(connection) as few:
        first = client.get(reverse(name))
    for index in range(6):
        activity(world.org_a, code=f"EXTRA-{index}", name=f"Extra {index}")
        addon(world.org_a, name=f"Extra artikel {index}")
    with CaptureQueriesContext(connection) as many:
        more = client.get(reverse(name))
    assert more.json()["count"] >= first.json()["count"] + 6
    assert all(
        row[key] is not None
        for row in more.json()["results"]
        for key in ("price", "current_price")
        if key in row
    )
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
