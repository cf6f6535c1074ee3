"""Reads of the conversations app: a client's conversations and packages, the package in force,
a package's lines, and what changed between two versions. Pricing is in ``pricing``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .models import Conversation, Package, PackageLine

if TYPE_CHECKING:
    from clients.models import Client
    from ipvb.models import Organisation


def in_force(*, on_date: datetime.date, path: str = "") -> Q:
    """The condition of a package in force on ``on_date``, for a query of packages or, with
    ``path`` (e.g. "package__"), of rows that reach their package through it: a join instead of
    a sub-select of package ids, which read the packages and clients twice (issue 16)."""
    return Q(
        **{
            f"{path}status__in": [Package.Status.AGREED, Package.Status.SUPERSEDED],
            f"{path}start_date__lte": on_date,
        }
    ) & (Q(**{f"{path}end_date__isnull": True}) | Q(**{f"{path}end_date__gte": on_date}))


def packages_in_force(*, organisation: Organisation | int, on_date: datetime.date) -> QuerySet[Package]:
    """Agreed packages (agreed or since superseded) that run on ``on_date``."""
    return Package.objects.for_organisation(organisation).filter(in_force(on_date=on_date))


def package_in_force(*, client: Client, on_date: datetime.date) -> Package | None:
    """The agreed package of ``client`` that runs on ``on_date``."""
    return (
        packages_in_force(organisation=client.organisation_id, on_date=on_date)
        .filter(client=client)
        .order_by("-start_date")
        .first()
    )


def current_agreed(*, client: Client) -> Package | None:
    """The latest agreed package (the one a new draft starts from)."""
    return (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client, status=Package.Status.AGREED)
        .order_by("-start_date", "-version")
        .first()
    )


def open_package(*, client: Client) -> Package | None:
    return (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client, status__in=Package.OPEN_STATUSES)
        .first()
    )


def packages_of(*, client: Client) -> QuerySet[Package]:
    return (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client)
        .select_related("agreed_by", "approved_by", "submitted_by", "conversation")
        .order_by("-version")
    )


def conversations_of(*, client: Client) -> QuerySet[Conversation]:
    return Conversation.objects.for_organisation(client.organisation_id).filter(client=client)


LINE_RELATED = ("activity", "activity__default_level", "addon_item", "staff_level")


def lines_of(*, package: Package) -> list[PackageLine]:
    return list(package_lines(organisation=package.organisation_id, package=package.pk))


def package_lines(*, organisation: int, package: int) -> QuerySet[PackageLine]:
    """The lines of a package by ids, with what pricing reads, in the composer's order."""
    return (
        PackageLine.objects.for_organisation(organisation)
        .filter(package_id=package)
        .select_related(*LINE_RELATED)
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class LineChange:
    kind: str  # added / removed / changed
    label: str
    before: str = ""
    after: str = ""


def _line_key(line: PackageLine) -> tuple[str, int]:
    return ("activity", line.activity_id) if line.activity_id else ("addon", line.addon_item_id or 0)


def _line_summary(line: PackageLine) -> str:
    if line.is_addon:
        return f"{line.quantity_per_month} × / maand"
    funding = line.get_funding_display()
    return f"{line.minutes} min × {line.occurrences_per_week}/wk, {line.staff_level}, {funding}"


def package_diff(*, old: Package | None, new: Package) -> list[LineChange]:
    """What changed between two versions, line by line (matched on activity / add-on item)."""
    old_lines = {_line_key(line): line for line in lines_of(package=old)} if old else {}
    new_lines = {_line_key(line): line for line in lines_of(package=new)}
    changes: list[LineChange] = []
    for key, line in new_lines.items():
        previous = old_lines.get(key)
        if previous is None:
            changes.append(LineChange("added", line.item_name, after=_line_summary(line)))
        elif _line_summary(previous) != _line_summary(line):
            changes.append(
                LineChange("changed", line.item_name, _line_summary(previous), _line_summary(line))
            )
    for key, line in old_lines.items():
        if key not in new_lines:
            changes.append(LineChange("removed", line.item_name, before=_line_summary(line)))
    return changes


def previous_version(*, package: Package) -> Package | None:
    return (
        Package.objects.for_organisation(package.organisation_id)
        .filter(
            client_id=package.client_id,
            version__lt=package.version,
            status__in=[Package.Status.AGREED, Package.Status.SUPERSEDED],
        )
        .order_by("-version")
        .first()
    )
