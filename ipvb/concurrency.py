"""Optimistic locking: one mechanism for every versioned record (a model with a
``lock_version`` counter, today ``conversations.Package``).

Every write of a versioned record goes through :func:`lock_for_update` inside the service's
transaction: the caller must send the version it last read (missing: a validation error, API
400), the row is re-read under ``SELECT ... FOR UPDATE`` and a different version raises
:class:`StaleEdit` (API 409 through ``ipvb.api.exceptions``; web: a clear message, the user's
input kept). Writes then save only the fields that changed (:func:`apply_changes`) and bump the
counter in the locked row (:func:`bump_version`)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import connection, models
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


def _field(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _has_updated_at(model: type[models.Model]) -> bool:
    return any(f.name == "updated_at" for f in model._meta.concrete_fields)


@functools.lru_cache(maxsize=256)
def _claim_statement(
    parent: type[models.Model], child: type[models.Model], conditions: tuple[str, ...], as_read: tuple[str, ...],
    fields: tuple[str, ...],
) -> str:  # fmt: skip
    """The SQL of ``claim_and_save`` for one combination of models and field names, built from
    the models' metadata once per process (the values are always parameters)."""

    def qn(name: str | None) -> str:
        return str(connection.ops.quote_name(str(name)))

    p_table, c_table = qn(parent._meta.db_table), qn(child._meta.db_table)

    def p_col(name: str) -> str:
        return f"{p_table}.{qn(_field(parent, name).column)}"

    def c_col(name: str) -> str:
        return f"c.{qn(_field(child, name).column)}"

    parent_fk = next(f for f in child._meta.concrete_fields if f.is_relation and f.related_model is parent)
    version = qn(_field(parent, VERSION_FIELD).column)
    sets = [f"{version} = {p_col(VERSION_FIELD)} + 1"]
    sets += [f"{qn(_field(parent, 'updated_at').column)} = %s"] if _has_updated_at(parent) else []
    where = [f"{p_col('organisation')} = %s", f"{p_col('id')} = %s", f"{p_col(VERSION_FIELD)} = %s"]
    where += [f"{p_col(name)} = %s" for name in conditions]
    read = [
        f"{c_col('organisation')} = %s",
        f"{c_col('id')} = %s",
        f"c.{qn(parent_fk.column)} = {p_col('id')}",
    ]
    read += [f"{c_col(name)} IS NOT DISTINCT FROM %s" for name in as_read]
    writes = [f"{qn(_field(child, name).column)} = %s" for name in fields]
    return (
        f"WITH claim AS (UPDATE {p_table} SET {', '.join(sets)} WHERE {' AND '.join(where)} "  # noqa: S608 names from the models' metadata
        f"AND EXISTS (SELECT 1 FROM {c_table} c WHERE {' AND '.join(read)}) RETURNING 1) "
        f"UPDATE {c_table} SET {', '.join(writes)} WHERE {c_table}.{qn(_field(child, 'organisation').column)} = %s "
        f"AND {c_table}.{qn(_field(child, 'id').column)} = %s AND EXISTS (SELECT 1 FROM claim)"
    )


def claim_and_save(
    obj: models.Model,
    *,
    parent: models.Model,
    expected_version: int,
    conditions: dict[str, Any],
    as_read: dict[str, Any],
    fields: Iterable[str],
) -> bool:
    """Optimistic locking in one statement, for a change of ``obj`` (a row of a versioned
    ``parent``, e.g. a package's line) validated on a copy read in the same request: bumps the
    parent's version only if it still has ``expected_version``, matches ``conditions`` and
    ``obj``'s row still holds the values ``as_read`` (field name: value as read), which locks
    the parent until the transaction ends; in the same statement writes ``obj``'s ``fields``
    (plus ``updated_at`` when it has one). True when it did (the parent's in-memory version
    follows); False when someone changed either first or it no longer matches: nothing is
    written. A change by anyone else after the copy was read bumped the version, so a True
    means the copy was current. Both rows are matched within their organisation (and PostgreSQL's
    row-level security applies as to every statement)."""
    names = list(dict.fromkeys(fields))
    if _has_updated_at(type(obj)) and "updated_at" not in names:
        setattr(obj, "updated_at", timezone.now())  # noqa: B010 the field auto_now would set
        names.append("updated_at")
    sql = _claim_statement(type(parent), type(obj), tuple(conditions), tuple(as_read), tuple(names))
    child = type(obj)

    def prep(model: type[models.Model], name: str, value: Any) -> Any:
        return _field(model, name).get_db_prep_value(value, connection, prepared=False)

    params: list[Any] = [timezone.now()] if _has_updated_at(type(parent)) else []
    params += [parent.organisation_id, parent.pk, expected_version]  # type: ignore[attr-defined]  # a tenant model
    params += [prep(type(parent), name, value) for name, value in conditions.items()]
    params += [obj.organisation_id, obj.pk]  # type: ignore[attr-defined]  # a tenant model
    params += [prep(child, name, value) for name, value in as_read.items()]
    params += [prep(child, name, getattr(obj, _field(child, name).attname)) for name in names]
    params += [obj.organisation_id, obj.pk]  # type: ignore[attr-defined]  # a tenant model
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = cursor.rowcount == 1
    if claimed:
        setattr(parent, VERSION_FIELD, expected_version + 1)
    return claimed


def bump_version(obj: models.Model) -> None:
    """Increments the version of a locked row (``F() + 1``, so it never goes back) and keeps the
    in-memory object in step."""
    fields: dict[str, Any] = {VERSION_FIELD: F(VERSION_FIELD) + 1}
    if _has_updated_at(type(obj)):
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
    if _has_updated_at(type(obj)) and "updated_at" not in names:
        names.append("updated_at")
    obj.save(update_fields=names)
