"""Reading the access log in words: the label of each row's record for the log screens
("Zorgpakket versie 2 van Marie Brouwer", "Lijst van cliënten"). Writing the log is
``ipvb.accesslog``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models_accesslog import AccessLogEntry


def describe(entries: Iterable[AccessLogEntry]) -> list[AccessLogEntry]:
    """Sets ``entry.object_label`` ("Zorgpakket versie 2 van Marie Brouwer", "Lijst van
    cliënten") on a page of log rows, with one query per kind of record on the page."""
    from django.apps import apps

    from .tenancy import is_tenant_model

    rows = list(entries)
    wanted: dict[str, set[str]] = {}
    for entry in rows:
        if entry.object_type and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found: dict[tuple[str, str], Any] = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        manager = model._default_manager
        queryset = manager.filter(pk__in=[i for i in ids if i.isdigit()])
        if is_tenant_model(model) and rows:
            queryset = manager.for_organisation(rows[0].organisation_id).filter(pk__in=queryset.values("pk"))
        if hasattr(model, "access_log_related"):
            queryset = queryset.select_related(*model.access_log_related)
        for obj in queryset:
            found[(label, str(obj.pk))] = obj
    for entry in rows:
        obj = found.get((entry.object_type, entry.object_id))
        entry.object_label = _label(entry, obj)
    return rows


def _label(entry: AccessLogEntry, obj: Any) -> str:
    from django.apps import apps
    from django.utils.translation import gettext as _

    if obj is not None:
        custom = getattr(obj, "access_log_label", None)
        return str(custom) if custom else f"{str(obj._meta.verbose_name).capitalize()} {obj}"
    if not entry.object_type:
        return "—"
    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return entry.object_type
    if not entry.object_id:
        return _("Lijst van %(things)s") % {"things": model._meta.verbose_name_plural}
    return _("%(thing)s (verwijderd)") % {"thing": str(model._meta.verbose_name).capitalize()}
