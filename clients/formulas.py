"""Pure functions of the clients domain (no Django)."""

from __future__ import annotations

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


def add_months(start, months: int):  # type: ignore[no-untyped-def]
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
