"""The query parameters of costing pages: a year (``?jaar=``) and a date."""

from __future__ import annotations

import datetime

from django.http import HttpRequest

from ipvb.validators import CARE_DATE_MAX, CARE_DATE_MIN


def year_param(request: HttpRequest, default: int) -> int:
    """``?jaar=`` when it is a year between 2000 and 2100, else ``default``."""
    try:
        year = int(request.GET.get("jaar", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def date_param(value: str | None, default: datetime.date) -> datetime.date:
    """An ISO date within the care dates, else ``default``."""
    if not value:
        return default
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        return default
    return parsed if CARE_DATE_MIN <= parsed <= CARE_DATE_MAX else default
