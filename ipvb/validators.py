"""Validators for Dutch healthcare identifiers (domain page section 3) and the plausible
ranges of dates and years (one place; attached to the model fields, so forms and serializers
get them too)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

agb_code_validator = RegexValidator(
    r"^\d{8}$", _("Een AGB-code bestaat uit precies 8 cijfers."), code="invalid_agb"
)


def validate_zorgkantoor_code(value: str) -> None:
    if not (isinstance(value, str) and len(value) == 4 and value.isdigit()):
        raise ValidationError(
            _("Een zorgkantoorcode bestaat uit precies 4 cijfers."), code="invalid_zorgkantoor"
        )
    if not 5501 <= int(value) <= 5533:
        raise ValidationError(
            _("Zorgkantoorcode %(value)s bestaat niet: geldige codes lopen van 5501 tot en met 5533."),
            code="invalid_zorgkantoor",
            params={"value": value},
        )


# Plausible ranges, in one place. Care records (birth dates included) lie between 1900 and
# 2100; anything outside is a typing error, and far-off dates overflow date arithmetic.
CARE_DATE_MIN = datetime.date(1900, 1, 1)
CARE_DATE_MAX = datetime.date(2100, 12, 31)
YEAR_MIN = CARE_DATE_MIN.year
YEAR_MAX = CARE_DATE_MAX.year


def validate_care_date(value: datetime.date | datetime.datetime | None) -> None:
    """A date (or the date of a datetime) between 1900-01-01 and 2100-12-31."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not CARE_DATE_MIN <= day <= CARE_DATE_MAX:
        raise ValidationError(
            _("Kies een datum tussen %(min)s en %(max)s."),
            code="date_out_of_range",
            params={"min": CARE_DATE_MIN.strftime("%d-%m-%Y"), "max": CARE_DATE_MAX.strftime("%d-%m-%Y")},
        )


def validate_year(value: int | None) -> None:
    """A year between 1900 and 2100."""
    if value is None:
        return
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            _("Kies een jaar tussen %(min)s en %(max)s."),
            code="year_out_of_range",
            params={"min": YEAR_MIN, "max": YEAR_MAX},
        )


def year_in_range(value: int) -> bool:
    return YEAR_MIN <= value <= YEAR_MAX


class YearConverter:
    """``<year:year>`` in a URL: four digits within the plausible range; anything else does not
    match, so the page answers 404 (never a server error on year 0 or 2147483647)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not year_in_range(year):
            raise ValueError(value)
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


def validate_postal_code(value: str) -> None:
    """A Dutch postcode: four digits (not starting with 0), then two letters ("1234 AB")."""
    if value and not re.fullmatch(r"[1-9]\d{3} ?[A-Za-z]{2}", value):
        raise ValidationError(
            _("Een postcode bestaat uit 4 cijfers en 2 letters, bijvoorbeeld 1234 AB."),
            code="invalid_postal_code",
        )
