"""The weekly budget of a client (domain page section 5) through the selectors: the worked
example to the cent, what is missing and who can fix it, and model versions in time."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costing import cost_models, selectors, services
from costing.budget import budget_for_client
from costing.models import CostPriceModel, GroupCare
from tests import examples as ex
from tests import factories
from tests.costing import builders as b

D = Decimal
pytestmark = pytest.mark.django_db


def test_worked_example_reproduces_to_the_cent(world) -> None:
    data = b.world_a(world)
    budget = budget_for_client(client=data["client"], on_date=b.BASE_DATE)
    assert budget.missing == []
    assert budget.care_revenue == D("1619.42")
    assert budget.hotel_deduction == D("224.00")
    assert budget.group_share == D("575.69")
    assert budget.personal_budget == D("819.73")
    assert budget.raw_budget == D("819.73")
    assert budget.hours_at_reference == D("13.9")
    assert budget.reference_level.code == "verzorgende-ig"
    assert budget.tariff == data["tariff"]
    assert budget.model == data["model"]
    assert budget.indication.client == data["client"]


def test_rate_card_contract(world) -> None:
    data = b.world_a(world)
    card = selectors.rate_card(organisation=world.org_a, on_date=b.BASE_DATE)
    assert card is not None and card.model == data["model"]
    lv = data["levels"]
    for code, rate in ex.EXPECTED_K.items():
        assert card.rate(lv[code]) == rate
        assert card.rate(lv[code].pk) == rate
        assert card.rates[lv[code].pk] == rate
    assert card.client_bound_hours(lv["helpende"]) == D("1216.944")
    assert card.fte_required(D("100")) == D("4.28")
    other = b.world_b(world)["levels"]["helpende"]
    assert card.rate(other) is None


def test_year_settings_contract(world) -> None:
    b.world_a(world)
    settings_ = selectors.year_settings(organisation=world.org_a, year=2026)
    assert settings_.contract_percentage == D("97.0")
    assert settings_.overrun_tolerance_pct == 5
    assert settings_.reindication_threshold_pct == 10
    assert settings_.reindication_weeks == 4
    assert settings_.review_interval_months == 6
    assert selectors.year_settings(organisation=world.org_a, year=2030) is None
    assert selectors.year_settings(organisation=world.org_b, year=2026) is None


def test_nothing_there_says_exactly_what_is_missing(world) -> None:
    client = b.client(world.dept_a)
    budget = budget_for_client(client=client, on_date=b.BASE_DATE)
    assert budget.personal_budget is None and not budget.is_complete
    text = " ".join(budget.missing)
    assert "geen tarief voor 5VV" in text and "platformbeheerder" in text
    assert "jaarinstellingen van 2026" in text and "financieel medewerker" in text
    assert "geen gepubliceerd kostprijsmodel" in text
    assert {m.who for m in budget.missing_detail} == {"platform", "financial"}


def test_no_indication_is_named(world) -> None:
    data = b.world_a(world)
    budget = budget_for_client(client=data["client"], on_date=datetime.date(2024, 12, 31))
    assert any("geen indicatie van kracht op 31-12-2024" in m for m in budget.missing)
    assert budget.care_revenue is None


def test_missing_tariff_year(world) -> None:
    data = b.world_a(world)
    budget = budget_for_client(client=data["client"], on_date=datetime.date(2027, 2, 1))
    assert any(
        "geen tarief voor 5VV (zonder behandeling, zonder dagbesteding) in 2027" in m for m in budget.missing
    )


def test_level_missing_from_model_is_named(world) -> None:
    data = b.world_a(world)
    extra = services.staff_level_save(organisation=world.org_a, code="nacht", name="Nachtdienst")
    GroupCare.objects.create(
        organisation=world.org_a,
        department=world.dept_a,
        year=2026,
        staff_level=extra,
        hours_per_week=D("10"),
    )
    budget = budget_for_client(client=data["client"], on_date=b.BASE_DATE)
    assert budget.group_share is None
    assert any("Nachtdienst" in m for m in budget.missing)


def test_negative_budget_is_zero_with_warning(world) -> None:
    data = b.world_a(world)
    data["settings"].hotel_costs_per_day = D("300.00")
    data["settings"].save()
    budget = budget_for_client(client=data["client"], on_date=b.BASE_DATE)
    assert budget.raw_budget == D("1619.42") - D("2100.00") - D("575.69")
    assert budget.personal_budget == 0
    assert budget.hours_at_reference == D("0.0")
    assert any("negatief" in w for w in budget.warnings)


def test_department_without_group_care_has_zero_share_with_note(world) -> None:
    b.world_a(world)
    client = b.client(world.dept_a2)
    budget = budget_for_client(client=client, on_date=b.BASE_DATE)
    assert budget.group_share == D("0.00")
    assert budget.personal_budget == D("1395.42")
    assert budget.warnings


def test_tenant_isolation_of_the_model_in_force(world) -> None:
    b.world_a(world)
    factories.cost_model(world.org_b, salary_factor=D("2"))
    card_b = selectors.rate_card(organisation=world.org_b, on_date=b.BASE_DATE)
    card_a = selectors.rate_card(organisation=world.org_a, on_date=b.BASE_DATE)
    assert card_a.model.organisation_id == world.org_a.pk
    assert card_b.model.organisation_id == world.org_b.pk
    assert all(rate > D("100") for rate in card_b.rates.values())


def test_new_published_version_takes_effect_on_its_date_not_before(world) -> None:
    data = b.world_a(world)
    fin = world.user("financial")
    new = cost_models.cost_model_new_version(
        model=data["model"], user=fin, effective_from=datetime.date(2026, 7, 1), change_note="cao"
    )
    cost_models.cost_model_level_set(
        model=new,
        user=fin,
        staff_level=data["levels"]["verzorgende-ig"],
        inputs={
            "salary": D("3300"),
            "holiday_pct": D("8"),
            "year_end_pct": D("8.33"),
            "irregular_pct": D("7"),
            "employer_charges_pct": D("27"),
        },
    )
    # A draft changes nothing.
    assert budget_for_client(client=data["client"], on_date=datetime.date(2026, 7, 1)).model == data["model"]
    cost_models.cost_model_publish(model=new, user=fin)
    before = budget_for_client(client=data["client"], on_date=datetime.date(2026, 6, 30))
    on = budget_for_client(client=data["client"], on_date=datetime.date(2026, 7, 1))
    assert before.model == data["model"] and before.personal_budget == D("819.73")
    assert on.model.pk == new.pk
    assert on.group_share > before.group_share
    assert on.personal_budget < before.personal_budget


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    effective=st.dates(min_value=datetime.date(2026, 1, 2), max_value=datetime.date(2026, 12, 31)),
    probe=st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2026, 12, 31)),
)
def test_model_in_force_property(world, effective: datetime.date, probe: datetime.date) -> None:
    base = CostPriceModel.objects.for_organisation(world.org_a).filter(year=2026, version=1).first()
    if base is None:
        base = factories.cost_model(world.org_a)
    CostPriceModel.objects.for_organisation(world.org_a).exclude(pk=base.pk).delete()
    newer = cost_models.cost_model_new_version(model=base, user=None, effective_from=effective)
    cost_models.cost_model_publish(model=newer, user=None)
    in_force = selectors.model_in_force(organisation=world.org_a, on_date=probe)
    assert in_force.pk == (newer.pk if probe >= effective else base.pk)
    # Before the first model there is none.
    assert selectors.model_in_force(organisation=world.org_a, on_date=datetime.date(2025, 12, 31)) is None
    newer.levels.all().delete()
    newer.delete()
