"""Forms of reporting: they parse input; ``reporting.services`` validates and saves."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from costing.models import StaffLevel
from ipvb.forms import TenantForm
from ipvb.models import Department, Membership

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActualStaffingForm(TenantForm):
    department = forms.ModelChoiceField(
        Department.objects.none(),
        label=_("Afdeling"),
        error_messages={"invalid_choice": _("Kies een afdeling van uw eigen organisatie.")},
    )
    staff_level = forms.ModelChoiceField(
        StaffLevel.objects.none(),
        label=_("Functieniveau"),
        error_messages={"invalid_choice": _("Kies een functieniveau van uw eigen organisatie.")},
    )
    fte = forms.DecimalField(
        label=_("Werkelijke fte"),
        max_digits=9,
        decimal_places=2,
        localize=True,
        error_messages={
            "invalid": _("Vul het aantal fte in als getal, bijvoorbeeld 4,5."),
            "max_decimal_places": _("Vul de formatie in met hoogstens twee decimalen."),
            "max_digits": _(
                "Meer dan 1.000 fte op één niveau van één afdeling is niet aannemelijk; controleer de invoer."
            ),
        },
    )
    effective_from = forms.DateField(
        label=pgettext_lazy("version", "Ingangsdatum"),
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")},
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def __init__(self, *args: Any, membership: Membership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if membership is not None:
            field = cast(forms.ModelChoiceField, self.fields["department"])
            field.queryset = membership.restrict_departments(field.queryset)


class ParticipationForm(forms.Form):
    """The participation agreement (domain page section 10); saved by
    ``reporting.transparency_services.participation_record`` as a new history row."""

    signed_on = forms.DateField(label=_("Ondertekend op"), widget=DATE_WIDGET)
    signed_by_name = forms.CharField(label=_("Ondertekend door (naam bestuurder)"), max_length=200)
    signed_by_function = forms.CharField(label=_("Functie ondertekenaar"), max_length=200)
    project_leader = forms.CharField(label=_("Interne iPVB-projectleider"), max_length=200)
    start_date = forms.DateField(label=_("Startdatum deelname"), widget=DATE_WIDGET)
    consent_cost_price = forms.BooleanField(label=_("Toestemming: kostprijsopbouw"), required=False)
    consent_addons = forms.BooleanField(label=_("Toestemming: bijkoopcatalogus"), required=False)
    consent_usage = forms.BooleanField(label=_("Toestemming: gebruikscijfers"), required=False)


class ReportRequestForm(forms.Form):
    month = forms.CharField(
        label=_("Maand (JJJJ-MM)"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
