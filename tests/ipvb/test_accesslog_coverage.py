"""Built from the URL resolver: every page and API route that shows data of an identifiable
client writes one access-log row per client shown. A new route that shows client data without
logging it fails here.

How a response "shows a client": the page contains the client's (unique) surname, or an API
body refers to the client (a ``client`` field, or a client record with its surname)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from clients.models import Client
from ipvb.models import AccessLogEntry
from ipvb.roles import Role
from tests.routing import Route, all_routes

# The reporting party's own routes are outside every organisation and never show a client;
# tests/reporting proves that (no personal data in any report, page or PDF).
GET_ROUTES = [
    r for r in all_routes() if r.method == "get" and not r.public and "reporting_party" not in r.extra
]


def _materialise(world: Any, route: Route | None = None) -> dict[int, str]:
    """Build the objects the route refers to (and a client when there is none yet), then give
    each client of organisation A a surname found nowhere else; returns {client id: surname}."""
    from tests.clients.builders import make_client

    if route is not None and route.kwargs is not None:
        route.kwargs(world)
    if not Client.objects.for_organisation(world.org_a).exists():
        make_client(world)
    names = {}
    for client in Client.objects.for_organisation(world.org_a):
        names[client.pk] = f"Zichtbaar{client.pk:04d}q"
        Client.objects.for_organisation(world.org_a).filter(pk=client.pk).update(family_name=names[client.pk])
    return names


def _clients_in_json(body: Any, names: dict[int, str]) -> set[int]:
    found: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("client"), int) and node["client"] in names:
                found.add(node["client"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body)
    text = json.dumps(body)
    found.update(pk for pk, name in names.items() if name in text)
    return found


@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
def test_route_that_shows_clients_logs_each_one(route: Route, world: Any) -> None:
    names = _materialise(world, route)
    role = sorted(route.roles)[0] if route.roles else Role.CARE_PROFESSIONAL
    url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
    url += f"?{route.query}" if route.query else ""
    before = set(AccessLogEntry.objects.for_organisation(world.org_a).values_list("pk", flat=True))
    response = world.client(role).get(url)
    assert response.status_code == route.ok_status
    if response.get("Content-Type", "").startswith("application/json"):
        shown = _clients_in_json(response.json(), names)
    elif response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        shown = {pk for pk, name in names.items() if name in page}
    else:  # PDF, spreadsheets, CSV: logged as print/export, checked by their own tests
        shown = set()
    logged = set(
        AccessLogEntry.objects.for_organisation(world.org_a)
        .exclude(pk__in=before)
        .values_list("client_id", flat=True)
    )
    assert shown <= logged, f"{route.name} shows clients {sorted(shown - logged)} without logging them"


def test_the_probe_routes_show_and_log_clients(world: Any) -> None:
    """The routes the probe found unlogged: each shows a client here and logs it."""
    names = _materialise(world)
    client_pk = next(iter(names))
    client = Client.objects.for_organisation(world.org_a).get(pk=client_pk)
    admin = world.client(Role.ORG_ADMIN)
    admin.get(reverse("client_detail", args=[client_pk]))
    checks = [
        (admin, reverse("accesslog_list")),
        (admin, "/api/v1/access-log/"),
        (world.client(Role.TEAM_LEADER), reverse("client_accesslog", args=[client_pk])),
        (world.client(Role.TEAM_LEADER), reverse("department_overview", args=[client.department_id])),
    ]
    for browser, url in checks:
        before = AccessLogEntry.objects.for_organisation(world.org_a).count()
        response = browser.get(url)
        assert response.status_code == 200, url
        assert names[client_pk] in response.content.decode() or "client" in response.content.decode()
        new = AccessLogEntry.objects.for_organisation(world.org_a).order_by("-pk")[
            : AccessLogEntry.objects.for_organisation(world.org_a).count() - before
        ]
        assert client_pk in {entry.client_id for entry in new}, url


def test_list_logs_one_row_per_client_in_one_insert(world: Any, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from tests.clients.builders import make_client

    for index in range(6):
        make_client(world, family_name=f"Lijst{index}")
    browser = world.client(Role.TEAM_LEADER)
    browser.get("/")  # warm up the session
    before = AccessLogEntry.objects.for_organisation(world.org_a).count()
    response = browser.get(reverse("client_list"), {"q": "Lijst"})
    assert response.status_code == 200
    rows = list(AccessLogEntry.objects.for_organisation(world.org_a).order_by("pk")[before:])
    assert len(rows) == 6 and {row.action for row in rows} == {"search"}
    assert all(row.criteria == '{"q": "Lijst"}' for row in rows)
    api_before = AccessLogEntry.objects.for_organisation(world.org_a).count()
    assert browser.get("/api/v1/clients/", {"search": "Lijst"}).status_code == 200
    api_rows = list(AccessLogEntry.objects.for_organisation(world.org_a).order_by("pk")[api_before:])
    assert len(api_rows) == 6 and {row.channel for row in api_rows} == {"api"}
