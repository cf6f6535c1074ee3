"""Writes of the add-on catalogue (bijkoop): items and their effective-dated prices. Every
function owns its transaction, checks its input and raises ``ValidationError`` with Dutch
messages (keyed by field) when something is wrong; then nothing is saved. A price change is a
new price from a date, never an edit of the past."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.formatting import money

from .errors import Errors, date_text, set_period
from .formulas import VAT_RATES
from .models import ADDON_FIELDS, AddOnCategory, AddOnItem, AddOnPrice, AddOnUnit

if TYPE_CHECKING:
    from ipvb.models import Organisation


class AddOnChanges(TypedDict, total=False):
    """The fields ``addon_item_update`` may change (``ADDON_FIELDS``)."""

    name: str
    description: str
    category: str
    unit: str
    active_from: datetime.date
    active_until: datetime.date | None


def check_price(
    errors: Errors, price_incl_vat: Decimal | None, vat_rate: int | Decimal | None
) -> tuple[Decimal | None, int | None]:
    """The price and VAT rate when both are right, else the messages in ``errors``."""
    price: Decimal | None = None
    if price_incl_vat is None:
        errors.add("price_incl_vat", _("Vul de prijs per eenheid (inclusief btw) in."))
    elif not price_incl_vat.is_finite():
        errors.add("price_incl_vat", _("De prijs is geen bedrag."))
    elif price_incl_vat < 0:
        errors.add("price_incl_vat", _("Een prijs kan niet negatief zijn."))
    elif price_incl_vat != price_incl_vat.quantize(Decimal("0.01")):
        errors.add("price_incl_vat", _("Een prijs heeft hooguit twee cijfers achter de komma."))
    elif price_incl_vat >= Decimal("10000000000"):
        errors.add("price_incl_vat", _("De prijs is te hoog."))
    else:
        price = price_incl_vat
    if vat_rate is None:
        errors.add("vat_rate", _("Kies het btw-tarief: 0, 9 of 21 %."))
        return price, None
    try:
        rate: int | None = int(vat_rate)
    except (TypeError, ValueError, ArithmeticError):  # not a whole number at all
        rate = None
    if rate is None or rate != vat_rate or rate not in VAT_RATES:
        errors.add(
            "vat_rate",
            _("%(rate)s %% is geen Nederlands btw-tarief. Kies 0, 9 of 21 %%.") % {"rate": vat_rate},
        )
        return price, None
    return price, rate


def _check_item(*, organisation: Organisation, data: dict[str, Any], instance: AddOnItem | None) -> Errors:
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


def _validate_and_save(item: AddOnItem, errors: Errors) -> AddOnItem:
    try:
        item.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge(exc)
    errors.raise_if_any()
    item.save()
    return item


def _overlapping(
    item: AddOnItem, valid_from: datetime.date, valid_until: datetime.date | None
) -> QuerySet[AddOnPrice]:
    queryset = AddOnPrice.objects.for_organisation(item.organisation_id).filter(item=item)
    queryset = queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=valid_from))
    if valid_until is not None:
        queryset = queryset.filter(valid_from__lt=valid_until)
    return queryset.order_by("valid_from")


def _period_text(price: AddOnPrice) -> str:
    if price.valid_until is None:
        return _("vanaf %(from)s") % {"from": date_text(price.valid_from)}
    return _("van %(from)s tot %(until)s") % {
        "from": date_text(price.valid_from),
        "until": date_text(price.valid_until),
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
            % {"today": date_text(today)},
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
    organisation: Organisation,
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
    data: dict[str, Any] = {
        "name": name,
        "description": description,
        "category": category,
        "unit": unit,
        "active_from": active_from,
        "active_until": active_until,
    }
    errors = _check_item(organisation=organisation, data=data, instance=None)
    price, rate = check_price(errors, price_incl_vat, vat_rate)
    item = _validate_and_save(AddOnItem(organisation=organisation, **data), errors)
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
def addon_item_update(*, item: AddOnItem, **changes: Unpack[AddOnChanges]) -> AddOnItem:
    """Changes the description fields of an item (any of ``ADDON_FIELDS``). A price is never
    changed here: use ``addon_price_set``."""
    unknown = set(changes) - set(ADDON_FIELDS)
    if unknown:
        raise TypeError(f"addon_item_update() got unknown fields: {sorted(unknown)}")
    item = AddOnItem.objects.for_organisation(item.organisation_id).select_for_update().get(pk=item.pk)
    data = {field: getattr(item, field) for field in ADDON_FIELDS}
    data.update(changes)
    errors = _check_item(organisation=item.organisation, data=data, instance=item)
    for field, value in data.items():
        setattr(item, field, value)
    return _validate_and_save(item, errors)


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
    price, rate = check_price(errors, price_incl_vat, vat_rate)
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
    set_period(item, active=active, on_date=on_date)
    item.save(update_fields=["active_from", "active_until", "updated_at"])
    return item
