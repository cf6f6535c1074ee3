"""One way to show money, hours and percentages, in the active language: pages, messages,
PDFs and spreadsheets all use these.

    Dutch:   € 1.070,96   18,2 uur   97,50 %
    English: €1,070.96    18.2 hours 97.50%

Amounts are rounded half-up to cents for display only; the stored Decimals are untouched."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, gettext

DASH = "–"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def _grouped(number: Decimal, places: int) -> str:
    """``number_format(number, places, force_grouping=True)`` for the active language, without
    Django's general path (a staffing table formats about 1,500 figures: the formatting was a
    sixth of the team leader's page): Python's own grouping by thousands, with the language's
    separators. Languages that group otherwise take Django's path. ``number`` is already
    rounded to ``places`` (half-up), so the format only writes it out."""
    if get_format("NUMBER_GROUPING") != 3:
        return number_format(number, places, force_grouping=True)
    text = f"{number if number else abs(number):,.{places}f}"  # a zero has no sign, as in Django
    decimal_separator, thousand_separator = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    if (decimal_separator, thousand_separator) == (".", ","):
        return text
    return text.replace(",", "\0").replace(".", decimal_separator).replace("\0", thousand_separator)


def money(value: Any, places: int = 2) -> str:
    """ "€ 1.070,96" (nl) or "€1,070.96" (en); a dash without an amount."""
    number = _decimal(value)
    if number is None:
        return DASH
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = _grouped(abs(number), places)
    sign = "−" if number < 0 else ""
    return f"{sign}€{text}" if _english() else f"{sign}€ {text}"


def number(value: Any, places: int = 2) -> str:
    number_ = _decimal(value)
    if number_ is None:
        return DASH
    number_ = number_.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _grouped(number_, places)


def percent(value: Any, places: int = 2) -> str:
    """ "97,50 %" (nl) or "97.50%" (en)."""
    text = number(value, places)
    if text == DASH:
        return text
    return f"{text}%" if _english() else f"{text} %"


def hours(value: Any, places: int = 1) -> str:
    """ "18,2 uur" (nl) or "18.2 hours" (en)."""
    number_ = _decimal(value)
    if number_ is None:
        return DASH
    # With a decimal place English says "1.0 hours" too, so one form serves every amount.
    return gettext("%(hours)s uur") % {"hours": number(number_, places)}
