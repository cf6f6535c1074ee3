"""Swaps within an agreed package: one activity delivered instead of another in one week,
recorded without a new conversation, with the warnings a professional should double-check."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Package, PackageSwap
from .selectors import lines_of

if TYPE_CHECKING:
    from catalog.models import Activity
    from ipvb.models import User


@transaction.atomic
def package_swap_record(
    *,
    package: Package,
    by: User,
    week_of: datetime.date,
    replaced: Activity,
    replacement: Activity,
    note: str = "",
) -> PackageSwap:
    """Records that an activity was swapped for another within one week (no new conversation)."""
    if package.status not in (Package.Status.AGREED, Package.Status.SUPERSEDED):
        raise ValidationError(_("Ruilen kan alleen binnen een afgesproken pakket."))
    in_package = {line.activity_id for line in lines_of(package=package) if line.activity_id}
    if replaced.pk not in in_package:
        raise ValidationError({"replaced": _("Deze activiteit staat niet in het pakket.")})
    if replacement.organisation_id != package.organisation_id or not replacement.is_active_on(week_of):
        raise ValidationError({"replacement": _("Deze activiteit is niet beschikbaar in die week.")})
    if replacement.pk == replaced.pk:
        raise ValidationError({"replacement": _("Kies een andere activiteit dan de vervallen activiteit.")})
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    this_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    if monday > this_monday + datetime.timedelta(days=7):
        raise ValidationError(
            {
                "week_of": _(
                    "Een ruil legt u vast voor deze week, de komende week of een voorbije week; de week van "
                    "%(week)s ligt te ver vooruit."
                )
                % {"week": monday.strftime("%d-%m-%Y")}
            }
        )
    if week_of < package.start_date:
        raise ValidationError(
            {
                "week_of": _(
                    "De week van %(week)s ligt vóór de ingangsdatum van dit pakket (%(start)s); kies een week "
                    "waarin dit pakket gold."
                )
                % {"week": monday.strftime("%d-%m-%Y"), "start": package.start_date.strftime("%d-%m-%Y")}
            }
        )
    if package.end_date and week_of > package.end_date:
        raise ValidationError(
            {
                "week_of": _(
                    "De week van %(week)s ligt na de einddatum van dit pakket (%(end)s); leg de ruil vast in "
                    "het pakket dat toen gold."
                )
                % {"week": monday.strftime("%d-%m-%Y"), "end": package.end_date.strftime("%d-%m-%Y")}
            }
        )
    swap = PackageSwap(
        organisation_id=package.organisation_id,
        package=package,
        week_of=week_of - datetime.timedelta(days=week_of.weekday()),
        replaced=replaced,
        replacement=replacement,
        note=note,
        recorded_by=by,
    )
    swap.full_clean()
    swap.save()
    return swap


def swap_warnings(*, package: Package, replaced: Activity, replacement: Activity) -> list[str]:
    """What a professional should double-check: a swap for an activity of another kind, or one
    delivered at another staff level (medication for a living-room programme)."""
    warnings = []
    if replaced.category != replacement.category:
        warnings.append(
            _(
                "Let op: %(new)s is een ander soort activiteit (%(new_kind)s) dan %(old)s (%(old_kind)s). "
                "Controleer of de zorg die vervalt echt niet nodig is."
            )
            % {
                "new": replacement.name,
                "new_kind": replacement.get_category_display(),
                "old": replaced.name,
                "old_kind": replaced.get_category_display(),
            }
        )
    old_levels = {
        line.staff_level_id for line in lines_of(package=package) if line.activity_id == replaced.pk
    }
    if replacement.default_level_id not in old_levels:
        warnings.append(
            _("Let op: %(new)s wordt op een ander functieniveau gegeven dan %(old)s.")
            % {"new": replacement.name, "old": replaced.name}
        )
    return warnings
