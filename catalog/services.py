"""Writes of the catalogues. Every function owns its transaction, checks its input and raises
``ValidationError`` with Dutch messages (keyed by field) when something is wrong; then nothing
is saved."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from costing.selectors import rate_card
from ipvb.formatting import money

from .formulas import VAT_RATES
from .models import Activity, ActivityCategory, AddOnCategory, AddOnItem, AddOnPrice, AddOnUnit
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

ACTIVITY_FIELDS = (
    "code",
    "name",
    "description",
    "category",
    "default_minutes",
    "default_level",
    "wlz_eligible",
    "is_group",
    "group_size",
    "active_from",
    "active_until",
)
ADDON_FIELDS = ("name", "description", "category", "unit", "active_from", "active_until")


def _date_text(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


class Errors:
    """Collects messages per field; ``raise_if_any`` raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def merge(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for message in errors:
                    if message not in self.errors.get(field, []):
                        self.add(field, message)
        else:
            for message in exc.messages:
                self.add("__all__", message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# Activities --------------------------------------------------------------------------------


def _level_check_date(active_from: datetime.date | None, today: datetime.date) -> datetime.date:
    """The model that must know the level: the one in force when the activity starts, or today
    for an activity that has already started."""
    if active_from is None:
        return today
    return max(active_from, today)


def _check_activity(
    *, organisation: Any, data: dict[str, Any], instance: Activity | None, today: datetime.date
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
                % {"date": _date_text(check_date), "model": card.model, "level": level},
            )
    return errors


def _validate_and_save_activity(activity: Activity, errors: Errors) -> Activity:
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
    organisation: Any,
    code: str,
    name: str,
    category: str,
    default_minutes: int,
    default_level: Any,
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
    data = {
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
    return _validate_and_save_activity(activity, errors)


@transaction.atomic
def activity_update(*, activity: Activity, today: datetime.date | None = None, **changes: Any) -> Activity:
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
    return _validate_and_save_activity(activity, errors)


def _set_period(obj: Any, *, active: bool, on_date: datetime.date) -> None:
    if active:
        if obj.is_active_on(on_date):
            return
        if obj.active_until is not None and obj.active_until <= on_date:
            # Ended before: a new period starts today (the past stays as it was).
            obj.active_from = on_date
        obj.active_until = None
    else:
        if obj.active_until is not None and obj.active_until <= on_date:
            return
        obj.active_until = max(on_date, obj.active_from)


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
    _set_period(activity, active=active, on_date=on_date)
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


# Add-on catalogue --------------------------------------------------------------------------


def _check_price(errors: Errors, price_incl_vat: Any, vat_rate: Any) -> tuple[Decimal | None, int | None]:
    price: Decimal | None = None
    if price_incl_vat is None or price_incl_vat == "":
        errors.add("price_incl_vat", _("Vul de prijs per eenheid (inclusief btw) in."))
    else:
        try:
            price = Decimal(str(price_incl_vat))
        except (InvalidOperation, ValueError):
            errors.add("price_incl_vat", _("De prijs is geen bedrag."))
        else:
            if not price.is_finite():
                errors.add("price_incl_vat", _("De prijs is geen bedrag."))
                price = None
            elif price < 0:
                errors.add("price_incl_vat", _("Een prijs kan niet negatief zijn."))
            elif price != price.quantize(Decimal("0.01")):
                errors.add("price_incl_vat", _("Een prijs heeft hooguit twee cijfers achter de komma."))
            elif price >= Decimal("10000000000"):
                errors.add("price_incl_vat", _("De prijs is te hoog."))
    rate: int | None = None
    try:
        rate = int(vat_rate) if vat_rate not in (None, "") else None
        if rate is not None and Decimal(str(vat_rate)) != rate:
            rate = -1
    except (TypeError, ValueError, InvalidOperation):
        rate = -1
    if rate is None:
        errors.add("vat_rate", _("Kies het btw-tarief: 0, 9 of 21 %."))
    elif rate not in VAT_RATES:
        errors.add(
            "vat_rate",
            _("%(rate)s %% is geen Nederlands btw-tarief. Kies 0, 9 of 21 %%.") % {"rate": vat_rate},
        )
        rate = None
    return price, rate


def _check_addon_item(*, organisation: Any, data: dict[str, Any], instance: AddOnItem | None) -> Errors:
    errors = Errors()
    data["name"] = (data.get("name") or "").strip()
    data["description"] = (data.get("description") or "").strip()
    if not data["name"]:
        errors.add("name", _("Vul een naam in."))
    else:
        clash = AddOnItem.objects.for_organisation(organisation).filter(name__iexact=data["name"])
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.add(
                "name",
                _("Er is al een bijkoopartikel met de naam %(name)s. Kies een andere naam.")
                % {"name": data["name"]},
            )
    if data.get("category") not in AddOnCategory.values:
        errors.add("category", _("Kies een categorie uit de lijst."))
    if data.get("unit") not in AddOnUnit.values:
        errors.add("unit", _("Kies een eenheid: per keer, per week, per maand of per uur."))
    active_from = data.get("active_from")
    active_until = data.get("active_until")
    if active_from is None:
        errors.add("active_from", _("Vul de datum in vanaf wanneer het artikel actief is."))
    elif active_until is not None and active_until < active_from:
        errors.add("active_until", _("De datum 'actief tot' ligt vóór 'actief vanaf'."))
    return errors


def _overlapping(item: AddOnItem, valid_from: datetime.date, valid_until: datetime.date | None) -> Any:
    queryset = AddOnPrice.objects.for_organisation(item.organisation_id).filter(item=item)
    queryset = queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=valid_from))
    if valid_until is not None:
        queryset = queryset.filter(valid_from__lt=valid_until)
    return queryset.order_by("valid_from")


def _period_text(price: AddOnPrice) -> str:
    if price.valid_until is None:
        return _("vanaf %(from)s") % {"from": _date_text(price.valid_from)}
    return _("van %(from)s tot %(until)s") % {
        "from": _date_text(price.valid_from),
        "until": _date_text(price.valid_until),
    }


def _plan_price(
    *,
    item: AddOnItem,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    today: datetime.date,
    errors: Errors,
) -> AddOnPrice | None:
    """Checks a new price period; returns the open price it closes (if any)."""
    if valid_from is None:
        errors.add("valid_from", _("Vul de datum in vanaf wanneer de prijs geldt."))
        return None
    if valid_until is not None and valid_until <= valid_from:
        errors.add("valid_until", _("De einddatum van een prijs ligt na de ingangsdatum."))
        return None
    if item.pk is None:
        return None
    overlapping = list(_overlapping(item, valid_from, valid_until))
    to_close = None
    if (
        len(overlapping) == 1
        and valid_until is None
        and overlapping[0].valid_until is None
        and overlapping[0].valid_from < valid_from
    ):
        to_close = overlapping[0]
    elif overlapping:
        errors.add(
            "valid_from",
            _(
                "Deze periode overlapt met de prijs %(period)s (%(price)s). Prijsperioden van één artikel "
                "mogen elkaar niet overlappen."
            )
            % {"period": _period_text(overlapping[0]), "price": money(overlapping[0].price_incl_vat)},
        )
        return None
    has_prices = AddOnPrice.objects.for_organisation(item.organisation_id).filter(item=item).exists()
    if has_prices and valid_from < today:
        errors.add(
            "valid_from",
            _(
                "Een prijswijziging gaat in op vandaag of later: prijzen uit het verleden blijven zoals ze "
                "waren. Kies een ingangsdatum vanaf %(today)s."
            )
            % {"today": _date_text(today)},
        )
    return to_close


def _save_price(
    *,
    item: AddOnItem,
    to_close: AddOnPrice | None,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
    price: Decimal,
    vat_rate: int,
) -> AddOnPrice:
    if to_close is not None:
        to_close.valid_until = valid_from
        to_close.save(update_fields=["valid_until"])
    new = AddOnPrice(
        organisation_id=item.organisation_id,
        item=item,
        valid_from=valid_from,
        valid_until=valid_until,
        price_incl_vat=price,
        vat_rate=vat_rate,
    )
    new.full_clean(validate_constraints=False, validate_unique=False)
    new.save()
    return new


@transaction.atomic
def addon_item_create(
    *,
    organisation: Any,
    name: str,
    category: str,
    unit: str,
    active_from: datetime.date,
    price_incl_vat: Decimal,
    vat_rate: int,
    description: str = "",
    active_until: datetime.date | None = None,
    price_from: datetime.date | None = None,
) -> AddOnItem:
    """Adds an item with its first price (from ``price_from``, default ``active_from``)."""
    data = {
        "name": name,
        "description": description,
        "category": category,
        "unit": unit,
        "active_from": active_from,
        "active_until": active_until,
    }
    errors = _check_addon_item(organisation=organisation, data=data, instance=None)
    price, rate = _check_price(errors, price_incl_vat, vat_rate)
    item = AddOnItem(organisation=organisation, **data)
    try:
        item.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()
    item.save()
    assert price is not None and rate is not None
    _save_price(
        item=item,
        to_close=None,
        valid_from=price_from or active_from,
        valid_until=None,
        price=price,
        vat_rate=rate,
    )
    return item


@transaction.atomic
def addon_item_update(*, item: AddOnItem, **changes: Any) -> AddOnItem:
    """Changes the description fields of an item (any of ``ADDON_FIELDS``). A price is never
    changed here: use ``addon_price_set``."""
    unknown = set(changes) - set(ADDON_FIELDS)
    if unknown:
        raise TypeError(f"addon_item_update() got unknown fields: {sorted(unknown)}")
    item = AddOnItem.objects.for_organisation(item.organisation_id).select_for_update().get(pk=item.pk)
    data = {field: getattr(item, field) for field in ADDON_FIELDS}
    data.update(changes)
    errors = _check_addon_item(organisation=item.organisation, data=data, instance=item)
    for field, value in data.items():
        setattr(item, field, value)
    try:
        item.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()
    item.save()
    return item


@transaction.atomic
def addon_price_set(
    *,
    item: AddOnItem,
    valid_from: datetime.date,
    price_incl_vat: Decimal,
    vat_rate: int,
    valid_until: datetime.date | None = None,
    today: datetime.date | None = None,
) -> AddOnPrice:
    """A new price from ``valid_from``: never an edit of the past. An open-ended price that
    started earlier ends on ``valid_from``; any other overlap is refused."""
    today = today or timezone.localdate()
    item = AddOnItem.objects.for_organisation(item.organisation_id).select_for_update().get(pk=item.pk)
    errors = Errors()
    price, rate = _check_price(errors, price_incl_vat, vat_rate)
    to_close = _plan_price(
        item=item, valid_from=valid_from, valid_until=valid_until, today=today, errors=errors
    )
    errors.raise_if_any()
    assert price is not None and rate is not None
    return _save_price(
        item=item,
        to_close=to_close,
        valid_from=valid_from,
        valid_until=valid_until,
        price=price,
        vat_rate=rate,
    )


@transaction.atomic
def addon_item_set_active(
    *, item: AddOnItem, active: bool, on_date: datetime.date | None = None
) -> AddOnItem:
    """Activates (from ``on_date``, default today) or deactivates (no longer active from
    ``on_date``) an add-on item. Its prices stay as they are."""
    on_date = on_date or timezone.localdate()
    item = AddOnItem.objects.for_organisation(item.organisation_id).select_for_update().get(pk=item.pk)
    _set_period(item, active=active, on_date=on_date)
    item.save(update_fields=["active_from", "active_until", "updated_at"])
    return item


# Imports (XLSX): all rows valid or nothing saved -------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    prices: int = 0  # new add-on prices

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


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


def _cell_error(errors: Errors, field: str, parsed: tuple[Any, str | None]) -> Any:
    value, message = parsed
    if message:
        errors.add(field, message)
    return value


def _raise_import_errors(messages: list[str]) -> None:
    if messages:
        head = _(
            "Niets ingelezen: het bestand bevat %(count)s fout(en). Verbeter ze en lees het bestand opnieuw in."
        ) % {"count": len(messages)}
        raise ValidationError([head, *messages])


@transaction.atomic
def activities_import(
    *, organisation: Any, content: bytes, today: datetime.date | None = None
) -> ImportResult:
    """Reads activities from an XLSX file (the layout of the export). A code that exists is
    updated, a new code is added. One wrong row and nothing is saved."""
    from costing.models import StaffLevel

    today = today or timezone.localdate()
    rows = read_rows(content=content, columns=ACTIVITY_COLUMNS, required=ACTIVITY_REQUIRED)
    labels = {field: label for label, field in ACTIVITY_COLUMNS}
    levels = {}
    for level in StaffLevel.objects.for_organisation(organisation):
        levels[level.code.lower()] = level
        levels[level.name.lower()] = level
    existing = {a.code.lower(): a for a in Activity.objects.for_organisation(organisation)}
    seen: dict[str, int] = {}
    messages: list[str] = []
    result = ImportResult()
    for row in rows:
        errors = Errors()
        values = row.values
        code = text(values.get("code"))
        data: dict[str, Any] = {
            "code": code,
            "name": text(values.get("name")),
            "description": text(values.get("description")),
            "category": _cell_error(
                errors, "category", parse_choice(values.get("category"), ActivityCategory.choices)
            ),
            "default_minutes": _cell_error(
                errors, "default_minutes", parse_int(values.get("default_minutes"))
            ),
            "wlz_eligible": _cell_error(errors, "wlz_eligible", parse_bool(values.get("wlz_eligible", "ja"))),
            "is_group": _cell_error(errors, "is_group", parse_bool(values.get("is_group"))),
            "group_size": _cell_error(errors, "group_size", parse_int(values.get("group_size"))),
            "active_from": _cell_error(errors, "active_from", parse_date(values.get("active_from"))),
            "active_until": _cell_error(errors, "active_until", parse_date(values.get("active_until"))),
        }
        if text(values.get("wlz_eligible")) == "":
            data["wlz_eligible"] = True  # Wlz care unless the sheet says otherwise
        level_text = text(values.get("default_level")).lower()
        data["default_level"] = levels.get(level_text)
        if level_text and data["default_level"] is None:
            errors.add(
                "default_level",
                _(
                    "Het niveau '%(level)s' bestaat niet in uw organisatie; gebruik de code van een functieniveau."
                )
                % {"level": text(values.get("default_level"))},
            )
        if code.lower() in seen:
            errors.add(
                "code",
                _("De code %(code)s staat ook op regel %(other)s; elke code mag één keer voorkomen.")
                % {"code": code, "other": seen[code.lower()]},
            )
        elif code:
            seen[code.lower()] = row.number
        current = existing.get(code.lower())
        if data["active_from"] is None:
            data["active_from"] = current.active_from if current else today
        if errors.errors:
            messages.extend(_row_errors(row, ValidationError(errors.errors), labels))
            continue
        try:
            with transaction.atomic():
                if current is None:
                    activity_create(organisation=organisation, today=today, **data)
                    result.created += 1
                elif any(getattr(current, field) != value for field, value in data.items()):
                    activity_update(activity=current, today=today, **data)
                    result.updated += 1
                else:
                    result.unchanged += 1
        except ValidationError as exc:
            messages.extend(_row_errors(row, exc, labels))
    _raise_import_errors(messages)
    return result


@transaction.atomic
def addons_import(*, organisation: Any, content: bytes, today: datetime.date | None = None) -> ImportResult:
    """Reads add-on items from an XLSX file (the layout of the export). A name that exists is
    updated; a different price becomes a new price from 'prijs geldig vanaf' (default today),
    never an edit of the past. One wrong row and nothing is saved."""
    from .selectors import addon_price

    today = today or timezone.localdate()
    rows = read_rows(content=content, columns=ADDON_COLUMNS, required=ADDON_REQUIRED)
    labels = {field: label for label, field in ADDON_COLUMNS}
    labels["valid_from"] = labels["price_from"]
    existing = {item.name.lower(): item for item in AddOnItem.objects.for_organisation(organisation)}
    seen: dict[str, int] = {}
    messages: list[str] = []
    result = ImportResult()
    for row in rows:
        errors = Errors()
        values = row.values
        name = text(values.get("name"))
        data: dict[str, Any] = {
            "name": name,
            "description": text(values.get("description")),
            "category": _cell_error(
                errors, "category", parse_choice(values.get("category"), AddOnCategory.choices)
            ),
            "unit": _cell_error(errors, "unit", parse_choice(values.get("unit"), AddOnUnit.choices)),
            "active_from": _cell_error(errors, "active_from", parse_date(values.get("active_from"))),
            "active_until": _cell_error(errors, "active_until", parse_date(values.get("active_until"))),
        }
        price = _cell_error(errors, "price_incl_vat", parse_decimal(values.get("price_incl_vat")))
        vat_rate = _cell_error(errors, "vat_rate", parse_decimal(values.get("vat_rate")))
        price_from = _cell_error(errors, "price_from", parse_date(values.get("price_from")))
        if name.lower() in seen:
            errors.add(
                "name",
                _("De naam %(name)s staat ook op regel %(other)s; elk artikel mag één keer voorkomen.")
                % {"name": name, "other": seen[name.lower()]},
            )
        elif name:
            seen[name.lower()] = row.number
        current = existing.get(name.lower())
        if data["active_from"] is None:
            data["active_from"] = current.active_from if current else (price_from or today)
        if "price_incl_vat" not in errors and "vat_rate" not in errors:
            _check_price(errors, price, vat_rate)
        if errors.errors:
            messages.extend(_row_errors(row, ValidationError(errors.errors), labels))
            continue
        try:
            with transaction.atomic():
                if current is None:
                    addon_item_create(
                        organisation=organisation,
                        price_incl_vat=price,
                        vat_rate=int(vat_rate),
                        price_from=price_from,
                        **data,
                    )
                    result.created += 1
                    continue
                changed = any(getattr(current, field) != value for field, value in data.items())
                if changed:
                    addon_item_update(item=current, **data)
                in_force = addon_price(item=current, on_date=price_from or today)
                if in_force is None or (in_force.price_incl_vat, in_force.vat_rate) != (price, int(vat_rate)):
                    addon_price_set(
                        item=current,
                        valid_from=price_from or today,
                        price_incl_vat=price,
                        vat_rate=int(vat_rate),
                        today=today,
                    )
                    result.prices += 1
                    changed = True
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
        except ValidationError as exc:
            messages.extend(_row_errors(row, exc, labels))
    _raise_import_errors(messages)
    return result
