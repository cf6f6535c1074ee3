"""Issue 16: the set-based budgets (``costing.batch``) equal the per-client path
(``budget_for_client``) to the cent, for any set of clients of several organisations and any
dates, on generated data (hypothesis draws the clients and the dates), in a fixed number of
queries per batch."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clients import synthetic
from clients.models import Client, Indication
from costing.batch import budgets_for_pairs
from costing.budget import budget_for_client
from ipvb.models import Organisation

pytestmark = pytest.mark.django_db

FIGURES = (
    "care_revenue",
    "hotel_deduction",
    "group_share",
    "raw_budget",
    "personal_budget",
    "hours_at_reference",
    "reference_rate",
)


def _facts(budget: Any) -> tuple[Any, ...]:
    return (
        *(getattr(budget, name) for name in FIGURES),
        getattr(budget.indication, "pk", None),
        getattr(budget.tariff, "pk", None),
        getattr(budget.settings, "pk", None),
        getattr(budget.model, "pk", None),
        [str(m) for m in budget.missing],
        [str(w) for w in budget.warnings],
    )


def _real(queries: Any) -> int:
    """Queries of the batch itself (not the row-level-security session settings)."""
    return sum(1 for query in queries.captured_queries if "set_config" not in query["sql"])


def _world() -> list[Client]:
    synthetic.generate(organisations=2, clients=12, seed=171, today=datetime.date(2026, 11, 30))
    orgs = list(Organisation.objects.filter(agb_code__in=[synthetic.agb_code(171, i) for i in (0, 1)]))
    clients: list[Client] = []
    for org in orgs:
        own = list(Client.objects.for_organisation(org).select_related("department").order_by("pk"))
        # Variety the generator does not make: an indication that ended, and a later one.
        first = Indication.objects.for_organisation(org).get(client=own[0])
        first.end_date = datetime.date(2026, 3, 31)
        first.save()
        Indication.objects.create(
            organisation=org,
            client=own[0],
            decision_number="CIZ-later",
            care_profile="7VV",
            grondslag=first.grondslag,
            start_date=datetime.date(2026, 5, 1),
            with_treatment=True,
        )
        clients.extend(own)
    return clients


def test_batch_equals_the_per_client_path_to_the_cent() -> None:
    clients = _world()
    scope = lambda model: model.objects.dangerously_unscoped()  # noqa: E731 - two organisations

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        picks=st.lists(
            st.tuples(
                st.integers(0, len(clients) - 1),
                st.dates(datetime.date(2024, 11, 1), datetime.date(2027, 2, 28)),
            ),
            min_size=1,
            max_size=25,
        )
    )
    def check(picks: list[tuple[int, datetime.date]]) -> None:
        pairs = [(clients[index], on_date) for index, on_date in picks]
        with CaptureQueriesContext(connection) as queries:
            batch = budgets_for_pairs(pairs=pairs, scope=scope)
        assert _real(queries) <= 6
        for client, on_date in pairs:
            assert _facts(batch[(client.pk, on_date)]) == _facts(
                budget_for_client(client=client, on_date=on_date)
            )

    check()


def test_batch_queries_do_not_grow_with_clients_dates_or_organisations() -> None:
    clients = _world()
    scope = lambda model: model.objects.dangerously_unscoped()  # noqa: E731
    counts = []
    for pairs in (
        [(clients[0], datetime.date(2026, 6, 1))],
        [
            (client, datetime.date(2026, 1, 5) + datetime.timedelta(weeks=w))
            for client in clients
            for w in range(26)
        ],
    ):
        with CaptureQueriesContext(connection) as queries:
            budgets_for_pairs(pairs=pairs, scope=scope)
        counts.append(_real(queries))
    assert counts == [6, 6]
