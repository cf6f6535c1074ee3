"""The batched budget (department lists) must equal the single-client selector."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from costing.budget import budget_for_client, budgets_for_clients
from tests.conversations import builders

pytestmark = pytest.mark.django_db


def test_batch_equals_single_and_is_bounded(world) -> None:  # type: ignore[no-untyped-def]
    builders.setup_a(world)
    for profile in ("5VV", "7VV", "5VV", "4VV"):
        builders.client(world.org_a, world.dept_a, profile=profile)
    builders.client(world.org_a, world.dept_a2)
    on_date = datetime.date(2026, 3, 1)
    clients = list(Client.objects.for_organisation(world.org_a).select_related("organisation", "department"))
    with CaptureQueriesContext(connection) as queries:
        batch = budgets_for_clients(clients=clients, on_date=on_date)
    assert len(queries) <= 12
    for client in clients:
        single = budget_for_client(client=client, on_date=on_date)
        one = batch[client.pk]
        assert (one.care_revenue, one.hotel_deduction, one.group_share, one.personal_budget) == (
            single.care_revenue,
            single.hotel_deduction,
            single.group_share,
            single.personal_budget,
        )
        assert one.missing == single.missing
    complete = [b for b in batch.values() if b.is_complete]
    assert {str(b.personal_budget) for b in complete} >= {"819.73"}
    assert any(b.missing for b in batch.values())  # 4VV has no tariff in this world
