"""Catalogue arithmetic: pure Python, Decimal in and out, no Django.

The price of an activity is the cost of the staff time it takes at the published integral
hourly rate K of its staff level (domain page, sections 4 and 6):

    price per occurrence      = round2(K × minutes / 60)
    price per week at n times = round2(K × minutes × n / 60)

For a group activity the staff cost is divided over the participants; the division happens
before the single half-up rounding at the end (never round twice):

    price per participant     = round2(K × minutes × n / (60 × group size))
"""

from __future__ import annotations

from decimal import Decimal

from costing.formulas import round2

VAT_RATES = (0, 9, 21)


def activity_cost(rate: Decimal, minutes: int, occurrences: int = 1, group_size: int = 1) -> Decimal:
    """Cost of ``occurrences`` times ``minutes`` at hourly rate ``rate`` for one participant."""
    if minutes < 0 or occurrences < 0:
        raise ValueError("minutes and occurrences cannot be negative")
    if group_size < 1:
        raise ValueError("group_size must be at least 1")
    return round2(Decimal(rate) * Decimal(minutes) * Decimal(occurrences) / Decimal(60 * group_size))


def excl_vat(price_incl_vat: Decimal, vat_rate: int) -> Decimal:
    """The price without VAT of a price that includes ``vat_rate`` percent, to cents."""
    if vat_rate not in VAT_RATES:
        raise ValueError(f"not a Dutch VAT rate: {vat_rate}")
    return round2(Decimal(price_incl_vat) * 100 / (100 + vat_rate))


__all__ = ["VAT_RATES", "activity_cost", "excl_vat", "round2"]
