"""Writes of the package composer: a client's draft (one open package per client), its lines
(activities and add-on items) and its start date. Every write of a package locks it at the
version the editor read (``ipvb.concurrency``); agreement and approval are in ``approvals``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.concurrency import (
    apply_changes,
    bump_version,
    claim_and_save,
    lock_for_update,
    save_changed,
    version_required_error,
)
from ipvb.roles import Role

from . import formulas
from .models import Package, PackageLine
from .selectors import current_agreed, lines_of, open_package

if TYPE_CHECKING:
    from catalog.models import Activity, AddOnItem
    from clients.models import Client
    from costing.models import StaffLevel
    from ipvb.models import Membership, User


class LineChanges(TypedDict, total=False):
    """The fields of a package line an editor may change (the activity or item stays)."""

    minutes: int | None
    occurrences_per_week: int | None
    quantity_per_month: Decimal | None
    staff_level: StaffLevel | None
    funding: str
    wanted: bool
    necessary: bool
    wlz_eligible: bool
    note: str


def _stale_message() -> str:
    return _(
        "Een collega heeft dit pakket intussen gewijzigd. Uw wijziging is niet opgeslagen maar staat "
        "hieronder nog klaar: bekijk het bijgewerkte pakket en sla uw wijziging opnieuw op."
    )


def lock_package(package: Package, expected_version: int | None, *, editable: bool = True) -> Package:
    """Re-reads the package under ``select_for_update`` and checks nobody changed it since
    ``expected_version`` (required: without it a colleague's change could be lost)."""
    locked = lock_for_update(
        Package,
        pk=package.pk,
        organisation=package.organisation_id,
        expected_version=expected_version,
        message=_stale_message(),
    )
    if editable and not locked.is_editable:
        raise ValidationError(_("Dit pakket is geen concept meer en kan niet worden gewijzigd."))
    return locked


def bump_package(package: Package, *seen_by: Package) -> None:
    """Increments the locked package's version; the caller's copies follow, so a caller making
    several changes in a row sends the version its own last change produced."""
    bump_version(package)
    for copy in seen_by:
        copy.lock_version = package.lock_version


def package_start_draft(*, client: Client, by: User, start_date: datetime.date | None = None) -> Package:
    """Opens a draft that starts from the agreed package (or empty), or returns the client's
    open package. One open package per client."""
    return package_draft_get_or_start(client=client, by=by, start_date=start_date)[0]


@transaction.atomic
def package_draft_get_or_start(
    *, client: Client, by: User, start_date: datetime.date | None = None
) -> tuple[Package, bool]:
    """The client's open package and False, or a new draft and True. The client row is locked
    first, so concurrent starts for one client queue up and all get the same draft."""
    from clients.models import Client

    client = Client.objects.for_organisation(client.organisation_id).select_for_update().get(pk=client.pk)
    existing = open_package(client=client)
    if existing is not None:
        return existing, False
    if not client.is_active:
        raise ValidationError(_("Deze cliënt is uitgeschreven; er kan geen nieuw pakket worden gemaakt."))
    base = current_agreed(client=client)
    last = (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client)
        .aggregate(m=Max("version"))["m"]
        or 0
    )
    start = start_date or timezone.localdate()
    if base is not None and start <= base.start_date:
        start = base.start_date + datetime.timedelta(days=1)
    draft = Package.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        version=last + 1,
        based_on=base,
        start_date=start,
        created_by=by,
    )
    if base is not None:
        PackageLine.objects.bulk_create(
            [
                PackageLine(
                    organisation_id=client.organisation_id,
                    package=draft,
                    activity_id=line.activity_id,
                    addon_item_id=line.addon_item_id,
                    minutes=line.minutes,
                    occurrences_per_week=line.occurrences_per_week,
                    staff_level_id=line.staff_level_id,
                    quantity_per_month=line.quantity_per_month,
                    funding=line.funding,
                    wanted=line.wanted,
                    necessary=line.necessary,
                    wlz_eligible=line.wlz_eligible,
                    note=line.note,
                    position=line.position,
                )
                for line in lines_of(package=base)
            ]
        )
    return draft, True


