"""A client with an agreed package (the domain page's worked example), a contact person with a
live family access, and helpers to invite and accept."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core import mail
from django.test import Client as Browser
from django.test import RequestFactory

from clients import services as client_services
from conversations.approvals import package_agree
from family import services
from ipvb.roles import Role
from tests.conversations.builders import scenario

PASSWORD = "Familie-wachtwoord-2026!"
LINK = re.compile(r"https?://[^\s]+/familie/uitnodiging/([^/\s]+)/")


def agree(world: Any, package: Any, org: str = "a") -> Any:
    leader = world.membership(Role.TEAM_LEADER, org)
    package.refresh_from_db()
    return package_agree(
        package=package,
        membership=leader,
        conversation=package.conversation or scenario(world, org)["conversation"],
        expected_version=package.lock_version,
        review_date=package.start_date + datetime.timedelta(days=180),
    )


def agreed(world: Any, org: str = "a") -> dict[str, Any]:
    """The scenario of tests/conversations with its package agreed."""

    def build(w: Any) -> dict[str, Any]:
        data = dict(scenario(w, org))
        data["package"] = agree(w, data["package"], org)
        return data

    return world.get(f"family_agreed_{org}", build)


def contact(world: Any, org: str = "a", *, email: str = "") -> Any:
    def build(w: Any) -> Any:
        person = agreed(w, org)["client"]
        return client_services.contact_person_create(
            client=person,
            name="Marieke de Jong" if org == "a" else "Bert Bos",
            relation="Dochter",
            role="legal_representative",
            email=email or f"familie.{org}@example.org",
        )

    return world.get(f"family_contact_{org}", build)


def invite(world: Any, org: str = "a", *, person: Any = None, email: str = "") -> tuple[Any, str]:
    """Invites the contact person; returns (access, token taken from the e-mail)."""
    person = person or contact(world, org)
    mail.outbox.clear()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        access = services.family_invite(
            membership=world.membership(Role.CARE_PROFESSIONAL, org),
            client=person.client,
            contact_person=person,
            email=email or person.email,
            consent_by="representative",
            consent_note="Besproken in het gesprek",
            request=RequestFactory().get("/"),
        )
    match = LINK.search(str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return access, match.group(1)


def family_access(world: Any, org: str = "a") -> Any:
    """A live family access of organisation ``org`` (its user has a password)."""

    def build(w: Any) -> Any:
        _access, token = invite(w, org)
        access, _user = services.family_accept(token=token, password=PASSWORD)
        return access

    return world.get(f"family_access_{org}", build)


def family_user(world: Any, org: str = "a") -> Any:
    return family_access(world, org).user


def family_browser(world: Any, org: str = "a") -> Browser:
    browser = Browser()
    browser.force_login(family_user(world, org))
    return browser
