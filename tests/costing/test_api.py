"""The costing API: budget endpoint, tariffs, models with computed rates, financial writes,
immutability and tenant isolation."""

import datetime

import pytest
from django.urls import reverse

from costing.models import CostPriceModel, OrganisationYearSettings
from ipvb.roles import Role
from tests import examples as ex
from tests import factories
from tests.costing import builders as b

pytestmark = pytest.mark.django_db


def test_budget_endpoint_worked_example(world) -> None:
    data = b.world_a(world)
    url = reverse("client-budget", args=[data["client"].pk])
    response = world.client(Role.TEAM_LEADER).get(url, {"date": "2026-03-02"})
    assert response.status_code == 200
    body = response.json()
    assert body["care_revenue"] == "1619.42"
    assert body["hotel_deduction"] == "224.00"
    assert body["group_share"] == "575.69"
    assert body["personal_budget"] == "819.73"
    assert body["hours_at_reference"] == "13.9"
    assert body["tariff"] == data["tariff"].pk
    assert body["model"] == data["model"].pk
    assert body["indication"] == data["client"].indications.get().pk
    assert body["missing"] == []


def test_budget_endpoint_missing_and_bad_date(world) -> None:
    data = b.world_a(world)
    url = reverse("client-budget", args=[data["client"].pk])
    client = world.client(Role.MANAGER)
    body = client.get(url, {"date": "2027-02-01"}).json()
    assert body["personal_budget"] is None and body["tariff"] is None
    assert any("2027" in m for m in body["missing"])
    response = client.get(url, {"date": "02-03-2026"})
    assert response.status_code == 400 and "JJJJ-MM-DD" in str(response.json())


def test_budget_endpoint_respects_client_visibility(world) -> None:
    b.world_a(world)
    other_dept = b.client(world.dept_a2)
    url = reverse("client-budget", args=[other_dept.pk])
    assert world.client(Role.CARE_PROFESSIONAL).get(url).status_code == 404
    assert world.client(Role.FINANCIAL).get(url).status_code == 403


def test_models_api_shows_computed_rates(world) -> None:
    data = b.world_a(world)
    body = (
        world.client(Role.FINANCIAL).get(reverse("cost-price-model-detail", args=[data["model"].pk])).json()
    )
    assert body["client_bound_hours"] == "1216.944"
    rates = {row["staff_level_code"]: row["integral_rate"] for row in body["levels"]}
    assert rates == {code: str(rate) for code, rate in ex.EXPECTED_K.items()}
    listing = world.client(Role.MANAGER).get(reverse("cost-price-model-list")).json()
    assert [m["id"] for m in listing["results"]] == [data["model"].pk]


def test_financial_writes_managers_read(world) -> None:
    data = b.world_a(world)
    url = reverse("cost-price-model-detail", args=[data["model"].pk])
    assert (
        world.client(Role.MANAGER)
        .patch(url, {"overhead_pct": "30"}, content_type="application/json")
        .status_code
        == 403
    )
    response = world.client(Role.FINANCIAL).patch(
        url, {"overhead_pct": "30"}, content_type="application/json"
    )
    assert response.status_code == 400 and "nooit gewijzigd" in str(response.json())
    data["model"].refresh_from_db()
    assert str(data["model"].overhead_pct) == "22.000"


def test_api_draft_level_publish_cycle(world) -> None:
    data = b.world_a(world)
    fin = world.client(Role.FINANCIAL)
    response = fin.post(
        reverse("cost-price-model-new-version", args=[data["model"].pk]),
        {"effective_from": "2026-07-01", "change_note": "cao"},
        content_type="application/json",
    )
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["based_on"] == data["model"].pk
    bad = fin.patch(
        reverse("cost-price-model-detail", args=[new_id]),
        {"leave_pct": "60", "sickness_pct": "40"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "100 %" in str(bad.json())
    level_row = (
        CostPriceModel.objects.for_organisation(world.org_a)
        .get(pk=new_id)
        .levels.get(staff_level__code="helpende")
    )
    response = fin.patch(
        reverse("cost-price-model-level-detail", args=[level_row.pk]),
        {"salary": "3000.00"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["integral_rate"] == "56.53"
    negative = fin.patch(
        reverse("cost-price-model-level-detail", args=[level_row.pk]),
        {"salary": "-1"},
        content_type="application/json",
    )
    assert negative.status_code == 400
    assert fin.post(reverse("cost-price-model-publish", args=[new_id])).status_code == 200
    budget = (
        world.client(Role.MANAGER)
        .get(reverse("client-budget", args=[data["client"].pk]), {"date": "2026-07-01"})
        .json()
    )
    assert budget["model"] == new_id
    earlier = (
        world.client(Role.MANAGER)
        .get(reverse("client-budget", args=[data["client"].pk]), {"date": "2026-06-30"})
        .json()
    )
    assert earlier["model"] == data["model"].pk and earlier["personal_budget"] == "819.73"


def test_api_foreign_ids_are_rejected(world) -> None:
    b.world_a(world)
    foreign_model = factories.cost_model(world.org_b, publish=False)
    foreign_level = factories.staff_levels(world.org_b)["helpende"]
    fin = world.client(Role.FINANCIAL)
    response = fin.post(
        reverse("cost-price-model-level-list"),
        {
            "model": foreign_model.pk,
            "staff_level": foreign_level.pk,
            "salary": "1",
            "holiday_pct": "1",
            "year_end_pct": "1",
            "irregular_pct": "1",
            "employer_charges_pct": "1",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "model" in response.json() and "staff_level" in response.json()


def test_year_settings_api(world) -> None:
    lv = factories.staff_levels(world.org_a)
    fin = world.client(Role.FINANCIAL)
    payload = {
        "year": 2026,
        "contract_percentage": "97.000",
        "hotel_costs_per_day": "32.00",
        "reference_level": lv["verzorgende-ig"].pk,
    }
    assert (
        fin.post(reverse("year-settings-list"), payload, content_type="application/json").status_code == 201
    )
    dup = fin.post(reverse("year-settings-list"), payload, content_type="application/json")
    assert dup.status_code == 400
    bad = fin.post(
        reverse("year-settings-list"),
        {**payload, "year": 2027, "contract_percentage": "150"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert OrganisationYearSettings.objects.for_organisation(world.org_a).count() == 1
    assert world.client(Role.ORG_ADMIN).get(reverse("year-settings-list")).json()["count"] == 1
    assert world.client(Role.FINANCIAL, "b").get(reverse("year-settings-list")).json()["count"] == 0


def test_tariffs_api_read_only(world) -> None:
    factories.tariff()
    client = world.client(Role.CARE_PROFESSIONAL)
    body = client.get(reverse("tariff-list"), {"year": 2026}).json()
    assert body["count"] == 1 and body["results"][0]["care_per_day"] == "238.50"
    assert body["results"][0]["is_illustrative"] is True
    assert client.post(reverse("tariff-list"), {}, content_type="application/json").status_code == 405


def test_second_published_same_date_via_api(world) -> None:
    data = b.world_a(world)
    fin = world.client(Role.FINANCIAL)
    new = fin.post(
        reverse("cost-price-model-new-version", args=[data["model"].pk]),
        {"effective_from": "2026-01-01"},
        content_type="application/json",
    ).json()
    response = fin.post(reverse("cost-price-model-publish", args=[new["id"]]))
    assert response.status_code == 400 and "ingangsdatum" in str(response.json()).lower()
    assert CostPriceModel.objects.for_organisation(world.org_a).get(pk=new["id"]).status == "draft"
    assert datetime.date(2026, 1, 1)