def _validate_activity_line(
    *,
    package: Package,
    activity: Activity | None,
    minutes: int | None,
    occurrences: int | None,
    staff_level: StaffLevel | None,
    funding: str,
) -> None:
    errors: dict[str, str] = {}
    if activity is None:
        errors["activity"] = _("Kies een activiteit uit de catalogus.")
    elif activity.organisation_id != package.organisation_id:
        errors["activity"] = _("Deze activiteit bestaat niet.")
    elif not activity.is_active_on(package.start_date):
        errors["activity"] = _("%(activity)s is niet actief op %(date)s.") % {
            "activity": activity,
            "date": package.start_date.strftime("%d-%m-%Y"),
        }
    if minutes is None or minutes <= 0:
        errors["minutes"] = _("Het aantal minuten moet groter dan 0 zijn.")
    if occurrences is None or occurrences <= 0:
        errors["occurrences_per_week"] = _("Het aantal keer per week moet groter dan 0 zijn.")
    if (
        not errors
        and minutes is not None
        and occurrences is not None
        and minutes * occurrences > formulas.MINUTES_PER_WEEK
    ):
        errors["minutes"] = _("%(minutes)s minuten × %(times)s keer is meer dan de 168 uur van een week.") % {
            "minutes": minutes,
            "times": occurrences,
        }
    if staff_level is not None and staff_level.organisation_id != package.organisation_id:
        errors["staff_level"] = _("Dit niveau bestaat niet.")
    if funding not in PackageLine.Funding.values:
        errors["funding"] = _("Kies budget of eigen betaling.")
    if errors:
        raise ValidationError(errors)


# Validated by the services themselves from rows they hold: the package (locked), its
# organisation, and the activity, add-on item and staff level (each read as a row and checked
# against the package's organisation and date). ``full_clean`` would re-read each of them.
_SERVICE_CHECKED = ("organisation", "package", "activity", "addon_item", "staff_level")


def _and3(*values: bool | None) -> bool | None:
    """SQL's AND over true, false and unknown (None)."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or3(*values: bool | None) -> bool | None:
    """SQL's OR over true, false and unknown (None)."""
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _cmp(left: Any, op: str, right: Any) -> bool | None:
    if left is None or right is None:
        return None
    return {">=": left >= right, ">": left > right, "<=": left <= right}[op]


def _int_div(numerator: int, denominator: int | None) -> int | None:
    """PostgreSQL's integer division (truncates towards zero)."""
    if denominator is None:
        return None
    quotient = abs(numerator) // abs(denominator)
    return quotient if (numerator >= 0) == (denominator > 0) else -quotient


def _activity_or_addon(line: PackageLine) -> bool | None:
    return _or3(
        _and3(
            line.activity_id is not None,
            line.addon_item_id is None,
            _cmp(line.minutes, ">=", 1),
            _cmp(line.occurrences_per_week, ">=", 1),
            line.staff_level_id is not None,
        ),
        _and3(
            line.activity_id is None,
            line.addon_item_id is not None,
            line.funding == PackageLine.Funding.PRIVATE,
            _cmp(line.quantity_per_month, ">", 0),
        ),
    )


def _fits_in_week(line: PackageLine) -> bool | None:
    if line.activity_id is None:
        return True
    if line.occurrences_per_week == 0:
        return None  # the database would fail on the division; the first constraint refuses 0
    return _cmp(line.minutes, "<=", _int_div(formulas.MINUTES_PER_WEEK, line.occurrences_per_week))


# The model's check constraints evaluated in Python, with the database's semantics (unknown
# passes, as in a CHECK and in ``CheckConstraint.validate``): the fields they read, and the test.
_CONSTRAINT_CHECKS: dict[str, tuple[tuple[str, ...], Callable[[PackageLine], bool | None]]] = {
    "package_line_activity_or_addon": (
        (
            "activity",
            "addon_item",
            "minutes",
            "occurrences_per_week",
            "staff_level",
            "funding",
            "quantity_per_month",
        ),
        _activity_or_addon,
    ),
    "package_line_fits_in_week": (("activity", "minutes", "occurrences_per_week"), _fits_in_week),
}


