"""The access log: a row for every action type (web and API), no record content in the rows,
append-only in the application and in PostgreSQL, and the screens that show it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from clients.formulas import mask_bsn
from clients.models import ContactPerson
from ipvb import accesslog, db_roles
from ipvb.models import AccessLogEntry
from ipvb.models_accesslog import AccessLogImmutableError
from ipvb.roles import Role

from .builders import contact_a, indication_a, make_client

pytestmark = pytest.mark.django_db


def _log(org):  # type: ignore[no-untyped-def]
    return AccessLogEntry.objects.for_organisation(org)


def _last(org):  # type: ignore[no-untyped-def]
    return _log(org).order_by("-pk").first()


def test_web_read_search_update_and_bsn_reveal_are_logged(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    user = world.user(Role.CARE_PROFESSIONAL)
    browser = world.client(Role.CARE_PROFESSIONAL)

    browser.get(reverse("client_detail", args=[client.pk]), REMOTE_ADDR="10.1.2.3")
    entry = _last(world.org_a)
    assert (entry.action, entry.client_id, entry.user_id, entry.ip_address) == (
        "read",
        client.pk,
        user.pk,
        "10.1.2.3",
    )
    assert (entry.roles, entry.channel, entry.method, entry.object_type) == (
        "care_professional",
        "web",
        "GET",
        "clients.Client",
    )
    assert entry.path == f"/clienten/{client.pk}/"

    browser.get(reverse("client_list"), {"q": client.family_name})
    entry = _last(world.org_a)
    # A search logs one row per client it showed, with its criteria.
    assert (entry.action, entry.client_id) == ("search", client.pk)
    assert '"q"' in entry.criteria

    # A BSN search is posted (never in a URL) and logged without the number.
    browser.post(reverse("client_bsn_search"), {"bsn": client.bsn})
    entry = _last(world.org_a)
    assert (entry.action, entry.client_id, entry.method) == ("search", client.pk, "POST")
    assert client.bsn not in entry.path and client.bsn not in entry.criteria
    assert entry.criteria == '{"bsn": "•••••••••"}'

    response = browser.post(
        reverse("client_update", args=[client.pk]),
        {
            "given_name": "Jo",
            "family_name": "de Jong",
            "date_of_birth": "1940-05-17",
            "admission_date": "2024-01-01",
        },
    )
    assert response.status_code == 302
    assert (_last(world.org_a).action, _last(world.org_a).client_id) == ("update", client.pk)

    response = browser.post(reverse("client_bsn", args=[client.pk]), HTTP_HX_REQUEST="true")
    assert client.bsn in response.content.decode()
    assert (_last(world.org_a).action, _last(world.org_a).client_id) == ("reveal_bsn", client.pk)


def test_web_create_and_delete_of_a_contact_person_are_logged(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    browser = world.client(Role.CARE_PROFESSIONAL)
    browser.post(
        reverse("contactperson_create", args=[client.pk]),
        {"name": "Marieke", "relation": "Dochter", "role": "first_contact"},
    )
    contact = ContactPerson.objects.for_organisation(world.org_a).get()
    entry = _last(world.org_a)
    assert (entry.action, entry.client_id, entry.object_type, entry.object_id) == (
        "create",
        client.pk,
        "clients.ContactPerson",
        str(contact.pk),
    )
    browser.post(reverse("contactperson_delete", args=[contact.pk]))
    assert not ContactPerson.objects.for_organisation(world.org_a).exists()
    entry = _last(world.org_a)
    assert (entry.action, entry.client_id, entry.object_id) == ("delete", client.pk, str(contact.pk))


def test_new_client_create_is_logged_with_the_new_client(world) -> None:  # type: ignore[no-untyped-def]
    browser = world.client(Role.ORG_ADMIN)
    response = browser.post(
        reverse("client_create"),
        {
            "given_name": "Nieuw",
            "family_name": "Mens",
            "date_of_birth": "1940-01-01",
            "bsn": "123456782",
            "department": world.dept_a.pk,
            "admission_date": "2024-01-01",
        },
    )
    assert response.status_code == 302
    entry = _last(world.org_a)
    assert entry.action == "create" and entry.client.family_name == "Mens"


def test_print_and_export_are_logged(world) -> None:  # type: ignore[no-untyped-def]
    first = make_client(world)
    second = make_client(world, department=world.dept_a2, family_name="Tweede")
    browser = world.client(Role.ORG_ADMIN)
    assert browser.get(reverse("client_print", args=[first.pk])).status_code == 200
    assert (_last(world.org_a).action, _last(world.org_a).client_id) == ("print", first.pk)
    # The export is for managers and team leaders (docs/clients.md); a manager sees all departments.
    response = world.client(Role.MANAGER).get(reverse("client_export"))
    body = response.content.decode("utf-8-sig")
    assert "Tweede" in body and first.bsn not in body
    exported = set(_log(world.org_a).filter(action="export").values_list("client_id", flat=True))
    assert exported == {first.pk, second.pk}


def test_record_helper_for_other_apps(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    request = RequestFactory().get("/pakketten/1/pdf/", REMOTE_ADDR="192.0.2.7")
    request.user = world.user(Role.TEAM_LEADER)
    request.membership = world.membership(Role.TEAM_LEADER)
    request.organisation = world.org_a
    entry = accesslog.record(request=request, client=client, action=accesslog.PRINT)
    assert (entry.action, entry.client_id, entry.ip_address, entry.roles) == (
        "print",
        client.pk,
        "192.0.2.7",
        "team_leader",
    )
    with pytest.raises(ValueError, match="Unknown access log action"):
        accesslog.record(request=request, client=client, action="peek")


def test_api_actions_are_logged(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    api = world.client(Role.TEAM_LEADER)
    api.get("/api/v1/clients/")
    assert (_last(world.org_a).action, _last(world.org_a).channel) == ("search", "api")
    api.get(f"/api/v1/clients/{client.pk}/")
    assert (_last(world.org_a).action, _last(world.org_a).client_id) == ("read", client.pk)
    api.get(f"/api/v1/clients/{client.pk}/bsn/")
    assert _last(world.org_a).action == "reveal_bsn"
    response = api.post(
        "/api/v1/indications/",
        {
            "client": client.pk,
            "decision_number": "CIZ-9",
            "care_profile": "6VV",
            "grondslag": "somatic",
            "start_date": "2024-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    indication_id = response.json()["id"]
    entry = _last(world.org_a)
    assert (entry.action, entry.client_id, entry.object_id) == ("create", client.pk, str(indication_id))
    api.patch(
        f"/api/v1/indications/{indication_id}/", {"end_date": "2024-12-31"}, content_type="application/json"
    )
    assert (_last(world.org_a).action, _last(world.org_a).client_id) == ("update", client.pk)
    assert api.delete(f"/api/v1/indications/{indication_id}/").status_code == 204
    entry = _last(world.org_a)
    assert (entry.action, entry.client_id, entry.object_id) == ("delete", client.pk, str(indication_id))


def test_denied_and_failed_requests_are_not_logged(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world, department=world.dept_a2)
    before = _log(world.org_a).count()
    world.client(Role.CARE_PROFESSIONAL).get(reverse("client_detail", args=[client.pk]))  # 404
    world.client(Role.FINANCIAL).get(reverse("client_list"))  # 403
    world.client(Role.ORG_ADMIN).post(
        "/api/v1/indications/", {"client": client.pk, "care_profile": "x"}, content_type="application/json"
    )  # 400
    assert _log(world.org_a).count() == before


def test_log_rows_hold_no_record_content(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world, given_name="Geheimnaam", family_name="Verborgen")
    browser = world.client(Role.ORG_ADMIN)
    browser.get(reverse("client_list"), {"q": "Verborgen"})
    browser.get(reverse("client_list"), {"q": client.bsn})  # not searched: one empty search row
    assert browser.get(f"/api/v1/clients/?bsn={client.bsn}").status_code == 400  # refused, no row
    browser.post(reverse("client_bsn_search"), {"bsn": client.bsn})
    browser.post("/api/v1/clients/bsn-search/", {"bsn": client.bsn}, content_type="application/json")
    browser.post(reverse("client_bsn", args=[client.pk]))
    browser.get(f"/api/v1/clients/{client.pk}/bsn/")
    rows = list(_log(world.org_a).values())
    assert len(rows) == 6
    text = repr(rows)
    without_criteria = repr([{k: v for k, v in row.items() if k != "criteria"} for row in rows])
    # The masked BSN, not its last three digits alone: those can be an object id of the log.
    for secret in (client.bsn, "Geheimnaam", "Verborgen", mask_bsn(client.bsn)):
        assert secret not in without_criteria
        # A search keeps what the user typed as its criteria (any BSN masked), nothing more.
        assert secret == "Verborgen" or secret not in text
    assert '{"q": "Verborgen"}' in text


def test_log_is_append_only_in_the_application(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    world.client(Role.ORG_ADMIN).get(reverse("client_detail", args=[client.pk]))
    entry = _last(world.org_a)
    entry.action = "update"
    with pytest.raises(AccessLogImmutableError):
        entry.save()
    with pytest.raises(AccessLogImmutableError):
        entry.delete()
    with pytest.raises(AccessLogImmutableError):
        _log(world.org_a).update(action="update")
    with pytest.raises(AccessLogImmutableError):
        _log(world.org_a).delete()
    assert _last(world.org_a).action == "read"


def test_log_is_append_only_in_postgresql(world) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    client = make_client(world)
    world.client(Role.ORG_ADMIN).get(reverse("client_detail", args=[client.pk]))
    entry = _last(world.org_a)
    # With two database roles the app role has no UPDATE/DELETE right at all (refused before
    # the trigger); the trigger itself, for the owner: tests/ipvb/test_accesslog_retention.py.
    refused = "permission denied" if db_roles.two_roles() else "append-only"
    for sql in (
        "UPDATE ipvb_accesslogentry SET action = 'update' WHERE id = %s",
        "DELETE FROM ipvb_accesslogentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match=refused),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert _last(world.org_a).action == "read"


def test_deleting_a_logged_client_keeps_the_log(world) -> None:  # type: ignore[no-untyped-def]
    """Log rows keep the client id even if the client is removed (no cascade into the log)."""
    client = make_client(world)
    world.client(Role.ORG_ADMIN).get(reverse("client_detail", args=[client.pk]))
    client_id = client.pk
    client.delete()
    assert _log(world.org_a).filter(client_id=client_id).count() == 1
    page = world.client(Role.ORG_ADMIN).get(reverse("accesslog_list")).content.decode()
    assert f"#{client_id}" in page


def test_org_admin_filters_the_log(world) -> None:  # type: ignore[no-untyped-def]
    one = make_client(world, family_name="Een")
    two = make_client(world, family_name="Twee")
    world.client(Role.CARE_PROFESSIONAL).get(reverse("client_detail", args=[one.pk]))
    world.client(Role.TEAM_LEADER).get(reverse("client_detail", args=[two.pk]))
    admin = world.client(Role.ORG_ADMIN)
    page = admin.get(reverse("accesslog_list"), {"user": "care_professional"}).content.decode()
    assert "care_professional.a@example.org" in page and "team_leader.a@example.org" not in page
    page = admin.get(reverse("accesslog_list"), {"client": two.pk}).content.decode()
    assert "Twee" in page and ">Een<" not in page
    today = timezone.localdate().isoformat()
    page = admin.get(
        reverse("accesslog_list"), {"action": "read", "date_from": today, "date_to": today}
    ).content.decode()
    assert "2 regels" in page
    page = admin.get(reverse("accesslog_list"), {"date_to": "2000-01-01"}).content.decode()
    assert "Geen regels gevonden" in page
    # Reading the log shows clients too, and is logged as searches; the read of "one" is one row.
    api = admin.get("/api/v1/access-log/", {"client": one.pk, "action": "read"}).json()
    assert [row["client"] for row in api["results"]] == [one.pk]


def test_who_looked_at_this_file(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    world.client(Role.CARE_PROFESSIONAL).get(reverse("client_detail", args=[client.pk]))
    world.client(Role.MANAGER).get(reverse("client_detail", args=[client.pk]))
    page = world.client(Role.TEAM_LEADER).get(reverse("client_accesslog", args=[client.pk])).content.decode()
    assert "care_professional.a@example.org" in page and "manager.a@example.org" in page
    assert "Wie heeft het dossier van" in page


def test_other_organisation_log_is_invisible(world) -> None:  # type: ignore[no-untyped-def]
    client_b = make_client(world, org="b")
    world.client(Role.ORG_ADMIN, "b").get(reverse("client_detail", args=[client_b.pk]))
    assert _log(world.org_b).count() == 1
    page = world.client(Role.ORG_ADMIN).get(reverse("accesslog_list")).content.decode()
    assert "org_admin.b@example.org" not in page
    rows = world.client(Role.ORG_ADMIN).get("/api/v1/access-log/").json()["results"]
    # Only organisation A's own row of looking at its (empty) log.
    assert [(row["user_email"], row["client"]) for row in rows] == [("org_admin.a@example.org", None)]


def test_indication_and_contact_fixtures_log_nothing_themselves(world) -> None:  # type: ignore[no-untyped-def]
    indication_a(world)
    contact_a(world)
    assert _log(world.org_a).count() == 0


def test_ip_address_behind_a_trusted_proxy(world, settings) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    browser = world.client(Role.ORG_ADMIN)
    headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    browser.get(reverse("client_detail", args=[client.pk]), **headers)
    assert _last(world.org_a).ip_address == "10.0.0.1"  # no proxy trusted: the peer address
    settings.IPVB_ACCESSLOG_PROXY_COUNT = 1
    browser.get(reverse("client_detail", args=[client.pk]), **headers)
    assert _last(world.org_a).ip_address == "203.0.113.9"  # the address our proxy saw


def test_forged_forwarded_header_does_not_break_the_request(world, settings) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    settings.IPVB_ACCESSLOG_PROXY_COUNT = 1
    response = world.client(Role.ORG_ADMIN).get(
        reverse("client_detail", args=[client.pk]), HTTP_X_FORWARDED_FOR="'; DROP TABLE x; --"
    )
    assert response.status_code == 200
    assert _last(world.org_a).ip_address is None


def test_log_is_for_people_names_roles_and_objects_in_words(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 13.7: "Zorgpakket versie 1 van …", roles in words, filter by client name and user."""
    from tests.conversations.builders import scenario

    data = scenario(world)
    package = data["package"]
    client = data["client"]
    reader = world.user(Role.TEAM_LEADER)
    reader.first_name, reader.last_name = "Tess", "Leider"
    reader.save()
    world.client(Role.TEAM_LEADER).get(f"/pakketten/{package.pk}/")
    admin = world.client(Role.ORG_ADMIN)
    page = admin.get(reverse("accesslog_list"), {"client_name": client.family_name}).content.decode()
    assert f"Zorgpakket versie {package.version} van {client.full_name}" in page
    assert "Tess Leider" in page and "Teamleider" in page
    assert "conversations.Package #" not in page and "clients.Client #" not in page
    by_user = admin.get(reverse("accesslog_list"), {"user": "Leider"}).content.decode()
    assert "Tess Leider" in by_user
    nobody = admin.get(reverse("accesslog_list"), {"client_name": "Bestaatniet"}).content.decode()
    assert "Geen regels gevonden" in nobody
