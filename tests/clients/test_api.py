"""The clients API: validation with clear messages, filters, role and department rules."""

import datetime

import pytest

from clients.models import Client
from ipvb.roles import Role
from tests import factories

from .builders import make_client, make_contact

pytestmark = pytest.mark.django_db
D = datetime.date
JSON = "application/json"


def _new_client(**extra):  # type: ignore[no-untyped-def]
    data = {
        "given_name": "Nieuw",
        "family_name": "Mens",
        "date_of_birth": "1940-01-01",
        "bsn": "123456782",
        "admission_date": "2024-01-01",
    }
    data.update(extra)
    return data


def test_create_read_and_patch_a_client(world) -> None:  # type: ignore[no-untyped-def]
    api = world.client(Role.TEAM_LEADER)
    response = api.post("/api/v1/clients/", _new_client(department=world.dept_a.pk), content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bsn_masked"] == "******782" and "bsn" not in body and body["status"] == "active"
    client_id = body["id"]
    response = api.patch(f"/api/v1/clients/{client_id}/", {"wishes": "Rust"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["wishes"] == "Rust"
    response = api.patch(f"/api/v1/clients/{client_id}/", {"department": world.dept_a2.pk}, content_type=JSON)
    assert Client.objects.for_organisation(world.org_a).get(pk=client_id).department == world.dept_a
    assert api.get(f"/api/v1/clients/{client_id}/bsn/").json() == {"id": client_id, "bsn": "123456782"}


def test_bad_bsn_and_duplicate_bsn(world) -> None:  # type: ignore[no-untyped-def]
    api = world.client(Role.ORG_ADMIN)
    response = api.post(
        "/api/v1/clients/", _new_client(department=world.dept_a.pk, bsn="123456789"), content_type=JSON
    )
    assert response.status_code == 400
    assert "elfproef" in response.json()["bsn"][0]
    make_client(world, bsn="123456782")
    response = api.post("/api/v1/clients/", _new_client(department=world.dept_a.pk), content_type=JSON)
    assert response.status_code == 400
    assert response.json()["bsn"] == ["Er is al een cliënt met dit BSN in uw organisatie."]
    assert Client.objects.for_organisation(world.org_a).count() == 1


def test_department_of_other_organisation_or_department_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client(Role.ORG_ADMIN).post(
        "/api/v1/clients/", _new_client(department=world.dept_b.pk), content_type=JSON
    )
    assert response.status_code == 400 and "department" in response.json()
    response = world.client(Role.CARE_PROFESSIONAL).post(
        "/api/v1/clients/", _new_client(department=world.dept_a2.pk), content_type=JSON
    )
    assert response.status_code == 400 and "department" in response.json()


def test_indication_overlap_and_reversed_dates_via_api(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    factories.indication(client, start=D(2024, 1, 1), end=D(2024, 12, 31))
    api = world.client(Role.CARE_PROFESSIONAL)
    data = {"client": client.pk, "decision_number": "C-2", "care_profile": "6VV", "grondslag": "somatic"}
    response = api.post("/api/v1/indications/", {**data, "start_date": "2024-06-01"}, content_type=JSON)
    assert response.status_code == 400
    assert "overlapt met indicatie 5VV" in response.json()["start_date"][0]
    response = api.post(
        "/api/v1/indications/",
        {**data, "start_date": "2025-06-01", "end_date": "2025-05-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["end_date"] == ["De einddatum ligt vóór de ingangsdatum."]
    assert client.indications.count() == 1


def test_discharge_before_admission_via_api(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    api = world.client(Role.TEAM_LEADER)
    response = api.post(
        f"/api/v1/clients/{client.pk}/discharge/",
        {"discharge_date": "2023-01-01", "reason": "x"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "vóór de opnamedatum" in response.json()["discharge_date"][0]
    response = api.post(
        f"/api/v1/clients/{client.pk}/discharge/",
        {"discharge_date": "2025-01-01", "reason": "Verhuisd"},
        content_type=JSON,
    )
    assert response.status_code == 200 and response.json()["status"] == "discharged"


def test_contact_person_only_for_visible_clients(world) -> None:  # type: ignore[no-untyped-def]
    mine = make_client(world)
    other_department = make_client(world, department=world.dept_a2)
    foreign = make_client(world, org="b")
    api = world.client(Role.CARE_PROFESSIONAL)
    data = {"name": "Kees", "relation": "Zoon", "role": "first_contact", "takes_part_in_conversations": True}
    assert (
        api.post("/api/v1/contact-persons/", {**data, "client": mine.pk}, content_type=JSON).status_code
        == 201
    )
    for client in (other_department, foreign):
        response = api.post("/api/v1/contact-persons/", {**data, "client": client.pk}, content_type=JSON)
        assert response.status_code == 400 and "client" in response.json()
    contact = make_contact(other_department)
    assert api.get(f"/api/v1/contact-persons/{contact.pk}/").status_code == 404
    assert [c["client"] for c in api.get("/api/v1/contact-persons/").json()["results"]] == [mine.pk]


def test_filters(world) -> None:  # type: ignore[no-untyped-def]
    today = datetime.date.today()
    one = make_client(world, family_name="Een")
    two = make_client(world, department=world.dept_a2, family_name="Twee")
    factories.indication(one, profile="4VV", start=D(2020, 1, 1))
    factories.indication(two, profile="7VV", start=D(2020, 1, 1), end=D(2020, 12, 31))
    api = world.client(Role.MANAGER)

    def names(url: str) -> list[str]:
        return [c["family_name"] for c in api.get(url).json()["results"]]

    assert names(f"/api/v1/clients/?department={world.dept_a2.pk}") == ["Twee"]
    assert names("/api/v1/clients/?profile=4VV") == ["Een"]
    assert names("/api/v1/clients/?profile=7VV") == []
    # A BSN never goes in a URL: refused with a clear message (the search is a POST).
    response = api.get(f"/api/v1/clients/?bsn={one.bsn}")
    assert response.status_code == 400 and "bsn-search" in response.json()["bsn"][0]
    assert names("/api/v1/clients/?q=twe") == ["Twee"]
    assert names("/api/v1/clients/?status=discharged") == []
    rows = api.get(f"/api/v1/indications/?in_force_on={today.isoformat()}").json()["results"]
    assert [(r["client"], r["care_profile"], r["cod163"]) for r in rows] == [(one.pk, "4VV", "753")]
    rows = api.get("/api/v1/indications/?in_force_on=2020-06-01&care_profile=7VV").json()["results"]
    assert [r["client"] for r in rows] == [two.pk]


def test_manager_reads_but_does_not_write(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    api = world.client(Role.MANAGER)
    assert api.get(f"/api/v1/clients/{client.pk}/").status_code == 200
    assert api.patch(f"/api/v1/clients/{client.pk}/", {"wishes": "x"}, content_type=JSON).status_code == 403
    assert api.get(f"/api/v1/clients/{client.pk}/bsn/").status_code == 403
    assert api.delete(f"/api/v1/clients/{client.pk}/").status_code in {403, 405}


@pytest.mark.parametrize("url", ["/api/v1/contact-persons/", "/api/v1/indications/"])
def test_lists_do_not_query_per_row(world, url) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_client(index: int) -> None:
        client = make_client(world, given_name=f"Cliënt {index}")
        make_contact(client)
        factories.indication(client)

    add_client(0)
    api = world.client(Role.TEAM_LEADER)
    api.get(url)  # warm up (session, membership)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(url).json()["results"]) == 1
    for index in range(1, 5):
        add_client(index)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(url).json()["results"]) == 5
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_access_log_count_is_bounded_and_pages_go_on_past_it(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The access log's ``count`` reads at most ``limit + 1`` entries, whatever the size of the
    log (issue 16); past the counted entries ``next`` still leads on to the last page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.pagination import PageNumberPagination

    from ipvb import accesslog
    from ipvb.api.pagination import BoundedCountPaginator
    from ipvb.models import AccessLogEntry

    monkeypatch.setattr(BoundedCountPaginator, "limit", 3)
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    admin = world.client(Role.ORG_ADMIN)
    admin.get("/api/v1/access-log/?action=read")  # warm up (logs nothing: no client data read)
    before = AccessLogEntry.objects.for_organisation(world.org_a).filter(action="read").count()
    assert before == 0
    clients = [make_client(world, given_name=f"Cliënt {n}") for n in range(7)]
    for client in clients:
        AccessLogEntry.objects.create(organisation=world.org_a, client=client, action=accesslog.READ)
    seen: list[int] = []
    url: str | None = "/api/v1/access-log/?action=read"
    counts = []
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = admin.get(url).json()
        counts.append(len(queries))
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        assert "LIMIT 4" in sql  # the count reads at most limit + 1 entries
        assert body["count"] == 3  # seven entries: counted up to the limit
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == 7 == len(set(seen)) and len(counts) == 4
    assert admin.get("/api/v1/access-log/?action=read&page=5").status_code == 404
    assert admin.get("/api/v1/access-log/?action=read&page=0").status_code == 404
    assert len(set(counts)) == 1  # every page the same queries
    # A selection within the limit is counted exactly and pages as before.
    body = admin.get(f"/api/v1/access-log/?action=read&client={clients[0].pk}").json()
    assert body["count"] == 1 and body["next"] is None and len(body["results"]) == 1
