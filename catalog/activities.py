"""Writes of the activity catalogue. Every function owns its transaction, checks its input and
raises ``ValidationError`` with Dutch messages (keyed by field) when something is wrong; then
nothing is saved. An activity has no price: it derives from the published cost-price model."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from costing.selectors import rate_card

from .errors import Errors, date_text, set_period
from .models import ACTIVITY_FIELDS, Activity, ActivityCategory

if TYPE_CHECKING:
    from costing.models import StaffLevel
    from ipvb.models import Organisation


class ActivityChanges(TypedDict, total=False):
    """The fields ``activity_update`` may change (``ACTIVITY_FIELDS``)."""

    code: str
    name: str
    description: str
    category: str
    default_minutes: int
    default_level: StaffLevel
    wlz_eligible: bool
    is_group: bool
    group_size: int | None
    active_from: datetime.date
    active_until: datetime.date | None


def _level_check_date(active_from: datetime.date | None, today: datetime.date) -> datetime.date:
    """The model that must know the level: the one in force when the activity starts, or today
    for an activity that has already started."""
    if active_from is None:
        return today
    return max(active_from, today)


def _check_activity(
    *, organisation: Organisation, data: dict[str, Any], instance: Activity | None, today: datetime.date
) -> Errors:
    errors = Errors()
    code = (data.get("code") or "").strip()
    data["code"] = code
    data["name"] = (data.get("name") or "").strip()
    data["description"] = (data.get("description") or "").strip()
    if not code:
        errors.add("code", _("Vul een code in."))
    else:
        clash = Activity.objects.for_organisation(organisation).filter(code__iexact=code)
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.add(
                "code",
                _("De code %(code)s wordt al gebruikt door een andere activiteit. Kies een andere code.")
                % {"code": code},
            )
    if not data["name"]:
        errors.add("name", _("Vul een naam in."))
    if data.get("category") not in ActivityCategory.values:
        errors.add("category", _("Kies een categorie uit de lijst."))

    minutes = data.get("default_minutes")
    if minutes is None:
        errors.add("default_minutes", _("Vul het aantal minuten per keer in."))
    elif not isinstance(minutes, int) or minutes < 1:
        errors.add(
            "default_minutes",
            _("Het aantal minuten per keer moet een heel getal van minstens 1 zijn (niet %(value)s).")
            % {"value": minutes},
        )

    is_group = bool(data.get("is_group"))
    data["is_group"] = is_group
    data["wlz_eligible"] = bool(data.get("wlz_eligible"))
    group_size = data.get("group_size")
    if is_group:
        if group_size is None:
            errors.add("group_size", _("Vul bij een groepsactiviteit de groepsgrootte in."))
        elif not isinstance(group_size, int) or group_size < 2:
            errors.add("group_size", _("Een groep heeft minstens 2 deelnemers."))
    else:
        data["group_size"] = None

    active_from = data.get("active_from")
    active_until = data.get("active_until")
    if active_from is None:
        errors.add("active_from", _("Vul de datum in vanaf wanneer de activiteit actief is."))
    elif active_until is not None and active_until < active_from:
        errors.add("active_until", _("De datum 'actief tot' ligt vóór 'actief vanaf'."))

    level = data.get("default_level")
    if level is None:
        errors.add("default_level", _("Kies een deskundigheidsniveau."))
    elif level.organisation_id != organisation.pk:
        errors.add("default_level", _("Dit deskundigheidsniveau hoort niet bij uw organisatie."))
    else:
        check_date = _level_check_date(active_from, today)
        card = rate_card(organisation=organisation, on_date=check_date)
        if card is not None and card.rate(level) is None:
            errors.add(
                "default_level",
                _(
                    "Het kostprijsmodel dat op %(date)s geldt (%(model)s) heeft geen tarief voor het niveau "
                    "%(level)s. Kies een niveau uit het model, of neem het niveau eerst op in het model."
                )
                % {"date": date_text(check_date), "model": card.model, "level": level},
            )
    return errors


def _validate_and_save(activity: Activity, errors: Errors) -> Activity:
    try:
        activity.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()
    activity.save()
    return activity


@transaction.atomic
def activity_create(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    category: str,
    default_minutes: int,
    default_level: StaffLevel,
    active_from: datetime.date,
    description: str = "",
    wlz_eligible: bool = True,
    is_group: bool = False,
    group_size: int | None = None,
    active_until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Activity:
    """Adds an activity to the catalogue. Its price is never stored: it derives from the
    published cost-price model."""
    data: dict[str, Any] = {
        "code": code,
        "name": name,
        "description": description,
        "category": category,
        "default_minutes": default_minutes,
        "default_level": default_level,
        "wlz_eligible": wlz_eligible,
        "is_group": is_group,
        "group_size": group_size,
        "active_from": active_from,
        "active_until": active_until,
    }
    errors = _check_activity(
        organisation=organisation, data=data, instance=None, today=today or timezone.localdate()
    )
    activity = Activity(organisation=organisation, **data)
    return _validate_and_save(activity, errors)


@transaction.atomic
def activity_update(
    *, activity: Activity, today: datetime.date | None = None, **changes: Unpack[ActivityChanges]
) -> Activity:
    """Changes fields of an activity (any of ``ACTIVITY_FIELDS``)."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() got unknown fields: {sorted(unknown)}")
    activity = (
        Activity.objects.for_organisation(activity.organisation_id).select_for_update().get(pk=activity.pk)
    )
    data = {field: getattr(activity, field) for field in ACTIVITY_FIELDS}
    data.update(changes)
    errors = _check_activity(
        organisation=activity.organisation, data=data, instance=activity, today=today or timezone.localdate()
    )
    for field, value in data.items():
        setattr(activity, field, value)
    return _validate_and_save(activity, errors)


@transaction.atomic
def activity_set_active(
    *, activity: Activity, active: bool, on_date: datetime.date | None = None
) -> Activity:
    """Activates (from ``on_date``, default today) or deactivates (no longer active from
    ``on_date``) an activity. Packages that already hold it keep their own lines."""
    on_date = on_date or timezone.localdate()
    activity = (
        Activity.objects.for_organisation(activity.organisation_id).select_for_update().get(pk=activity.pk)
    )
    set_period(activity, active=active, on_date=on_date)
    if active:
        errors = Errors()
        card = rate_card(organisation=activity.organisation, on_date=max(on_date, activity.active_from))
        if card is not None and card.rate(activity.default_level) is None:
            errors.add(
                "default_level",
                _(
                    "Het kostprijsmodel in kracht (%(model)s) heeft geen tarief voor het niveau %(level)s; "
                    "kies eerst een ander niveau."
                )
                % {"model": card.model, "level": activity.default_level},
            )
        errors.raise_if_any()
    activity.save(update_fields=["active_from", "active_until", "updated_at"])
    return activity
