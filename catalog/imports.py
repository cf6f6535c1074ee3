"""Reading a catalogue from an XLSX file (the layout of its export): one loop for both
catalogues. A row whose key (an activity's code, an item's name) exists updates it, a new key
adds one. One wrong row and nothing is saved: every message names its row and column."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .activities import activity_create, activity_update
from .addons import addon_item_create, addon_item_update, addon_price_set, check_price
from .errors import Errors
from .models import Activity, ActivityCategory, AddOnCategory, AddOnItem, AddOnUnit
from .spreadsheets import (
    ACTIVITY_COLUMNS,
    ACTIVITY_REQUIRED,
    ADDON_COLUMNS,
    ADDON_REQUIRED,
    SheetRow,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    read_rows,
    text,
)

if TYPE_CHECKING:
    from ipvb.models import Organisation


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    prices: int = 0  # new add-on prices

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _cell(errors: Errors, field: str, parsed: tuple[Any, str | None]) -> Any:
    value, message = parsed
    if message:
        errors.add(field, message)
    return value


def _row_errors(row: SheetRow, exc: ValidationError, labels: dict[str, str]) -> list[str]:
    messages = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            label = labels.get(field)
            for message in errors:
                prefix = _("Regel %(row)s") % {"row": row.number}
                messages.append(f"{prefix}, {label}: {message}" if label else f"{prefix}: {message}")
    else:
        for message in exc.messages:
            messages.append(_("Regel %(row)s: %(message)s") % {"row": row.number, "message": message})
    return messages


class CatalogueSheet:
    """The import of one catalogue: its columns, its key and how a row is read and saved."""

    columns: ClassVar[Sequence[tuple[str, str]]]
    required: ClassVar[set[str]]
    key: ClassVar[str]  # the field that names a row: an existing key is updated

    def __init__(self, *, organisation: Organisation, today: datetime.date) -> None:
        self.organisation = organisation
        self.today = today
        self.labels = {field: label for label, field in self.columns}

    def existing(self) -> dict[str, Any]:
        """The catalogue's rows by lower-case key."""
        raise NotImplementedError

    def duplicate(self, key: str, other: int) -> str:
        raise NotImplementedError

    def parse(self, values: dict[str, Any], errors: Errors, current: Any) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, data: dict[str, Any], errors: Errors) -> None:
        """Checks after the key is known to be unique in the file."""

    def save(self, data: dict[str, Any], current: Any, result: ImportResult) -> None:
        raise NotImplementedError

    def run(self, content: bytes) -> ImportResult:
        rows = read_rows(content=content, columns=self.columns, required=self.required)
        existing = self.existing()
        seen: dict[str, int] = {}
        messages: list[str] = []
        result = ImportResult()
        for row in rows:
            errors = Errors()
            key = text(row.values.get(self.key))
            current = existing.get(key.lower())
            data = self.parse(row.values, errors, current)
            if key.lower() in seen:
                errors.add(self.key, self.duplicate(key, seen[key.lower()]))
            elif key:
                seen[key.lower()] = row.number
            self.check(data, errors)
            if errors.errors:
                messages.extend(_row_errors(row, ValidationError(errors.errors), self.labels))
                continue
            try:
                with transaction.atomic():
                    self.save(data, current, result)
            except ValidationError as exc:
                messages.extend(_row_errors(row, exc, self.labels))
        if messages:
            head = _(
                "Niets ingelezen: het bestand bevat %(count)s fout(en). Verbeter ze en lees het bestand "
                "opnieuw in."
            ) % {"count": len(messages)}
            raise ValidationError([head, *messages])
        return result


class ActivitySheet(CatalogueSheet):
    columns = ACTIVITY_COLUMNS
    required = ACTIVITY_REQUIRED
    key = "code"

    def __init__(self, *, organisation: Organisation, today: datetime.date) -> None:
        from costing.models import StaffLevel

        super().__init__(organisation=organisation, today=today)
        self.levels = {}
        for level in StaffLevel.objects.for_organisation(organisation):
            self.levels[level.code.lower()] = level
            self.levels[level.name.lower()] = level

    def existing(self) -> dict[str, Any]:
        return {a.code.lower(): a for a in Activity.objects.for_organisation(self.organisation)}

    def duplicate(self, key: str, other: int) -> str:
        return _("De code %(code)s staat ook op regel %(other)s; elke code mag één keer voorkomen.") % {
            "code": key,
            "other": other,
        }

    def parse(self, values: dict[str, Any], errors: Errors, current: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": text(values.get("code")),
            "name": text(values.get("name")),
            "description": text(values.get("description")),
            "category": _cell(
                errors, "category", parse_choice(values.get("category"), ActivityCategory.choices)
            ),
            "default_minutes": _cell(errors, "default_minutes", parse_int(values.get("default_minutes"))),
            "wlz_eligible": _cell(errors, "wlz_eligible", parse_bool(values.get("wlz_eligible", "ja"))),
            "is_group": _cell(errors, "is_group", parse_bool(values.get("is_group"))),
            "group_size": _cell(errors, "group_size", parse_int(values.get("group_size"))),
            "active_from": _cell(errors, "active_from", parse_date(values.get("active_from"))),
            "active_until": _cell(errors, "active_until", parse_date(values.get("active_until"))),
        }
        if text(values.get("wlz_eligible")) == "":
            data["wlz_eligible"] = True  # Wlz care unless the sheet says otherwise
        level_text = text(values.get("default_level")).lower()
        data["default_level"] = self.levels.get(level_text)
        if level_text and data["default_level"] is None:
            errors.add(
                "default_level",
                _(
                    "Het niveau '%(level)s' bestaat niet in uw organisatie; gebruik de code van een functieniveau."
                )
                % {"level": text(values.get("default_level"))},
            )
        if data["active_from"] is None:
            data["active_from"] = current.active_from if current else self.today
        return data

    def save(self, data: dict[str, Any], current: Any, result: ImportResult) -> None:
        if current is None:
            activity_create(organisation=self.organisation, today=self.today, **data)
            result.created += 1
        elif any(getattr(current, field) != value for field, value in data.items()):
            activity_update(activity=current, today=self.today, **data)
            result.updated += 1
        else:
            result.unchanged += 1


