"""Optimistic locking: one mechanism for every versioned record (a model with a
``lock_version`` counter, today ``conversations.Package``).

Every write of a versioned record goes through :func:`lock_for_update` inside the service's
transaction: the caller must send the version it last read (missing: a validation error, API
400), the row is re-read under ``SELECT ... FOR UPDATE`` and a different version raises
:class:`StaleEdit` (API 409 through ``ipvb.api.exceptions``; web: a clear message, the user's
input kept). Writes then save only the fields that changed (:func:`apply_changes`) and bump the
counter in the locked row (:func:`bump_version`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Organisation

VERSION_FIELD = "lock_version"
M = TypeVar("M", bound=models.Model)


class StaleEdit(ValidationError):
    """The record changed since the editor loaded it (API: 409 Conflict)."""


def version_required_error() -> ValidationError:
    return ValidationError(
        {
            "version": _(
                "Stuur de versie mee die u het laatst hebt gelezen (veld 'version'); zonder versie "
                "kan de wijziging van een collega verloren gaan. Er is niets gewijzigd."
            )
        },
        code="version_required",
    )


def parse_version(raw: Any) -> int | None:
    """A posted version (form field or query parameter) as an int, or None when absent or not a
    whole number (the service then refuses with :func:`version_required_error`)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def lock_for_update(
    model: type[M],
    *,
    pk: Any,
    organisation: Organisation | int,
    expected_version: int | None,
    message: str | None = None,
) -> M:
    """Re-reads the row under ``select_for_update`` within the organisation and checks that
    nobody changed it since ``expected_version``. Call inside ``transaction.atomic``."""
    if expected_version is None:
        raise version_required_error()
    locked = model.objects.for_organisation(organisation).select_for_update().get(pk=pk)  # type: ignore[attr-defined]  # any tenant model
    if getattr(locked, VERSION_FIELD) != expected_version:
        raise StaleEdit(
            message
            or _(
                "Een collega heeft deze gegevens intussen gewijzigd. Uw wijziging is niet opgeslagen: "
                "bekijk de bijgewerkte gegevens en sla uw wijziging opnieuw op."
            ),
            code="stale",
        )
    return locked


def claim_version(obj: models.Model, *expressions: Any, expected_version: int, **conditions: Any) -> bool:
    """Optimistic locking in one statement, for a change validated on a copy read in the same
    transaction: bumps the version only if the row still has ``expected_version`` (and matches
    ``conditions``), which locks it until the transaction ends. True when it did (the copy
    follows); False when someone changed it first or it no longer matches (nothing written).
    A change by anyone else after the copy was read bumped the version, so a True means the copy
    was current."""
    fields: dict[str, Any] = {VERSION_FIELD: F(VERSION_FIELD) + 1}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields["updated_at"] = timezone.now()
    claimed = (
        type(obj)
        .objects.for_organisation(obj.organisation_id)  # type: ignore[attr-defined]  # any tenant model
        .filter(*expressions, pk=obj.pk, **{VERSION_FIELD: expected_version}, **conditions)
        .update(**fields)
    )
    if claimed:
        setattr(obj, VERSION_FIELD, expected_version + 1)
    return bool(claimed)


def bump_version(obj: models.Model) -> None:
    """Increments the version of a locked row (``F() + 1``, so it never goes back) and keeps the
    in-memory object in step."""
    fields: dict[str, Any] = {VERSION_FIELD: F(VERSION_FIELD) + 1}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields["updated_at"] = timezone.now()
    type(obj).objects.for_organisation(obj.organisation_id).filter(pk=obj.pk).update(**fields)  # type: ignore[attr-defined]  # any tenant model
    setattr(obj, VERSION_FIELD, getattr(obj, VERSION_FIELD) + 1)


def apply_changes(obj: models.Model, changes: dict[str, Any]) -> list[str]:
    """Sets the values that differ from the (locked) object and returns their field names, for
    ``save(update_fields=...)``: a write never overwrites a field it did not change."""
    changed = []
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        current = getattr(obj, attname)
        new = value.pk if isinstance(value, models.Model) and attname != name else value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def save_changed(obj: models.Model, fields: Iterable[str]) -> None:
    """Saves only ``fields`` (plus ``updated_at`` when the model has one); nothing when empty."""
    names = list(dict.fromkeys(fields))
    if not names:
        return
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields) and "updated_at" not in names:
        names.append("updated_at")
    obj.save(update_fields=names)
