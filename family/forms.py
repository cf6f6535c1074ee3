"""Forms of the family's view."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ContactPerson
from ipvb.forms import limit_text_fields

from .models import FamilyAccess
from .services import INVITABLE_ROLES, MAX_WISH


class InviteForm(forms.Form):
    contact_person = forms.ModelChoiceField(
        label=_("Contactpersoon"),
        queryset=ContactPerson.objects.none(),
        empty_label=None,
        help_text=_("De wettelijk vertegenwoordiger of de eerste contactpersoon."),
    )
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    consent_by = forms.ChoiceField(
        label=_("Toestemming gegeven door"), choices=FamilyAccess.Consent.choices, widget=forms.RadioSelect
    )
    consent_note = forms.CharField(
        label=_("Toelichting bij de toestemming"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: besproken in het gesprek van vandaag."),
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "De cliënt of de vertegenwoordiger heeft toestemming gegeven om deze contactpersoon het budget en het zorgpakket te laten inzien."
        ),
        error_messages={"required": _("Leg de toestemming vast voordat u uitnodigt.")},
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["contact_person"])
        field.queryset = ContactPerson.objects.for_organisation(client.organisation_id).filter(
            client=client, role__in=list(INVITABLE_ROLES)
        )
        self.fields["contact_person"].error_messages["invalid_choice"] = _(
            "Kies een contactpersoon van deze cliënt."
        )
        limit_text_fields(self)


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )
    password2 = forms.CharField(
        label=_("Wachtwoord (nogmaals)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            from ipvb.models import User

            try:
                validate_password(first, user=User(email=self.email))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    agree = forms.BooleanField(label=_("Ik heb deze versie gelezen en ga ermee akkoord."), required=False)
    signed_name = forms.CharField(label=_("Uw volledige naam"), max_length=200, required=False)


class WishForm(forms.Form):
    text = forms.CharField(
        label=_("Uw wens voor het volgende gesprek"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_WISH,
        error_messages={"required": _("Schrijf uw wens op.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text_fields(self)
