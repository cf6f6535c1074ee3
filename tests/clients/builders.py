"""Builders of client objects for the world of tests/world.py (``world.get(name, fn)``)."""

from __future__ import annotations

import datetime
from typing import Any

from clients import services
from clients.models import Client, ContactPerson, Indication
from tests import factories


def make_client(
    world: Any,
    *,
    org: str = "a",
    department: Any = None,
    bsn: str | None = None,
    given_name: str = "Johanna",
    family_name: str = "de Jong",
    admission_date: datetime.date = datetime.date(2024, 1, 1),
) -> Client:
    """A client of the world's organisation ``org`` (on its first department unless given)."""
    organisation = world.org_a if org == "a" else world.org_b
    if department is None:
        department = world.dept_a if org == "a" else world.dept_b
    return factories.client(
        department,
        organisation=organisation,
        given_name=given_name,
        family_name=family_name,
        bsn=bsn,
        admission_date=admission_date,
        wishes="Houdt van muziek.",
    )


def make_contact(client: Client, *, name: str = "Marieke de Jong") -> ContactPerson:
    return services.contact_person_create(
        client=client, name=name, relation="Dochter", role="first_contact", phone="06-12345678"
    )


def client_a(world: Any) -> Client:
    return world.get("client_a", lambda w: make_client(w))


def client_b(world: Any) -> Client:
    return world.get("client_b", lambda w: make_client(w, org="b", given_name="Bert", family_name="Bos"))


def indication_a(world: Any) -> Indication:
    return world.get("indication_a", lambda w: factories.indication(client_a(w)))


def indication_b(world: Any) -> Indication:
    return world.get("indication_b", lambda w: factories.indication(client_b(w)))


def contact_a(world: Any) -> ContactPerson:
    return world.get("contact_a", lambda w: make_contact(client_a(w)))


def contact_b(world: Any) -> ContactPerson:
    return world.get("contact_b", lambda w: make_contact(client_b(w)))


def log_entry(world: Any, org: str = "a") -> Any:
    from ipvb.models import AccessLogEntry

    def build(w: Any) -> Any:
        client = client_a(w) if org == "a" else client_b(w)
        return AccessLogEntry.objects.create(
            organisation=client.organisation, client=client, action="read", user_email="x@example.org"
        )

    return world.get(f"log_{org}", build)
