"""Edge values found by an outside probe (item 7): each answers a clear 4xx, never a server
error; every API error is JSON; dates and years outside the plausible range are refused once,
at the model field or the shared validator (ipvb.validators), for forms and API alike."""

from __future__ import annotations

import datetime
import json

import pytest
from rest_framework.test import APIClient

from clients.formulas import add_months
from clients.models import Client
from costing.models import OrganisationYearSettings
from ipvb.roles import Role
from ipvb.validators import validate_care_date, validate_year
from tests.clients import builders as client_builders

pytestmark = pytest.mark.django_db


def _api(world, role):  # type: ignore[no-untyped-def]
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.user(role))
    return client


def _assert_json_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


# URL years -------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", "10000", "2147483647", "1899", "2101", "99999999999999999999"])
def test_group_care_url_with_an_implausible_year_is_not_found(world, year: str) -> None:  # type: ignore[no-untyped-def]
    client = world.client(Role.FINANCIAL)
    client.raise_request_exception = False
    response = client.get(f"/kostprijs/groepszorg/{world.dept_a.pk}/{year}/")
    assert response.status_code == 404


def test_group_care_url_with_a_plausible_year_still_works(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client(Role.FINANCIAL).get(f"/kostprijs/groepszorg/{world.dept_a.pk}/2026/")
    assert response.status_code == 200


# Date arithmetic -------------------------------------------------------------------------------


def test_add_months_never_overflows() -> None:
    assert add_months(datetime.date(9999, 12, 31), 6) == datetime.date.max
    assert add_months(datetime.date(9999, 8, 31), 3) == datetime.date(9999, 11, 30)
    assert add_months(datetime.date(1, 3, 1), -6) == datetime.date.min
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_9vvb_indication_dated_9999_is_a_clear_400(world) -> None:  # type: ignore[no-untyped-def]
    person = client_builders.client_a(world)
    response = _api(world, Role.CARE_PROFESSIONAL).post(
        "/api/v1/indications/",
        {
            "client": person.pk,
            "decision_number": "CIZ-9999",
            "care_profile": "9VVB",
            "grondslag": "somatic",
            "start_date": "9999-12-01",
            "end_date": "9999-12-31",
        },
        format="json",
    )
    body = _assert_json_error(response, 400)
    assert "Kies een datum tussen 01-01-1900 en 31-12-2100." in str(body["start_date"])
    assert not person.indications.exists()


def test_conversation_dated_9999_is_a_clear_400(world) -> None:  # type: ignore[no-untyped-def]
    person = client_builders.client_a(world)
    response = _api(world, Role.CARE_PROFESSIONAL).post(
        "/api/v1/conversations/",
        {"client": person.pk, "held_at": "9999-12-31T10:00:00+01:00", "kind": "intake", "outcome": "agreed"},
        format="json",
    )
    body = _assert_json_error(response, 400)
    assert "Kies een datum tussen" in str(body["held_at"])
    assert not person.conversations.exists()


# Request bodies --------------------------------------------------------------------------------


def test_5000_levels_of_nested_json_is_a_clear_400(world) -> None:  # type: ignore[no-untyped-def]
    payload = "[" * 5000 + "]" * 5000
    response = _api(world, Role.CARE_PROFESSIONAL).generic(
        "POST", "/api/v1/contact-persons/", payload, content_type="application/json"
    )
    body = _assert_json_error(response, 400)
    assert "te diep genest" in body["detail"]


def test_moderately_nested_json_beyond_the_limit_is_a_clear_400(world) -> None:  # type: ignore[no-untyped-def]
    nested: list = []
    for _ in range(40):
        nested = [nested]
    payload = json.dumps({"client": 1, "name": "x", "relation": "y", "extra": nested})
    response = _api(world, Role.CARE_PROFESSIONAL).generic(
        "POST", "/api/v1/contact-persons/", payload, content_type="application/json"
    )
    assert "te diep genest" in _assert_json_error(response, 400)["detail"]


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity"])
def test_non_finite_number_is_a_clear_400(world, number: str) -> None:  # type: ignore[no-untyped-def]
    response = _api(world, Role.CARE_PROFESSIONAL).generic(
        "POST", "/api/v1/contact-persons/", f'{{"client": {number}}}', content_type="application/json"
    )
    body = _assert_json_error(response, 400)
    assert body["detail"]


def test_ordinary_floats_still_parse(world) -> None:  # type: ignore[no-untyped-def]
    person = client_builders.client_a(world)
    response = _api(world, Role.CARE_PROFESSIONAL).generic(
        "POST",
        "/api/v1/contact-persons/",
        json.dumps({"client": person.pk, "name": "Kees", "relation": "Broer", "weight": 1.5e3}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


# Every API error is JSON -----------------------------------------------------------------------


def test_unknown_api_url_answers_json_404(world) -> None:  # type: ignore[no-untyped-def]
    body = _assert_json_error(_api(world, Role.CARE_PROFESSIONAL).get("/api/v1/bestaat-niet/"), 404)
    assert body == {"detail": "Niet gevonden."}


def test_unhandled_error_in_the_api_answers_json_500(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ipvb.api import views

    def broken(self, request):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(views.OrganisationView, "get", broken)
    response = _api(world, Role.CARE_PROFESSIONAL).get("/api/v1/organisation/")
    body = _assert_json_error(response, 500)
    assert "Er ging aan onze kant iets mis" in body["detail"]
    assert "boom" not in body["detail"] and "<html" not in response.content.decode().lower()


def test_web_pages_keep_their_html_errors(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client(Role.CARE_PROFESSIONAL).get("/bestaat-niet/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


# Plausible ranges, once ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (datetime.date(1900, 1, 1), True),
        (datetime.date(2100, 12, 31), True),
        (datetime.date(1899, 12, 31), False),
        (datetime.date(2101, 1, 1), False),
        (datetime.datetime(9999, 12, 31, 10, 0), False),
    ],
)
def test_validate_care_date(value, ok: bool) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    if ok:
        validate_care_date(value)
    else:
        with pytest.raises(ValidationError, match="Kies een datum tussen 01-01-1900 en 31-12-2100"):
            validate_care_date(value)


@pytest.mark.parametrize(("value", "ok"), [(1900, True), (2100, True), (0, False), (2147483647, False)])
def test_validate_year(value: int, ok: bool) -> None:
    from django.core.exceptions import ValidationError

    if ok:
        validate_year(value)
    else:
        with pytest.raises(ValidationError, match="Kies een jaar tussen 1900 en 2100"):
            validate_year(value)


@pytest.mark.parametrize("field", ["date_of_birth", "admission_date"])
@pytest.mark.parametrize("value", ["1850-01-01", "2101-01-01", "9999-12-31"])
def test_client_dates_outside_the_range_are_refused_by_the_api(world, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    body = {
        "given_name": "Greet",
        "family_name": "Visser",
        "date_of_birth": "1939-04-02",
        "bsn": "999999990",
        "department": world.dept_a.pk,
        "admission_date": "2026-01-05",
        field: value,
    }
    response = _api(world, Role.CARE_PROFESSIONAL).post("/api/v1/clients/", body, format="json")
    errors = _assert_json_error(response, 400)
    assert "Kies een datum tussen" in str(errors[field])
    assert not Client.objects.for_organisation(world.org_a).filter(family_name="Visser").exists()


def test_client_date_outside_the_range_is_refused_by_the_form(world) -> None:  # type: ignore[no-untyped-def]
    from clients.forms import ClientCreateForm

    membership = world.membership(Role.CARE_PROFESSIONAL)
    form = ClientCreateForm(
        {
            "given_name": "Greet",
            "family_name": "Visser",
            "date_of_birth": "1850-01-01",
            "bsn": "999999990",
            "department": world.dept_a.pk,
            "admission_date": "2026-01-05",
        },
        organisation=world.org_a,
        membership=membership,
    )
    assert not form.is_valid()
    assert "Kies een datum tussen" in str(form.errors["date_of_birth"])


def test_discharge_on_9999_12_31_is_a_clear_400(world) -> None:  # type: ignore[no-untyped-def]
    person = client_builders.client_a(world)
    response = _api(world, Role.TEAM_LEADER).post(
        f"/api/v1/clients/{person.pk}/discharge/",
        {"discharge_date": "9999-12-31", "reason": "Verhuisd"},
        format="json",
    )
    errors = _assert_json_error(response, 400)
    assert "Kies een datum tussen" in str(errors["discharge_date"])
    person.refresh_from_db()
    assert person.status == Client.Status.ACTIVE and person.discharge_date is None


@pytest.mark.parametrize("year", [0, 1899, 2101, 2147483647])
def test_year_settings_with_an_implausible_year_is_a_clear_400(world, year: int) -> None:  # type: ignore[no-untyped-def]
    response = _api(world, Role.FINANCIAL).post(
        "/api/v1/year-settings/",
        {"year": year, "contract_percentage": "97", "hotel_costs_per_day": "32.00"},
        format="json",
    )
    errors = _assert_json_error(response, 400)
    assert "year" in errors
    assert not OrganisationYearSettings.objects.for_organisation(world.org_a).exists()


def test_cost_model_effective_from_outside_the_range_is_a_clear_400(world) -> None:  # type: ignore[no-untyped-def]
    response = _api(world, Role.FINANCIAL).post(
        "/api/v1/cost-price-models/",
        {
            "year": 2101,
            "effective_from": "2101-01-01",
            "paid_hours_per_fte": "1878",
            "leave_pct": "10.5",
            "sickness_pct": "6.5",
            "training_pct": "2",
            "client_bound_pct": "80",
            "overhead_pct": "22",
        },
        format="json",
    )
    errors = _assert_json_error(response, 400)
    assert "Kies een jaar tussen 1900 en 2100." in str(errors["year"])


# Dates in query strings ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_budget_on_an_implausible_date_is_a_clear_400(world, value: str) -> None:  # type: ignore[no-untyped-def]
    person = client_builders.client_a(world)
    response = _api(world, Role.CARE_PROFESSIONAL).get(f"/api/v1/clients/{person.pk}/budget/?date={value}")
    errors = _assert_json_error(response, 400)
    assert "Kies een datum tussen" in str(errors["date"])


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_catalogue_prices_on_an_implausible_date_are_a_clear_400(world, value: str) -> None:  # type: ignore[no-untyped-def]
    response = _api(world, Role.CARE_PROFESSIONAL).get(f"/api/v1/catalog/activities/?date={value}")
    errors = _assert_json_error(response, 400)
    assert "Kies een datum tussen" in str(errors["date"])
