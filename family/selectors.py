"""Reads of the family's view. Everything a contact person sees is reached from their own
``FamilyAccess`` row: the client, its packages, conversations and budget. Nothing of other
clients, no staff-internal notes (the professional's assessment, reasons for overruns), no BSN."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import FamilyAccess, FamilyWish, PackageSignature

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from clients.models import Client
    from conversations.models import Conversation, Package
    from conversations.pricing import PackagePricing, PricedLine
    from ipvb.models import Organisation, User


@dataclass(frozen=True)
class ActiveAccess:
    """The access a request works with. ``read_only``: access ended by discharge, only the
    last agreed package stays readable until ``access.read_until``."""

    access: FamilyAccess
    read_only: bool

    @property
    def client(self) -> Client:
        return self.access.client

    @property
    def organisation(self) -> Organisation:
        return self.access.organisation


def access_for_user(
    user: User | AnonymousUser | None, *, today: datetime.date | None = None
) -> ActiveAccess | None:
    """The user's one access (live, or in the three months' reading window after a
    discharge), else None. Platform staff and staff members never get one."""
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return None
    today = today or timezone.localdate()
    row = (
        FamilyAccess.objects.for_user(user)
        .filter(organisation__is_active=True, activated_at__isnull=False)
        .filter(
            Q(ended_at__isnull=True) | Q(end_reason=FamilyAccess.EndReason.DISCHARGED, read_until__gte=today)
        )
        .select_related("organisation")
        .order_by("ended_at", "-activated_at")
        .first()
    )
    if row is not None:
        enter_organisation(ActiveAccess(access=row, read_only=True))
        row = (
            FamilyAccess.objects.for_organisation(row.organisation_id)
            .select_related("client", "client__department", "organisation")
            .get(pk=row.pk)
        )
    if row is None:
        return None
    return ActiveAccess(access=row, read_only=row.ended_at is not None)


def enter_organisation(active: ActiveAccess) -> None:
    """Row-level security: the request of a contact person works in the organisation of their
    access (``ipvb.rls``), the way a staff request works in that of its membership."""
    from ipvb import rls

    if rls.enabled():
        rls.set_organisation(active.organisation)


def has_family_access(user: User | AnonymousUser | None) -> bool:
    """Whether the user holds a family access (live or readable): MFA applies to them."""
    return access_for_user(user) is not None


def package_content(package: Package) -> dict[str, Any]:
    """The content of one package version that a signature covers: the version, its dates,
    budget, totals and every line (what, how often, how long, at which level, funded how,
    the three tests and the snapshot prices). Status, approvals and timestamps are not
    content: a version that becomes superseded keeps its signature."""
    from conversations.selectors import lines_of

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    lines = [
        {
            "activity": line.activity.name if line.activity is not None else None,
            "activity_id": line.activity_id,
            "addon": line.addon_item.name if line.addon_item is not None else None,
            "addon_id": line.addon_item_id,
            "minutes": line.minutes,
            "per_week": line.occurrences_per_week,
            "level": line.staff_level.name if line.staff_level is not None else None,
            "per_month": text(line.quantity_per_month),
            "funding": line.funding,
            "wanted": line.wanted,
            "necessary": line.necessary,
            "wlz": line.wlz_eligible,
            "note": line.note,
            "rate": text(line.rate),
            "cost_per_week": text(line.cost_per_week),
            "monthly_cost": text(line.monthly_cost),
        }
        for line in lines_of(package=package)
    ]
    return {
        "organisation": package.organisation_id,
        "client": package.client_id,
        "version": package.version,
        "start_date": text(package.start_date),
        "end_date": text(package.end_date),
        "review_date": text(package.review_date),
        "personal_budget": text(package.personal_budget),
        "total": text(package.total),
        "private_per_month": text(package.private_per_month),
        "lines": lines,
    }


def content_hash(package: Package) -> str:
    """SHA-256 of the canonical JSON of ``package_content``."""
    canonical = json.dumps(
        package_content(package), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def signatures_of(*, package: Package) -> QuerySet[PackageSignature]:
    return (
        PackageSignature.objects.for_organisation(package.organisation_id)
        .filter(package=package)
        .select_related("access")
        .order_by("signed_at", "pk")
    )


def signatures_for_packages(
    *, organisation: Organisation | int, packages: list[Package]
) -> dict[int, list[PackageSignature]]:
    found: dict[int, list[PackageSignature]] = {}
    for signature in (
        PackageSignature.objects.for_organisation(organisation)
        .filter(package__in=[p.pk for p in packages])
        .order_by("signed_at", "pk")
    ):
        found.setdefault(signature.package_id, []).append(signature)
    return found


def signature_matches(signature: PackageSignature) -> bool:
    return signature.content_hash == content_hash(signature.package)


def visible_packages(*, active: ActiveAccess) -> QuerySet[Package]:
    """Agreed versions of the client (in force and earlier), newest first. After a discharge
    only the last agreed one."""
    from conversations.models import Package

    queryset = (
        Package.objects.for_organisation(active.organisation)
        .filter(client=active.client, status__in=[Package.Status.AGREED, Package.Status.SUPERSEDED])
        .select_related("conversation")
        .order_by("-version")
    )
    if active.read_only:
        latest = queryset.first()
        return queryset.filter(pk=latest.pk) if latest else queryset.none()
    return queryset


def current_package(*, active: ActiveAccess) -> Package | None:
    """The version the family signs: the latest agreed version."""
    from conversations.selectors import current_agreed

    return (
        current_agreed(client=active.client)
        if not active.read_only
        else visible_packages(active=active).first()
    )


@dataclass
class LineInWords:
    what: str
    how_often: str
    how_long: str
    funded: str
    wanted: bool
    necessary: bool
    wlz: bool
    per_week: Decimal | None
    per_month: Decimal | None
    is_private: bool


@dataclass
class FamilyPackage:
    package: Package
    pricing: PackagePricing
    lines: list[LineInWords] = field(default_factory=list)

    @property
    def budget_lines(self) -> list[LineInWords]:
        return [line for line in self.lines if not line.is_private]

    @property
    def private_lines(self) -> list[LineInWords]:
        return [line for line in self.lines if line.is_private]


def _in_words(priced: PricedLine) -> LineInWords:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    line = priced.line
    if line.addon_item_id:
        quantity = line.quantity_per_month
        shown = f"{quantity.normalize():f}" if isinstance(quantity, Decimal) else str(quantity)
        return LineInWords(
            what=line.item_name,
            how_often=_("%(n)s keer per maand") % {"n": shown},
            how_long="",
            funded=str(line.get_funding_display()),
            wanted=line.wanted,
            necessary=line.necessary,
            wlz=line.wlz_eligible,
            per_week=None,
            per_month=priced.monthly_cost,
            is_private=True,
        )
    occurrences = line.occurrences_per_week or 0
    minutes = line.minutes or 0
    return LineInWords(
        what=line.item_name,
        how_often=ngettext("%(n)s keer per week", "%(n)s keer per week", occurrences) % {"n": occurrences},
        how_long=ngettext("%(n)s minuut per keer", "%(n)s minuten per keer", minutes) % {"n": minutes},
        funded=str(line.get_funding_display()),
        wanted=line.wanted,
        necessary=line.necessary,
        wlz=line.wlz_eligible,
        per_week=priced.cost_per_week,
        per_month=priced.monthly_cost,
        is_private=line.funding != line.Funding.BUDGET,
    )


def family_package(*, package: Package) -> FamilyPackage:
    from conversations.pricing import price_package

    pricing = price_package(package=package)
    return FamilyPackage(package=package, pricing=pricing, lines=[_in_words(p) for p in pricing.lines])


def next_conversation(*, active: ActiveAccess) -> Conversation | None:
    """The next planned (prepared, not yet held) conversation, if any."""
    from conversations.models import Conversation
    from conversations.selectors import conversations_of

    return (
        conversations_of(client=active.client)
        .filter(status=Conversation.Status.PREPARED, held_at__gte=timezone.now())
        .order_by("held_at")
        .first()
    )


def last_conversation(*, active: ActiveAccess) -> Conversation | None:
    from conversations.models import Conversation
    from conversations.selectors import conversations_of

    return (
        conversations_of(client=active.client)
        .filter(status=Conversation.Status.COMPLETED)
        .order_by("-held_at")
        .first()
    )


def wishes_of(*, active: ActiveAccess) -> QuerySet[FamilyWish]:
    return FamilyWish.objects.for_organisation(active.organisation).filter(access=active.access)


def accesses_of(*, client: Client) -> QuerySet[FamilyAccess]:
    return FamilyAccess.objects.for_organisation(client.organisation_id).filter(client=client)


def wishes_for_client(*, client: Client) -> QuerySet[FamilyWish]:
    return (
        FamilyWish.objects.for_organisation(client.organisation_id)
        .filter(client=client)
        .select_related("access")
        .order_by("-created_at")
    )
