"""Forms of the clients app. They parse input; the services validate the rules and save."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ipvb.forms import TenantForm, TenantModelForm
from ipvb.models import Department, Membership, Organisation
from ipvb.roles import Role

from .formulas import normalise_bsn
from .models import Client, ContactPerson, Indication

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateField(forms.DateField):
    widget = DATE_WIDGET

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"])
        kwargs.setdefault("error_messages", {"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")})
        super().__init__(*args, **kwargs)


def departments_for(membership: Membership) -> QuerySet[Department]:
    qs = Department.objects.for_organisation(membership.organisation)
    if membership.has_role(Role.MANAGER, Role.ORG_ADMIN):
        return qs
    return qs.filter(pk__in=membership.department_ids())


class ClientCreateForm(TenantModelForm):
    date_of_birth = DateField(label=_("Geboortedatum"))
    admission_date = DateField(label=_("Opnamedatum"))
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=12,
        help_text=_("9 cijfers; wordt gecontroleerd met de elfproef."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Client
        fields = [
            "given_name",
            "name_prefix",
            "family_name",
            "date_of_birth",
            "bsn",
            "department",
            "admission_date",
            "wishes",
        ]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments_for(membership)

    def clean_bsn(self) -> str:
        return normalise_bsn(self.cleaned_data["bsn"])


class ClientUpdateForm(TenantModelForm):
    date_of_birth = DateField(label=_("Geboortedatum"))
    admission_date = DateField(label=_("Opnamedatum"))
    new_bsn = forms.CharField(
        label=_("BSN corrigeren"),
        max_length=12,
        required=False,
        help_text=_("Alleen invullen als het BSN fout is geregistreerd. Leeg laten houdt het huidige BSN."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Client
        fields = ["given_name", "name_prefix", "family_name", "date_of_birth", "admission_date", "wishes"]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 4})}

    def clean_new_bsn(self) -> str:
        return normalise_bsn(self.cleaned_data.get("new_bsn") or "")


class DischargeForm(TenantForm):
    discharge_date = DateField(label=_("Datum uitschrijving"))
    reason = forms.CharField(label=_("Reden uitschrijving"), max_length=300)


class MoveForm(TenantForm):
    department = forms.ModelChoiceField(label=_("Nieuwe afdeling"), queryset=Department.objects.none())
    on_date = DateField(label=_("Verhuisdatum"), help_text=_("Eerste dag op de nieuwe afdeling."))

    def __init__(self, *args: Any, organisation: Organisation, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["department"]
        ).queryset = Department.objects.for_organisation(organisation).exclude(pk=client.department_id)


class ContactPersonForm(TenantModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "relation", "role", "phone", "email", "takes_part_in_conversations"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }


class IndicationForm(TenantModelForm):
    start_date = DateField(label=_("Ingangsdatum"))
    end_date = DateField(
        label=_("Einddatum"), required=False, help_text=_("Leeg laten voor een indicatie zonder einddatum.")
    )

    class Meta:
        model = Indication
        fields = [
            "decision_number",
            "care_profile",
            "with_treatment",
            "with_day_activities",
            "grondslag",
            "start_date",
            "end_date",
        ]
        help_texts = {
            "care_profile": _("1VV–3VV zijn historische profielen; 9VV B loopt hoogstens 6 maanden.")
        }


class BsnSearchForm(forms.Form):
    """The BSN search: posted, never in a URL (clients.views.client_file.ClientBsnSearchView)."""

    bsn = forms.CharField(
        label=_("BSN"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Vul een BSN in."), "max_length": _("Een BSN bestaat uit 9 cijfers.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV of XLSX)"),
        help_text=_("Een export uit het ECD met één regel per cliënt (of per indicatie). CSV in UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
