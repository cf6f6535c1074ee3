"""The reporting party (domain page sections 2 and 10): platform-level users (Vilans staff)
outside any organisation, in the auth group ``reporting_party``. They must have MFA
(``ipvb.mfa.must_have_mfa``), see only organisations whose participation agreement in force
records consent, and never personal data."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import OuterRef, QuerySet, Subquery

from ipvb.models import Organisation, User

from .models import MonthlyReport, ParticipationRecord

GROUP_NAME = "reporting_party"
SCOPE = "reports:read"
_CACHE_ATTR = "_ipvb_reporting_party"


class ConsentAnnotations(TypedDict):
    """What ``consenting_organisations`` adds to each organisation."""

    consent_a: bool
    consent_b: bool
    consent_c: bool
    start_date: datetime.date


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ConsentingOrganisation = WithAnnotations[Organisation, ConsentAnnotations]


def is_reporting_party(user: User) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or user.is_staff or user.is_superuser:
        return False
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = user.groups.filter(name=GROUP_NAME).exists()
        setattr(user, _CACHE_ATTR, cached)
    return bool(cached)


def participation_in_force(organisation: Organisation) -> ParticipationRecord | None:
    return ParticipationRecord.objects.for_organisation(organisation).order_by("-recorded_at", "-pk").first()


def has_consent(organisation: Organisation) -> bool:
    record = participation_in_force(organisation)
    return record is not None and record.has_consent


def consenting_organisations() -> QuerySet[ConsentingOrganisation]:
    """Active organisations whose latest participation record consents to all three items:
    the only organisations the reporting party sees (checked at every request, so a withdrawal
    takes effect at once)."""
    latest = (
        ParticipationRecord.objects.dangerously_unscoped()
        .filter(organisation=OuterRef("pk"))
        .order_by("-recorded_at", "-pk")
    )
    return (
        Organisation.objects.filter(is_active=True)
        .annotate(
            consent_a=Subquery(latest.values("consent_cost_price")[:1]),
            consent_b=Subquery(latest.values("consent_addons")[:1]),
            consent_c=Subquery(latest.values("consent_usage")[:1]),
            start_date=Subquery(latest.values("start_date")[:1]),
        )
        .filter(consent_a=True, consent_b=True, consent_c=True)
        .order_by("name")
    )


def latest_reports(organisations: Any) -> QuerySet[MonthlyReport]:
    """The latest version of every month of the given organisations."""
    newer = (
        MonthlyReport.objects.dangerously_unscoped()
        .filter(organisation=OuterRef("organisation"), month=OuterRef("month"))
        .order_by("-version")
        .values("pk")[:1]
    )
    return (
        MonthlyReport.objects.dangerously_unscoped()
        .filter(organisation__in=organisations)
        .filter(pk=Subquery(newer))
        .select_related("organisation")
        .order_by("-month", "organisation__name")
    )


def visible_reports() -> QuerySet[MonthlyReport]:
    return latest_reports(consenting_organisations().values("pk"))
