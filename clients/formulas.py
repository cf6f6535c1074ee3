"""Pure functions of the clients domain (no Django)."""

from __future__ import annotations

import datetime

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalise_bsn(value: object) -> str:
    """Digits only; an 8-digit number gets one leading zero (domain page section 3)."""
    text = "".join(str(value or "").split()).replace(".", "").replace("-", "")
    if len(text) == 8 and text.isdigit():
        text = "0" + text
    return text


def bsn_is_valid(value: object) -> bool:
    """The 11-check: weights 9..2,-1 over 9 digits, the sum a positive multiple of 11."""
    text = normalise_bsn(value)
    if len(text) != 9 or not text.isascii() or not text.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(text, BSN_WEIGHTS, strict=True))
    return total > 0 and total % 11 == 0


def mask_bsn(value: str) -> str:
    """Six stars and the last three digits: ``******782``."""
    text = str(value or "")
    if len(text) < 3:
        return "*" * 9
    return "*" * (len(text) - 3) + text[-3:]


def add_months(start: datetime.date, months: int) -> datetime.date:
    """``start`` plus ``months`` calendar months (clamped to the month's last day). Past the
    calendar's ends (year 1 or 9999) the result stays at the first or last representable day
    instead of overflowing; dates that far out are refused by validation before they matter."""
    import calendar

    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    if year > start.max.year:
        return start.max
    if year < start.min.year:
        return start.min
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


# Dutch surnames --------------------------------------------------------------------------
# A surname prefix (tussenvoegsel) is kept apart: "de Boer" sorts under B, "van Leeuwen"
# under L. Only a lower-case prefix is split off ("De Smet", a Flemish name, stays whole).
NAME_PREFIXES = tuple(
    sorted(
        (
            "van der",
            "van den",
            "van de",
            "van het",
            "van 't",
            "van",
            "de",
            "den",
            "der",
            "het",
            "'t",
            "ter",
            "ten",
            "te",
            "in 't",
            "in de",
            "in den",
            "in het",
            "op de",
            "op den",
            "op 't",
            "op het",
            "uit de",
            "uit den",
            "uit het",
            "voor de",
            "aan de",
            "aan den",
            "bij de",
            "onder de",
            "over de",
            "von",
            "von der",
            "zu",
            "le",
            "la",
            "les",
            "du",
            "des",
            "d'",
            "di",
            "da",
            "del",
            "della",
            "dos",
        ),
        key=len,
        reverse=True,
    )
)


def split_surname(family_name: str, name_prefix: str = "") -> tuple[str, str]:
    """(prefix, surname): "de Boer" -> ("de", "Boer"); an explicit prefix is kept as given."""
    family_name = " ".join((family_name or "").split())
    name_prefix = " ".join((name_prefix or "").split())
    if name_prefix:
        return name_prefix, family_name
    for prefix in NAME_PREFIXES:
        if family_name.startswith(prefix + " ") and len(family_name) > len(prefix) + 1:
            return prefix, family_name[len(prefix) + 1 :]
        if prefix.endswith("'") and family_name.startswith(prefix) and len(family_name) > len(prefix):
            return prefix, family_name[len(prefix) :]
    return "", family_name


def display_name(given_name: str, name_prefix: str, family_name: str) -> str:
    """The name the Dutch way: "Johanna de Boer"."""
    return " ".join(part for part in (given_name, name_prefix, family_name) if part)


def sort_name(given_name: str, name_prefix: str, family_name: str) -> str:
    """The name as it appears in an alphabetical list: "Boer, Johanna de"."""
    rest = " ".join(part for part in (given_name, name_prefix) if part)
    return f"{family_name}, {rest}" if rest else family_name
