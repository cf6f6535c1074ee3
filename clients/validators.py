"""Field validators of the clients app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .formulas import bsn_is_valid, normalise_bsn


def validate_bsn(value: str) -> None:
    text = normalise_bsn(value)
    if len(text) != 9 or not text.isdigit():
        raise ValidationError(
            _("Een BSN bestaat uit 9 cijfers (of 8 cijfers, dan komt er een 0 voor)."),
            code="bsn_format",
        )
    if not bsn_is_valid(text):
        raise ValidationError(
            _("Dit BSN klopt niet: het voldoet niet aan de elfproef. Controleer het nummer."),
            code="bsn_checksum",
        )
