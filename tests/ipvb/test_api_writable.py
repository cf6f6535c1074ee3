"""Every writable API route is exercised with a valid body by the role allowed to write, and
what it wrote is read back. The routes come from the committed schema (docs/openapi.yaml, kept
equal to the code by the drift test), so a new POST route without an entry in CASES fails.

The schemathesis run sends random bodies, which rarely get past validation; these cases go
through the whole path (serializer validators included) with bodies that must succeed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import ActivityCategory
from conversations.approvals import package_agree
from conversations.models import Conversation, Package
from conversations.packages import package_line_add, package_start_draft
from conversations.services import conversation_save
from costing.models import CostPriceModel, StaffLevel
from ipvb.roles import Role
from tests import examples as ex
from tests import factories
from tests.catalog import builders as catalog_builders
from tests.clients import builders as client_builders
from tests.conversations import builders as conversation_builders
from tests.costing import builders as costing_builders

SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def post_routes() -> list[str]:
    paths = yaml.safe_load(SCHEMA.read_text())["paths"]
    return sorted(path for path, operations in paths.items() if "post" in operations)


@dataclass
class Case:
    role: str
    url: str
    body: dict[str, Any]
    read: str  # the URL that shows what was written
    expect: dict[str, Any] = field(default_factory=dict)  # fields of the read-back answer
    status: int = 201
    check: Callable[[Any], None] | None = None  # extra assertions on the read-back JSON


def _api(world: Any, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def _new_levels(world: Any) -> dict[str, StaffLevel]:
    return factories.staff_levels(world.org_a)


def activity(world: Any) -> Case:
    level = _new_levels(world)["verzorgende-ig"]
    return Case(
        Role.FINANCIAL,
        "/api/v1/catalog/activities/",
        {
            "code": "NW-01",
            "name": "Voorlezen",
            "category": ActivityCategory.WELLBEING,
            "default_minutes": 30,
            "default_level": level.pk,
            "active_from": "2026-01-01",
        },
        "/api/v1/catalog/activities/{id}/",
        {"code": "NW-01", "name": "Voorlezen", "default_minutes": 30, "default_level": level.pk},
    )


def addon_item(world: Any) -> Case:
    return Case(
        Role.FINANCIAL,
        "/api/v1/catalog/addon-items/",
        {
            "name": "Pedicure",
            "category": "pedicure",
            "unit": "per_time",
            "active_from": "2026-01-01",
            "price_incl_vat": "30.00",
            "vat_rate": "21",
            "price_from": "2026-01-01",
        },
        "/api/v1/catalog/addon-items/{id}/",
        {"name": "Pedicure", "unit": "per_time"},
    )


def addon_price(world: Any) -> Case:
    item = catalog_builders.addon(world.org_a, name="Krant")
    start = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    def check(data: Any) -> None:
        assert any(p["valid_from"] == start and p["price_incl_vat"] == "12.50" for p in data), data

    return Case(
        Role.FINANCIAL,
        f"/api/v1/catalog/addon-items/{item.pk}/prices/",
        {"valid_from": start, "price_incl_vat": "12.50", "vat_rate": "9"},
        f"/api/v1/catalog/addon-items/{item.pk}/prices/",
        check=check,
    )


def client(world: Any) -> Case:
    return Case(
        Role.CARE_PROFESSIONAL,
        "/api/v1/clients/",
        {
            "given_name": "Greet",
            "family_name": "Visser",
            "date_of_birth": "1939-04-02",
            "bsn": "999999990",
            "department": world.dept_a.pk,
            "admission_date": "2026-01-05",
        },
        "/api/v1/clients/{id}/",
        {"family_name": "Visser", "admission_date": "2026-01-05", "bsn_masked": "******990"},
    )


def discharge(world: Any) -> Case:
    person = client_builders.client_a(world)
    return Case(
        Role.TEAM_LEADER,
        f"/api/v1/clients/{person.pk}/discharge/",
        {"discharge_date": "2026-03-01", "reason": "Verhuisd"},
        f"/api/v1/clients/{person.pk}/",
        {"discharge_date": "2026-03-01", "status": "discharged"},
        status=200,
    )


def contact_person(world: Any) -> Case:
    person = client_builders.client_a(world)
    return Case(
        Role.CARE_PROFESSIONAL,
        "/api/v1/contact-persons/",
        {"client": person.pk, "name": "Piet Visser", "relation": "Zoon"},
        "/api/v1/contact-persons/{id}/",
        {"client": person.pk, "name": "Piet Visser"},
    )


def conversation(world: Any) -> Case:
    person = client_builders.client_a(world)
    return Case(
        Role.CARE_PROFESSIONAL,
        "/api/v1/conversations/",
        {"client": person.pk, "held_at": "2026-02-03T10:00:00+01:00", "kind": "intake"},
        "/api/v1/conversations/{id}/",
        {"client": person.pk, "kind": "intake"},
    )


def model_level(world: Any) -> Case:
    draft = costing_builders.draft_a(world)
    level = StaffLevel.objects.create(organisation=world.org_a, code="leerling", name="Leerling", order=5)
    return Case(
        Role.FINANCIAL,
        "/api/v1/cost-price-model-levels/",
        {
            "model": draft.pk,
            "staff_level": level.pk,
            "salary": "2500.00",
            "holiday_pct": "8",
            "year_end_pct": "8.33",
            "irregular_pct": "5",
            "employer_charges_pct": "27",
        },
        "/api/v1/cost-price-model-levels/{id}/",
        {"model": draft.pk, "staff_level": level.pk, "salary": "2500.00"},
    )


def cost_model(world: Any) -> Case:
    return Case(
        Role.FINANCIAL,
        "/api/v1/cost-price-models/",
        {
            "year": 2027,
            "effective_from": "2027-01-01",
            "paid_hours_per_fte": "1878",
            "leave_pct": "10.5",
            "sickness_pct": "6.5",
            "training_pct": "2",
            "client_bound_pct": "80",
            "overhead_pct": "22",
        },
        "/api/v1/cost-price-models/{id}/",
        {"year": 2027, "status": "draft", "effective_from": "2027-01-01"},
    )


def new_version(world: Any) -> Case:
    published = factories.cost_model(world.org_a)
    return Case(
        Role.FINANCIAL,
        f"/api/v1/cost-price-models/{published.pk}/new-version/",
        {"effective_from": "2026-09-01", "change_note": "Cao-verhoging"},
        "/api/v1/cost-price-models/{id}/",
        {"year": 2026, "status": "draft", "effective_from": "2026-09-01", "based_on": published.pk},
    )


def publish(world: Any) -> Case:
    factories.cost_model(world.org_a)
    draft = costing_builders.draft_a(world)
    return Case(
        Role.FINANCIAL,
        f"/api/v1/cost-price-models/{draft.pk}/publish/",
        {},
        f"/api/v1/cost-price-models/{draft.pk}/",
        {"status": "published"},
        status=200,
    )


def department(world: Any) -> Case:
    return Case(
        Role.ORG_ADMIN,
        "/api/v1/departments/",
        {"name": "De Linde", "location_name": "Hoofdgebouw", "kind": "with_group_care", "places": 12},
        "/api/v1/departments/{id}/",
        {"name": "De Linde", "places": 12},
    )


def indication(world: Any) -> Case:
    person = client_builders.client_a(world)
    return Case(
        Role.CARE_PROFESSIONAL,
        "/api/v1/indications/",
        {
            "client": person.pk,
            "decision_number": "CIZ-NIEUW",
            "care_profile": "5VV",
            "grondslag": "somatic",
            "start_date": "2026-01-01",
        },
        "/api/v1/indications/{id}/",
        {"client": person.pk, "care_profile": "5VV", "start_date": "2026-01-01"},
    )


def membership(world: Any) -> Case:
    # The answer to adding a person is the same neutral outcome for every address (no id, see
    # docs/accounts.md); a new address becomes a member at once, found in the list.
    def check(data: Any) -> None:
        assert [(m["email"], m["roles"]) for m in data["results"]] == [
            ("nieuw.lid@example.org", [Role.MANAGER])
        ]

    return Case(
        Role.ORG_ADMIN,
        "/api/v1/memberships/",
        {"email": "nieuw.lid@example.org", "roles": [Role.MANAGER]},
        "/api/v1/memberships/?search=nieuw.lid@example.org",
        check=check,
    )


def package(world: Any) -> Case:
    data = conversation_builders.setup_a(world)
    return Case(
        Role.CARE_PROFESSIONAL,
        "/api/v1/packages/",
        {"client": data["client"].pk},
        "/api/v1/packages/{id}/",
        {"client": data["client"].pk, "status": "draft"},
    )


def _draft(world: Any) -> dict[str, Any]:
    """The worked example: a client with a completed conversation and a draft package with the
    example lines (built here with the package version, as a client of the API would)."""

    def build(w: Any) -> dict[str, Any]:
        data = dict(conversation_builders.setup_a(w))
        author = w.membership(Role.TEAM_LEADER)
        data["conversation"] = conversation_save(
            client=data["client"],
            by=author.user,
            data={
                "held_at": timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0)),
                "kind": Conversation.Kind.INTAKE,
                "outcome": Conversation.Outcome.AGREED,
            },
        )
        draft = package_start_draft(
            client=data["client"], by=author.user, start_date=conversation_builders.START
        )
        for code, minutes, occurrences in ex.EXAMPLE_LINES:
            draft.refresh_from_db()
            package_line_add(
                package=draft,
                membership=author,
                expected_version=draft.lock_version,
                activity=data["activities"][code],
                minutes=minutes,
                occurrences_per_week=occurrences,
            )
        draft.refresh_from_db()
        data["package"] = draft
        return data

    return world.get("api_writable_draft", build)


def package_line(world: Any) -> Case:
    data = _draft(world)
    draft = data["package"]
    walk = data["activities"]["WAN"]

    def check(body: Any) -> None:
        assert [line["activity"] for line in body["lines"]].count(walk.pk) == 2, body["lines"]

    return Case(
        Role.CARE_PROFESSIONAL,
        f"/api/v1/packages/{draft.pk}/lines/",
        {"activity": walk.pk, "minutes": 30, "occurrences_per_week": 1, "version": draft.lock_version},
        f"/api/v1/packages/{draft.pk}/",
        check=check,
    )


def agree(world: Any) -> Case:
    data = _draft(world)
    draft = data["package"]
    return Case(
        Role.CARE_PROFESSIONAL,
        f"/api/v1/packages/{draft.pk}/agree/",
        {"conversation": data["conversation"].pk, "version": draft.lock_version},
        f"/api/v1/packages/{draft.pk}/",
        {"status": "agreed", "conversation": data["conversation"].pk},
        status=200,
    )


def _pending(world: Any) -> Package:
    """A package beyond the tolerance, submitted by a care professional: waits for a team leader."""
    data = _draft(world)
    draft = data["package"]
    submitter = world.membership(Role.CARE_PROFESSIONAL)
    package_line_add(
        package=draft,
        membership=submitter,
        expected_version=draft.lock_version,
        activity=data["activities"]["WAN"],
        minutes=60,
        occurrences_per_week=10,
    )
    draft.refresh_from_db()
    talk = conversation_save(
        client=data["client"],
        by=submitter.user,
        data={
            "held_at": timezone.make_aware(datetime.datetime(2026, 2, 2, 10, 0)),
            "kind": Conversation.Kind.PERIODIC_REVIEW,
            "outcome": Conversation.Outcome.AGREED,
        },
    )
    pending = package_agree(
        package=draft,
        membership=submitter,
        conversation=talk,
        expected_version=draft.lock_version,
        overrun_reason="Onrustig",
    )
    assert pending.status == Package.Status.PENDING_APPROVAL
    return pending


def approve(world: Any) -> Case:
    pending = _pending(world)
    return Case(
        Role.TEAM_LEADER,
        f"/api/v1/packages/{pending.pk}/approve/",
        {"note": "Akkoord na overleg", "version": pending.lock_version},
        f"/api/v1/packages/{pending.pk}/",
        {"status": "agreed"},
        status=200,
    )


def send_back(world: Any) -> Case:
    pending = _pending(world)
    return Case(
        Role.TEAM_LEADER,
        f"/api/v1/packages/{pending.pk}/send-back/",
        {"reason": "Eerst overleg met de arts", "version": pending.lock_version},
        f"/api/v1/packages/{pending.pk}/",
        {"status": "draft"},
        status=200,
    )


def staff_level(world: Any) -> Case:
    return Case(
        Role.FINANCIAL,
        "/api/v1/staff-levels/",
        {"code": "zorghulp", "name": "Zorghulp", "order": 5},
        "/api/v1/staff-levels/{id}/",
        {"code": "zorghulp", "name": "Zorghulp", "order": 5},
    )


def year_settings(world: Any) -> Case:
    level = _new_levels(world)["verzorgende-ig"]
    return Case(
        Role.FINANCIAL,
        "/api/v1/year-settings/",
        {
            "year": 2027,
            "contract_percentage": "96.5",
            "hotel_costs_per_day": "33.10",
            "reference_level": level.pk,
        },
        "/api/v1/year-settings/{id}/",
        {"year": 2027, "contract_percentage": "96.500", "reference_level": level.pk},
    )


def bsn_search(world: Any) -> Case:
    """Not a write: the BSN search is a POST so the number stays out of URLs (issue 14)."""
    found = client_builders.make_client(world, bsn="123456782")

    def check(data: Any) -> None:
        assert data["id"] == found.pk and data["bsn_masked"] == "******782"

    return Case(
        Role.CARE_PROFESSIONAL,
        "/api/v1/clients/bsn-search/",
        {"bsn": "123456782"},
        f"/api/v1/clients/{found.pk}/",
        status=200,
        check=check,
    )


CASES: dict[str, Callable[[Any], Case]] = {
    "/api/v1/catalog/activities/": activity,
    "/api/v1/catalog/addon-items/": addon_item,
    "/api/v1/catalog/addon-items/{id}/prices/": addon_price,
    "/api/v1/clients/": client,
    "/api/v1/clients/bsn-search/": bsn_search,
    "/api/v1/clients/{id}/discharge/": discharge,
    "/api/v1/contact-persons/": contact_person,
    "/api/v1/conversations/": conversation,
    "/api/v1/cost-price-model-levels/": model_level,
    "/api/v1/cost-price-models/": cost_model,
    "/api/v1/cost-price-models/{id}/new-version/": new_version,
    "/api/v1/cost-price-models/{id}/publish/": publish,
    "/api/v1/departments/": department,
    "/api/v1/indications/": indication,
    "/api/v1/memberships/": membership,
    "/api/v1/packages/": package,
    "/api/v1/packages/{id}/agree/": agree,
    "/api/v1/packages/{id}/approve/": approve,
    "/api/v1/packages/{id}/lines/": package_line,
    "/api/v1/packages/{id}/send-back/": send_back,
    "/api/v1/staff-levels/": staff_level,
    "/api/v1/year-settings/": year_settings,
}


def test_every_post_route_has_a_case() -> None:
    routes = post_routes()
    assert routes, "no POST operation in docs/openapi.yaml"
    missing = sorted(set(routes) - set(CASES))
    assert not missing, f"POST routes without a create test in CASES: {missing}"
    stale = sorted(set(CASES) - set(routes))
    assert not stale, f"CASES for routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(CASES))
def test_valid_body_is_written_and_read_back(world, route: str) -> None:  # type: ignore[no-untyped-def]
    case = CASES[route](world)
    api = _api(world, case.role)
    response = api.post(case.url, case.body, format="json")
    assert response.status_code == case.status, (route, response.status_code, response.content[:2000])
    assert response["Content-Type"].startswith("application/json")
    written = response.json()
    read_url = case.read.format(id=written.get("id") if isinstance(written, dict) else None)
    read = api.get(read_url)
    assert read.status_code == 200, (read_url, read.content[:2000])
    data = read.json()
    for key, value in case.expect.items():
        assert data[key] == value, (route, key, data[key], value)
    if case.check is not None:
        case.check(data)
    if isinstance(written, dict) and "id" in written and case.read == route + "{id}/":
        assert data["id"] == written["id"]


@pytest.mark.django_db
class TestUniquenessIsScoped:
    """DRF's uniqueness validators run on the active organisation's rows (10a)."""

    def test_a_new_organisation_builds_its_first_model_over_the_api(self, world) -> None:  # type: ignore[no-untyped-def]
        api = _api(world, Role.FINANCIAL)
        level = api.post("/api/v1/staff-levels/", {"code": "vig", "name": "Verzorgende IG"}, format="json")
        assert level.status_code == 201, level.json()
        model = api.post("/api/v1/cost-price-models/", cost_model(world).body, format="json")
        assert model.status_code == 201, model.json()
        body = {**model_level(world).body, "model": model.json()["id"], "staff_level": level.json()["id"]}
        row = api.post("/api/v1/cost-price-model-levels/", body, format="json")
        assert row.status_code == 201, row.json()
        published = api.post(f"/api/v1/cost-price-models/{model.json()['id']}/publish/", {}, format="json")
        assert published.status_code == 200, published.json()
        assert (
            CostPriceModel.objects.for_organisation(world.org_a).get(pk=model.json()["id"]).status
            == "published"
        )

    def test_same_level_twice_in_a_model_is_a_clear_400(self, world) -> None:  # type: ignore[no-untyped-def]
        case = model_level(world)
        api = _api(world, Role.FINANCIAL)
        assert api.post(case.url, case.body, format="json").status_code == 201
        again = api.post(case.url, {**case.body, "salary": "2600.00"}, format="json")
        assert again.status_code == 400
        message = str(again.json())
        assert "Er bestaat in deze organisatie al een functieniveau in model" in message

    def test_duplicate_code_in_the_same_organisation_is_a_clear_400(self, world) -> None:  # type: ignore[no-untyped-def]
        api = _api(world, Role.FINANCIAL)
        body = {"code": "zorghulp", "name": "Zorghulp"}
        assert api.post("/api/v1/staff-levels/", body, format="json").status_code == 201
        again = api.post("/api/v1/staff-levels/", {**body, "name": "Andere naam"}, format="json")
        assert again.status_code == 400
        assert again.json()["code"] == [
            "Er bestaat in deze organisatie al een functieniveau met dezelfde code."
        ]
        assert StaffLevel.objects.for_organisation(world.org_a).filter(code="zorghulp").count() == 1

    def test_the_same_code_in_another_organisation_is_allowed(self, world) -> None:  # type: ignore[no-untyped-def]
        StaffLevel.objects.create(organisation=world.org_b, code="zorghulp", name="Zorghulp B", order=1)
        response = _api(world, Role.FINANCIAL).post(
            "/api/v1/staff-levels/", {"code": "zorghulp", "name": "Zorghulp"}, format="json"
        )
        assert response.status_code == 201, response.json()

    def test_duplicate_bsn_is_a_400_with_the_constraint_message(self, world) -> None:  # type: ignore[no-untyped-def]
        existing = client_builders.client_a(world)
        body = {**client(world).body, "bsn": existing.bsn}
        response = _api(world, Role.CARE_PROFESSIONAL).post("/api/v1/clients/", body, format="json")
        assert response.status_code == 400
        assert response.json()["bsn"] == ["Er is al een cliënt met dit BSN in uw organisatie."]

    def test_declared_validators_are_not_changed_for_the_next_request(self, world) -> None:  # type: ignore[no-untyped-def]
        from costing.serializers import ModelLevelSerializer

        first = ModelLevelSerializer(context={"organisation": world.org_a})
        second = ModelLevelSerializer(context={"organisation": world.org_b})
        querysets = [v.queryset for s in (first, second) for v in s.validators if hasattr(v, "queryset")]
        assert querysets and all(q.is_scoped() for q in querysets)
        sql = [str(q.query) for q in querysets]
        assert any(f'"organisation_id" = {world.org_a.pk}' in text for text in sql)
        assert any(f'"organisation_id" = {world.org_b.pk}' in text for text in sql)
