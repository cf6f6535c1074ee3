"""Validators for Dutch healthcare identifiers (domain page section 3)."""

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
