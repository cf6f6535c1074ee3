import pytest
from rest_framework.test import APIClient

from conversations.models import Conversation, Package
from ipvb.roles import Role
from tests import examples as ex
from tests.conversations import builders

pytestmark = pytest.mark.django_db


def api(world, role):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def test_package_detail_has_lines_and_totals(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    body = api(world, Role.MANAGER).get(f"/api/v1/packages/{data['package'].pk}/").json()
    assert body["totals"] == {
        "personal_budget": "819.73",
        "total": "529.08",
        "balance": "290.65",
        "utilisation_pct": "64.54",
        "private_per_month": "0.00",
        "latitude": "within_budget",
    }
    assert [line["cost_per_week"] for line in body["lines"]] == [
        "172.03",
        "137.62",
        "79.36",
        "81.09",
        "58.98",
    ]


def test_agree_through_api_and_stale_version_conflict(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    client = api(world, Role.CARE_PROFESSIONAL)
    stale = client.post(
        f"/api/v1/packages/{package.pk}/agree/",
        {"conversation": data["conversation"].pk, "version": package.lock_version - 1},
        format="json",
    )
    assert stale.status_code == 409
    assert "collega" in stale.json()["detail"]
    response = client.post(
        f"/api/v1/packages/{package.pk}/agree/",
        {"conversation": data["conversation"].pk, "version": package.lock_version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "agreed"


def test_foreign_conversation_id_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    other = builders.scenario(world, "b")
    response = api(world, Role.CARE_PROFESSIONAL).post(
        f"/api/v1/packages/{data['package'].pk}/agree/",
        {"conversation": other["conversation"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert "conversation" in response.json()
    assert Package.objects.for_organisation(world.org_a).get(pk=data["package"].pk).status == "draft"


def test_add_line_with_bad_minutes_is_400_and_nothing_saved(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    response = api(world, Role.CARE_PROFESSIONAL).post(
        f"/api/v1/packages/{data['package'].pk}/lines/",
        {"activity": data["activities"]["WAN"].pk, "minutes": 2000, "occurrences_per_week": 7},
        format="json",
    )
    assert response.status_code == 400
    assert data["package"].lines.count() == 5


def test_create_conversation_requires_reason_when_not_agreed(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    client = api(world, Role.CARE_PROFESSIONAL)
    payload = {
        "client": data["client"].pk,
        "held_at": "2026-03-01T10:00:00+01:00",
        "kind": "periodic_review",
        "outcome": "no_agreement",
    }
    response = client.post("/api/v1/conversations/", payload, format="json")
    assert response.status_code == 400
    assert "outcome_reason" in response.json()
    response = client.post(
        "/api/v1/conversations/", {**payload, "outcome_reason": "Familie wil overleg"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Conversation.objects.for_organisation(world.org_a).count() == 2


def test_manager_cannot_write(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    response = api(world, Role.MANAGER).post(
        "/api/v1/packages/", {"client": data["client"].pk}, format="json"
    )
    assert response.status_code == 403


def test_filter_by_foreign_client_is_400_and_own_client_filters(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    other = builders.scenario(world, "b")
    client = api(world, Role.MANAGER)
    foreign = client.get(f"/api/v1/packages/?client={other['client'].pk}")
    assert foreign.status_code == 400
    assert "client" in foreign.json()
    own = client.get(f"/api/v1/packages/?client={data['client'].pk}")
    assert own.status_code == 200
    assert [p["id"] for p in own.json()["results"]] == [data["package"].pk]


def test_package_list_query_count_does_not_grow_per_package(world) -> None:  # type: ignore[no-untyped-def]
    """Agreed packages are priced from their frozen lines, which come prefetched in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conversations.approvals import package_agree
    from conversations.packages import package_line_add, package_start_draft
    from conversations.services import conversation_save

    data = builders.scenario(world)
    leader = world.membership(Role.TEAM_LEADER)

    def agree(package):  # type: ignore[no-untyped-def]
        conversation = conversation_save(
            client=package.client,
            by=leader.user,
            data={"held_at": data["conversation"].held_at, "kind": "intake", "outcome": "agreed"},
        )
        package_agree(
            package=package,
            membership=leader,
            conversation=conversation,
            expected_version=package.lock_version,
        )

    agree(data["package"])
    client = api(world, Role.MANAGER)
    client.get("/api/v1/packages/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/packages/").json()["count"] == 1
    for _ in range(3):
        person = builders.client(world.org_a, world.dept_a)
        draft = package_start_draft(client=person, by=leader.user, start_date=builders.START)
        for code, minutes, occ in ex.EXAMPLE_LINES[:2]:
            package_line_add(
                package=draft,
                membership=leader,
                expected_version=draft.lock_version,
                activity=data["activities"][code],
                minutes=minutes,
                occurrences_per_week=occ,
            )
        draft.refresh_from_db()
        agree(draft)
    with CaptureQueriesContext(connection) as four:
        body = client.get("/api/v1/packages/").json()
    assert body["count"] == 4
    assert {p["totals"]["personal_budget"] for p in body["results"]} == {"819.73"}
    assert len(four) == len(one), (len(one), len(four))
