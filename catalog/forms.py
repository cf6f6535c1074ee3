"""Forms of the catalogue screens. They parse input; the services check and save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from costing.models import StaffLevel
from ipvb.forms import TenantForm, TenantModelForm

from .models import (
    ACTIVITY_FIELDS,
    ADDON_FIELDS,
    Activity,
    ActivityCategory,
    AddOnCategory,
    AddOnItem,
    AddOnUnit,
    VatRate,
)

if TYPE_CHECKING:
    from ipvb.models import Organisation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATUS_CHOICES = [
    ("all", _("Alle")),
    ("active", _("Actief")),
    ("inactive", _("Niet actief")),
]


class ActivityForm(TenantModelForm):
    default_level = forms.ModelChoiceField(
        label=_("Deskundigheidsniveau"),
        queryset=StaffLevel.objects.none(),
        help_text=_("Het gebruikelijke niveau van de medewerker; het uurtarief komt uit het kostprijsmodel."),
        error_messages={"invalid_choice": _("Kies een deskundigheidsniveau van uw organisatie.")},
    )

    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "active_from": DATE_WIDGET,
            "active_until": DATE_WIDGET,
            "default_minutes": forms.NumberInput(attrs={"min": 1, "step": 1}),
            "group_size": forms.NumberInput(attrs={"min": 2, "step": 1}),
        }
        error_messages = {
            "default_minutes": {"min_value": _("Het aantal minuten moet minstens 1 zijn.")},
            "group_size": {"min_value": _("Een groep heeft minstens 2 deelnemers.")},
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        levels = StaffLevel.objects.for_organisation(organisation).order_by("order", "name")
        cast(forms.ModelChoiceField, self.fields["default_level"]).queryset = levels
        if not self.instance.pk:
            self.initial.setdefault("active_from", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_group"):
            data["group_size"] = None  # only a group activity has a group size
        return data


class AddOnItemForm(TenantModelForm):
    class Meta:
        model = AddOnItem
        fields = ADDON_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "active_from": DATE_WIDGET,
            "active_until": DATE_WIDGET,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("active_from", timezone.localdate())


class MoneyField(forms.DecimalField):
    """A Euro amount typed the Dutch way (24,50 or 1.234,50) or with a decimal point."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("€", "").replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


class PriceFieldsMixin(forms.Form):
    price_incl_vat = MoneyField(
        label=_("Prijs per eenheid, inclusief btw (€)"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": _("Vul een bedrag in, bijvoorbeeld 24,50."),
            "max_decimal_places": _("Een prijs heeft hooguit twee cijfers achter de komma."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    vat_rate = forms.TypedChoiceField(
        label=_("Btw-tarief"),
        choices=VatRate.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies een Nederlands btw-tarief: 0, 9 of 21 %%.")},
    )


class AddOnItemCreateForm(PriceFieldsMixin, AddOnItemForm):
    field_order = ["name", "description", "category", "unit", "price_incl_vat", "vat_rate", "active_from"]


class AddOnPriceForm(PriceFieldsMixin, TenantForm):
    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=DATE_WIDGET,
        help_text=_(
            "De nieuwe prijs geldt vanaf deze datum (vandaag of later); de huidige prijs loopt tot dan."
        ),
    )
    valid_until = forms.DateField(
        label=_("Geldig tot (optioneel)"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Alleen voor een tijdelijke prijs: de eerste dag waarop deze prijs niet meer geldt."),
    )
    field_order = ["valid_from", "price_incl_vat", "vat_rate", "valid_until"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.initial.setdefault("valid_from", timezone.localdate())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel-bestand (.xlsx)"),
        help_text=_("Gebruik de indeling van de export. Alles wordt ingelezen, of bij een fout niets."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    category = forms.ChoiceField(label=_("Categorie"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    date = forms.DateField(label=_("Peildatum"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, kind: str = "activity", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = ActivityCategory.choices if kind == "activity" else AddOnCategory.choices
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("Alle categorieën")), *categories]

    def value(self, name: str, default: Any = None) -> Any:
        if not self.is_bound or not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    category = forms.ChoiceField(label=_("Soort"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Alles")),
            (_("Zorg en welzijn"), [(f"a:{code}", label) for code, label in ActivityCategory.choices]),
            (_("Bijkoop"), [(f"b:{code}", label) for code, label in AddOnCategory.choices]),
        ]


__all__ = [
    "ActivityForm",
    "AddOnItemCreateForm",
    "AddOnItemForm",
    "AddOnPriceForm",
    "AddOnUnit",
    "BrowseForm",
    "FilterForm",
    "ImportForm",
]