PRICE_FIELDS = ("price_incl_vat", "vat_rate", "price_from")


class AddOnSheet(CatalogueSheet):
    """A different price becomes a new price from 'prijs geldig vanaf' (default today), never
    an edit of the past."""

    columns = ADDON_COLUMNS
    required = ADDON_REQUIRED
    key = "name"

    def __init__(self, *, organisation: Organisation, today: datetime.date) -> None:
        super().__init__(organisation=organisation, today=today)
        self.labels["valid_from"] = self.labels["price_from"]

    def existing(self) -> dict[str, Any]:
        return {item.name.lower(): item for item in AddOnItem.objects.for_organisation(self.organisation)}

    def duplicate(self, key: str, other: int) -> str:
        return _("De naam %(name)s staat ook op regel %(other)s; elk artikel mag één keer voorkomen.") % {
            "name": key,
            "other": other,
        }

    def parse(self, values: dict[str, Any], errors: Errors, current: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": text(values.get("name")),
            "description": text(values.get("description")),
            "category": _cell(
                errors, "category", parse_choice(values.get("category"), AddOnCategory.choices)
            ),
            "unit": _cell(errors, "unit", parse_choice(values.get("unit"), AddOnUnit.choices)),
            "active_from": _cell(errors, "active_from", parse_date(values.get("active_from"))),
            "active_until": _cell(errors, "active_until", parse_date(values.get("active_until"))),
            "price_incl_vat": _cell(errors, "price_incl_vat", parse_decimal(values.get("price_incl_vat"))),
            "vat_rate": _cell(errors, "vat_rate", parse_decimal(values.get("vat_rate"))),
            "price_from": _cell(errors, "price_from", parse_date(values.get("price_from"))),
        }
        if data["active_from"] is None:
            data["active_from"] = current.active_from if current else (data["price_from"] or self.today)
        return data

    def check(self, data: dict[str, Any], errors: Errors) -> None:
        if "price_incl_vat" not in errors and "vat_rate" not in errors:
            _price, data["vat_rate"] = check_price(errors, data["price_incl_vat"], data["vat_rate"])

    def save(self, data: dict[str, Any], current: Any, result: ImportResult) -> None:
        from .selectors import addon_price

        price, vat_rate, price_from = (data.pop(field) for field in PRICE_FIELDS)
        if current is None:
            addon_item_create(
                organisation=self.organisation,
                price_incl_vat=price,
                vat_rate=vat_rate,
                price_from=price_from,
                **data,
            )
            result.created += 1
            return
        changed = any(getattr(current, field) != value for field, value in data.items())
        if changed:
            addon_item_update(item=current, **data)
        in_force = addon_price(item=current, on_date=price_from or self.today)
        if in_force is None or (in_force.price_incl_vat, in_force.vat_rate) != (price, vat_rate):
            addon_price_set(
                item=current,
                valid_from=price_from or self.today,
                price_incl_vat=price,
                vat_rate=vat_rate,
                today=self.today,
            )
            result.prices += 1
            changed = True
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1


@transaction.atomic
def activities_import(
    *, organisation: Organisation, content: bytes, today: datetime.date | None = None
) -> ImportResult:
    """Reads activities from an XLSX file (the layout of the export). A code that exists is
    updated, a new code is added. One wrong row and nothing is saved."""
    return ActivitySheet(organisation=organisation, today=today or timezone.localdate()).run(content)


@transaction.atomic
def addons_import(
    *, organisation: Organisation, content: bytes, today: datetime.date | None = None
) -> ImportResult:
    """Reads add-on items from an XLSX file (the layout of the export). A name that exists is
    updated; a different price becomes a new price from 'prijs geldig vanaf' (default today),
    never an edit of the past. One wrong row and nothing is saved."""
    return AddOnSheet(organisation=organisation, today=today or timezone.localdate()).run(content)
