"""Reads of the clients app. Every selector is given the organisation (or a loaded object
that belongs to one) and returns scoped querysets."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ipvb.roles import Role

from .models import Client, Indication

if TYPE_CHECKING:
    from ipvb.models import Membership


def restrict_to_visible(queryset: QuerySet, *, membership: Membership, client_path: str = "") -> QuerySet:
    """Narrows ``queryset`` (of Client, or of a model reaching one through ``client_path``,
    e.g. "client__") to the clients ``membership`` may see."""
    if membership.has_role(Role.MANAGER, Role.ORG_ADMIN):
        return queryset
    if membership.has_role(Role.CARE_PROFESSIONAL, Role.TEAM_LEADER):
        return queryset.filter(**{f"{client_path}department__in": membership.department_ids()})
    return queryset.none()


def profile_in_force(*, on_date: datetime.date) -> Subquery:
    """For annotating clients: the care profile of their indication in force on ``on_date``
    (indications of one client never overlap, so there is at most one; the latest start wins
    should a race ever leave two)."""
    in_force = (
        Indication.objects.filter(
            organisation=OuterRef("organisation"), client=OuterRef("pk"), start_date__lte=on_date
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
        .order_by("-start_date")
        .values("care_profile")[:1]
    )
    return Subquery(in_force)


def clients_for(*, membership: Membership) -> QuerySet[Client]:
    """The clients a membership may see: care professionals and team leaders those of their
    own departments; managers and org admins all of the organisation; others (financial)
    none."""
    return restrict_to_visible(
        Client.objects.for_organisation(membership.organisation), membership=membership
    )


def clients_with_bsn(*, membership: Membership, bsn: str) -> list[Client]:
    """Exact BSN search through the keyed hash, within what the membership may see. Only for
    the roles that may reveal a BSN (the caller checks; a manager must not confirm a BSN
    through a search when the reveal is refused). A BSN that is not 9 digits with a valid
    11-check is refused clearly."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .formulas import bsn_is_valid, normalise_bsn

    value = normalise_bsn(bsn)
    if len(value) != 9 or not value.isdigit():
        raise ValidationError(
            {"bsn": _("Een BSN bestaat uit 9 cijfers (of 8 cijfers, dan komt er een 0 voor).")}
        )
    if not bsn_is_valid(value):
        raise ValidationError(
            {"bsn": _("Dit BSN klopt niet: het voldoet niet aan de elfproef. Controleer het nummer.")}
        )
    found = Client.objects.for_organisation(membership.organisation).with_bsn(value)
    return list(restrict_to_visible(found, membership=membership).select_related("department"))


# What the access log records of a BSN search: that it was one, never the number.
BSN_SEARCH_CRITERIA = '{"bsn": "•••••••••"}'


def indication_in_force(*, client: Client, on_date: datetime.date) -> Indication | None:
    """The indication of ``client`` that runs on ``on_date`` (start and end inclusive)."""
    return indication_in_force_of(
        organisation=client.organisation_id, client=client.pk, on_date=on_date
    ).first()


def indication_in_force_of(*, organisation: int, client: int, on_date: datetime.date) -> QuerySet[Indication]:
    """``indication_in_force`` by ids, as a queryset (latest start first)."""
    return (
        Indication.objects.for_organisation(organisation)
        .filter(client_id=client, start_date__lte=on_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
        .order_by("-start_date")
    )


def indications_overlapping(
    *,
    client: Client,
    start_date: datetime.date,
    end_date: datetime.date | None,
    exclude_pk: int | None = None,
) -> QuerySet[Indication]:
    """Indications of ``client`` that share at least one day with [start_date, end_date]."""
    qs = Indication.objects.for_organisation(client.organisation_id).filter(client=client)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date is not None:
        qs = qs.filter(start_date__lte=end_date)
    return qs.order_by("start_date")


def indications_in_force(*, clients: list[Client], on_date: datetime.date) -> dict[int, Indication]:
    """``indication_in_force`` for many clients of one organisation, in one query."""
    if not clients:
        return {}
    rows = (
        Indication.objects.for_organisation(clients[0].organisation_id)
        .filter(client__in=[client.pk for client in clients], start_date__lte=on_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
        .order_by("client_id", "-start_date")
    )
    result: dict[int, Indication] = {}
    for indication in rows:
        result.setdefault(indication.client_id, indication)
    return result
