"""Demo of the family's view: a contact-person login (familie@demo.ipvb.nl) for a client of
De Zonnehof with an agreed package. Idempotent; runs after conversations.demo."""

from __future__ import annotations

import secrets
from typing import Any

from django.utils import timezone

from clients.models import ContactPerson
from conversations.models import Package
from ipvb.demo import ORGS, _user
from ipvb.models import Organisation

from .models import FamilyAccess
from .services import INVITABLE_ROLES, hash_token

DEMO_EMAIL = "familie@demo.ipvb.nl"


def load(out: Any = None) -> None:
    user = _user(DEMO_EMAIL, "Marieke", "de Familie")
    zonnehof = next(spec for spec in ORGS if spec.slug == "zonnehof")
    org = Organisation.objects.filter(agb_code=zonnehof.agb_code).first()
    if org is None:
        return
    if FamilyAccess.objects.for_organisation(org).filter(user=user, ended_at__isnull=True).exists():
        return
    packages = (
        Package.objects.for_organisation(org)
        .filter(status=Package.Status.AGREED, client__status="active")
        .select_related("client")
        .order_by("client__department__name", "client__family_name", "client__pk")
    )
    # A package within its budget: the family's first look at an ordinary week of care (the
    # signal cases of the reporting demo are far over budget).
    ordinary = [
        p for p in packages if p.personal_budget and p.total is not None and p.total <= p.personal_budget
    ]
    for package in ordinary or list(packages):
        contact = (
            ContactPerson.objects.for_organisation(org)
            .filter(client=package.client, role__in=list(INVITABLE_ROLES))
            .order_by("pk")
            .first()
        )
        if (
            contact is None
            or FamilyAccess.objects.for_organisation(org)
            .filter(contact_person=contact, ended_at__isnull=True)
            .exists()
        ):
            continue
        now = timezone.now()
        FamilyAccess.objects.create(
            organisation=org,
            client=package.client,
            contact_person=contact,
            contact_name=contact.name,
            email=DEMO_EMAIL,
            user=user,
            consent_by=FamilyAccess.Consent.CLIENT,
            consent_note="Demo: toestemming besproken in het intakegesprek.",
            token_hash=hash_token(secrets.token_urlsafe(32)),
            token_expires_at=now,
            token_used_at=now,
            activated_at=now,
        )
        if out is not None:
            out.write(f"Family view: {DEMO_EMAIL} for {package.client.full_name}")
        return
