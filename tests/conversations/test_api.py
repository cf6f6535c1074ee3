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


def _drf(serializer, instance):  # type: ignore[no-untyped-def]
    """DRF's own field-by-field representation, which the explicit one replaced (issue 16)."""
    from rest_framework import serializers

    return serializers.Serializer.to_representation(serializer, instance)


def test_package_line_representation_is_drfs_own(world) -> None:  # type: ignore[no-untyped-def]
    """Field by field and in the same key order, also for values the data rarely holds: a
    quantity and costs with fewer decimal places, a note, a choice given as its member."""
    from decimal import Decimal

    from conversations.models import PackageLine
    from conversations.serializers import PackageLineSerializer

    data = builders.scenario(world)
    serializer = PackageLineSerializer(context={"organisation": world.org_a})
    lines = list(PackageLine.objects.for_organisation(world.org_a).filter(package=data["package"]))
    odd = lines[0]
    odd.note = "Liever 's ochtends <na> het ontbijt"
    odd.quantity_per_month = Decimal("2.5")
    odd.cost_per_week = Decimal("12.3")
    odd.monthly_cost = Decimal("7")
    odd.funding = PackageLine.Funding.PRIVATE
    odd.minutes = None
    for line in lines:
        explicit = serializer.to_representation(line)
        assert list(explicit.items()) == list(_drf(serializer, line).items())
    assert serializer.to_representation(odd)["quantity_per_month"] == "2.50"
    assert serializer.to_representation(odd)["cost_per_week"] == "12.30"


def test_package_representation_is_drfs_own_in_every_state(world) -> None:  # type: ignore[no-untyped-def]
    """The package's own fields as DRF wrote them (dates, datetimes in the active time zone,
    choices, ids), and its lines as the line serializer wrote them with the priced costs."""
    import datetime

    from conversations.serializers import PackageLineSerializer, PackageSerializer

    data = builders.scenario(world)
    user = world.user(Role.TEAM_LEADER)
    utc = datetime.UTC
    variants = [
        {},
        {"status": Package.Status.PENDING_APPROVAL, "overrun_reason": "Meer zorg nodig"},
        {"status": Package.Status.DRAFT, "sent_back_reason": "Graag eerst overleggen"},
        {
            "status": "agreed",
            "end_date": datetime.date(2026, 12, 31),
            "review_date": datetime.date(2027, 1, 4),
            "agreed_by": user,
            "agreed_at": datetime.datetime(2026, 3, 1, 9, 30, tzinfo=utc),
            "approved_by": user,
            "approved_at": datetime.datetime(2026, 7, 1, 23, 5, 7, 123, tzinfo=utc),
        },
    ]
    for changes in variants:
        package = Package.objects.for_organisation(world.org_a).get(pk=data["package"].pk)
        for name, value in changes.items():
            setattr(package, name, value)
        context = {"organisation": world.org_a}
        serializer = PackageSerializer(context=context)
        explicit = serializer.to_representation(package)
        assert list(explicit.items()) == list(_drf(serializer, package).items()), changes
        line_serializer = PackageLineSerializer(context=context)
        expected = []
        for priced in serializer._pricing(package).lines:
            row = _drf(line_serializer, priced.line)
            row["cost_per_week"] = None if priced.cost_per_week is None else str(priced.cost_per_week)
            row["monthly_cost"] = None if priced.monthly_cost is None else str(priced.monthly_cost)
            expected.append(row)
        assert [list(row.items()) for row in explicit["lines"]] == [list(row.items()) for row in expected]
    assert explicit["approved_at"] == "2026-07-02T01:05:07.000123+02:00"
    assert explicit["agreed_at"] == "2026-03-01T10:30:00+01:00"


def test_package_list_of_drafts_prices_them_in_the_same_queries(world) -> None:  # type: ignore[no-untyped-def]
    """Drafts are priced live: their lines' catalogue objects come in a constant number of
    queries (not per line, not per package), and the list prices them like the detail."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conversations.packages import package_line_add, package_start_draft

    data = builders.scenario(world)
    leader = world.membership(Role.TEAM_LEADER)
    client = api(world, Role.MANAGER)
    client.get("/api/v1/packages/?status=draft")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/packages/?status=draft").json()["count"] == 1
    for _ in range(3):
        person = builders.client(world.org_a, world.dept_a)
        draft = package_start_draft(client=person, by=leader.user, start_date=builders.START)
        for code, minutes, occ in ex.EXAMPLE_LINES[:3]:
            draft.refresh_from_db()
            package_line_add(
                package=draft,
                membership=leader,
                expected_version=draft.lock_version,
                activity=data["activities"][code],
                minutes=minutes,
                occurrences_per_week=occ,
            )
    with CaptureQueriesContext(connection) as four:
        body = client.get("/api/v1/packages/?status=draft").json()
    assert body["count"] == 4
    assert len(four) == len(one), (len(one), len(four))
    for row in body["results"]:
        detail = client.get(f"/api/v1/packages/{row['id']}/").json()
        assert row == detail
        assert all(line["cost_per_week"] for line in row["lines"])


def test_package_line_list_shows_ids_in_constant_queries(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = builders.scenario(world)
    client = api(world, Role.MANAGER)
    client.get("/api/v1/package-lines/")
    with CaptureQueriesContext(connection) as five:
        body = client.get("/api/v1/package-lines/").json()
    assert body["count"] == 5
    first = body["results"][0]
    assert first == client.get(f"/api/v1/package-lines/{first['id']}/").json()
    assert first["activity"] == data["line"].activity_id and first["cost_per_week"] is None
    builders.scenario(world, "b")  # another organisation's lines: not listed
    with CaptureQueriesContext(connection) as again:
        assert client.get("/api/v1/package-lines/").json()["count"] == 5
    assert len(again) == len(five)


def test_conversation_representation_is_drfs_own(world) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from clients.models import ContactPerson
    from conversations.serializers import ConversationSerializer

    data = builders.scenario(world)
    conversation = Conversation.objects.for_organisation(world.org_a).get(pk=data["conversation"].pk)
    person = ContactPerson.objects.create(organisation=world.org_a, client=data["client"], name="Piet Jansen")
    conversation.contact_persons.add(person)
    conversation.professionals.add(world.user(Role.CARE_PROFESSIONAL), world.user(Role.TEAM_LEADER))
    serializer = ConversationSerializer(context={"organisation": world.org_a})
    for changes in (
        {},
        {"outcome": "", "status": Conversation.Status.PREPARED, "wishes": "Elke dag <buiten> wandelen"},
        {
            "next_review_date": datetime.date(2026, 8, 1),
            "held_at": datetime.datetime(2026, 6, 30, 22, 0, tzinfo=datetime.UTC),
        },
    ):
        for name, value in changes.items():
            setattr(conversation, name, value)
        explicit = serializer.to_representation(conversation)
        assert list(explicit.items()) == list(_drf(serializer, conversation).items()), changes
    assert len(explicit["professionals"]) == 2 and explicit["contact_persons"] == [person.pk]
    assert explicit["held_at"] == "2026-07-01T00:00:00+02:00"
