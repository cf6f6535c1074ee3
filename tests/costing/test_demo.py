"""The demo data: illustrative tariffs for 2025 and 2026, a published model per organisation
and year, group-bound care per department, and a budget for every demo client."""

import datetime

import pytest

from costing import selectors
from costing.budget import budget_for_client
from costing.models import CostPriceModel, GroupCare, Tariff, TariffImport
from ipvb.models import Department, Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_gives_every_client_a_budget() -> None:
    """On the demo as ``load_demo`` leaves it (the ``demo`` fixture, built once per session).
    (Idempotency of the whole loader is checked in tests/ipvb/test_platform.py.)"""
    from costing import demo

    demo.load()  # costing's own loader again: nothing new
    assert TariffImport.objects.count() == 2
    assert all(imp.is_illustrative for imp in TariffImport.objects.all())
    assert Tariff.objects.filter(year=2025).count() == Tariff.objects.filter(year=2026).count() == 28
    from clients.models import Client

    for org in Organisation.objects.all():
        assert CostPriceModel.objects.for_organisation(org).filter(status="published").count() == 2
        for department in Department.objects.for_organisation(org):
            assert GroupCare.objects.for_organisation(org).filter(department=department, year=2026).exists()
        clients = list(Client.objects.for_organisation(org).filter(status="active"))
        assert clients
        for client in clients:
            budget = budget_for_client(client=client, on_date=datetime.date(2026, 11, 22))
            assert budget.missing == [], (client, budget.missing)
            if budget.raw_budget is not None and budget.raw_budget < 0:
                # The demo's structural deficit: raw B negative, shown as 0 with a warning.
                assert client.department.name == "De Hoeve" and budget.indication.care_profile == "4VV"
                assert budget.personal_budget == 0 and budget.warnings
                continue
            assert budget.personal_budget > 0 and budget.hours_at_reference > 0
    # De Boomgaard reproduces the worked example of the domain page.
    org = Organisation.objects.get(agb_code="73730001")
    boomgaard = Department.objects.for_organisation(org).get(name="De Boomgaard")
    card = selectors.rate_card(organisation=org, on_date=datetime.date(2026, 11, 22))
    share = selectors.group_share_for_department(department=boomgaard, year=2026, card=card)
    assert str(share.amount) == "575.69"
    rates = {entry.level.code: str(entry.rate) for entry in card.levels.values()}
    assert rates["helpende"] == "54.46" and rates["verzorgende-ig"] == "58.98"
    assert rates["verpleegkundige-4"] == "68.02" and rates["welzijnsmedewerker"] == "54.06"