def _full_clean(line: PackageLine) -> None:
    """``line.full_clean()`` without its queries (issue 16): the fields, ``clean`` and the model's
    check constraints with the same messages, but no existence query for the rows the services
    already hold (``_SERVICE_CHECKED``) and the check constraints evaluated in Python instead of
    one query (and savepoint) each. A constraint without a Python version here is still
    validated by Django. The database enforces all of them on save anyway."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        line.full_clean(exclude=list(_SERVICE_CHECKED), validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # As Django does: a constraint over a field that already has an error is not checked.
    failed = set(errors)
    for constraint in PackageLine._meta.constraints:
        check = _CONSTRAINT_CHECKS.get(constraint.name)
        if check is None:
            try:
                constraint.validate(PackageLine, line, exclude=failed)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            continue
        fields, test = check
        if failed.intersection(fields) or test(line) is not False:
            continue
        violation = ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )
        errors = violation.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _can_change_level(membership: Membership) -> bool:
    return membership.has_role(Role.TEAM_LEADER)


@transaction.atomic
def package_line_add(
    *,
    package: Package,
    membership: Membership,
    expected_version: int | None,
    activity: Activity | None = None,
    addon_item: AddOnItem | None = None,
    minutes: int | None = None,
    occurrences_per_week: int | None = None,
    staff_level: StaffLevel | None = None,
    quantity_per_month: Decimal | None = None,
    funding: str = PackageLine.Funding.BUDGET,
    wanted: bool = True,
    necessary: bool = True,
    wlz_eligible: bool | None = None,
    note: str = "",
) -> PackageLine:
    loaded = package
    package = lock_package(package, expected_version)
    position = (package.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    if addon_item is not None:
        if addon_item.organisation_id != package.organisation_id or not addon_item.is_active_on(
            package.start_date
        ):
            raise ValidationError(
                {"addon_item": _("Dit bijkoopartikel is niet beschikbaar op de ingangsdatum.")}
            )
        if quantity_per_month is None or quantity_per_month <= 0:
            raise ValidationError({"quantity_per_month": _("Het aantal per maand moet groter dan 0 zijn.")})
        line = PackageLine(
            organisation_id=package.organisation_id,
            package=package,
            addon_item=addon_item,
            quantity_per_month=quantity_per_month,
            funding=PackageLine.Funding.PRIVATE,
            wanted=True,
            necessary=False,
            wlz_eligible=False,
            note=note,
            position=position,
        )
    else:
        if activity is not None and (minutes is None or minutes == ""):
            minutes = activity.default_minutes
        if staff_level is None and activity is not None:
            staff_level = activity.default_level
        elif (
            activity is not None
            and staff_level is not None
            and staff_level.pk != activity.default_level_id
            and not _can_change_level(membership)
        ):
            raise ValidationError({"staff_level": _("Alleen een teamleider kan het niveau wijzigen.")})
        _validate_activity_line(
            package=package,
            activity=activity,
            minutes=minutes,
            occurrences=occurrences_per_week,
            staff_level=staff_level,
            funding=funding,
        )
        assert activity is not None  # refused above; narrows the type
        line = PackageLine(
            organisation_id=package.organisation_id,
            package=package,
            activity=activity,
            minutes=minutes,
            occurrences_per_week=occurrences_per_week,
            staff_level=staff_level,
            funding=funding,
            wanted=wanted,
            necessary=necessary,
            wlz_eligible=activity.wlz_eligible if wlz_eligible is None else wlz_eligible,
            note=note,
            position=position,
        )
    _full_clean(line)
    line.save()
    bump_package(package, loaded)
    return line


_LINE_STATE = (
    "activity_id",
    "addon_item_id",
    "minutes",
    "occurrences_per_week",
    "staff_level_id",
    "quantity_per_month",
    "funding",
    "wanted",
    "necessary",
    "wlz_eligible",
    "note",
)


def package_line_update(
    *, line: PackageLine, membership: Membership, expected_version: int | None, **changes: Unpack[LineChanges]
) -> PackageLine:
    """Changes fields of one line (its package loaded with it). The change is validated on the
    line as read and written only if the package is still the draft at the version the editor
    read and the line still as read: one statement bumps the package's version and writes the
    fields that really change (``claim_and_save``), with no savepoint and no re-read (issue 16). Anything else (nothing to change, a refusal, a line that changed in
    between) goes the careful way: the package locked, the line re-read under the lock and
    validated there, so errors and stale edits are reported as before."""
    if expected_version is None:
        raise version_required_error()
    updated = _update_as_read(line, membership, expected_version, dict[str, Any](changes))
    if updated is not None:
        return updated
    return _update_under_lock(line=line, membership=membership, expected_version=expected_version, **changes)


def _update_as_read(
    line: PackageLine, membership: Membership, expected_version: int, changes: dict[str, Any]
) -> PackageLine | None:
    """The line changed and saved in one statement, or None (nothing written)."""
    package = line.package
    staff_level = changes.get("staff_level")
    if (
        staff_level is not None
        and staff_level.pk != line.staff_level_id
        and not _can_change_level(membership)
    ):
        return None
    as_read = {name: getattr(line, name) for name in _LINE_STATE}
    original = {name: getattr(line, name) for name in changes}
    changed = apply_changes(line, changes)
    claimed = False
    try:
        if changed:
            _validate_line(line, package)
            claimed = claim_and_save(
                line,
                parent=package,
                expected_version=expected_version,
                conditions={"status": Package.Status.DRAFT},
                as_read=as_read,
                fields=changed,
            )
    except ValidationError:
        claimed = False
    if not claimed:
        for name, value in original.items():  # the caller's copy stays as it was read
            setattr(line, name, value)
        return None
    return line


def _validate_line(line: PackageLine, package: Package) -> None:
    if line.activity is not None:
        _validate_activity_line(
            package=package,
            activity=line.activity,
            minutes=line.minutes,
            occurrences=line.occurrences_per_week,
            staff_level=line.staff_level,
            funding=line.funding,
        )
    elif line.quantity_per_month is None or line.quantity_per_month <= 0:
        raise ValidationError({"quantity_per_month": _("Het aantal per maand moet groter dan 0 zijn.")})
    _full_clean(line)


@transaction.atomic
def _update_under_lock(
    *, line: PackageLine, membership: Membership, expected_version: int, **changes: Unpack[LineChanges]
) -> PackageLine:
    """The package locked at the version the editor read, the line re-read under the lock and
    only the fields that really change saved."""
    loaded = line.package
    package = lock_package(loaded, expected_version)
    line = (
        PackageLine.objects.for_organisation(package.organisation_id)
        .select_for_update(of=("self",))
        .select_related("activity", "staff_level")
        .get(pk=line.pk, package=package)
    )
    if "staff_level" in changes and changes["staff_level"] is not None and line.activity is not None:
        new_level = changes["staff_level"]
        if new_level.pk != line.staff_level_id and not _can_change_level(membership):
            raise ValidationError({"staff_level": _("Alleen een teamleider kan het niveau wijzigen.")})
    changed = apply_changes(line, dict[str, Any](changes))
    if not changed:
        return line
    _validate_line(line, package)
    save_changed(line, changed)
    bump_package(package, loaded)
    return line


@transaction.atomic
def package_line_remove(*, line: PackageLine, expected_version: int | None) -> None:
    package = lock_package(line.package, expected_version)
    PackageLine.objects.for_organisation(package.organisation_id).filter(pk=line.pk, package=package).delete()
    bump_package(package, line.package)


@transaction.atomic
def package_set_start(
    *, package: Package, expected_version: int | None, start_date: datetime.date
) -> Package:
    loaded = package
    package = lock_package(package, expected_version)
    save_changed(package, apply_changes(package, {"start_date": start_date}))
    bump_package(package, loaded)
    return package
