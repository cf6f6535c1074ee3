from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..forms import TenantForm, TenantModelForm
from ..models import Department, Membership, Organisation
from ..roles import Role


class DepartmentForm(TenantModelForm):
    class Meta:
        model = Department
        fields = ["name", "location_name", "kind", "places", "is_pilot"]


class DepartmentDataForm(TenantModelForm):
    """What a team leader sets for their own department (domain page, section 2): the number
    of places and whether it has group-bound day care. Name, location and pilot status stay
    with the functional administrator."""

    class Meta:
        model = Department
        fields = ["kind", "places"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "agb_code", "zorgkantoor_code"]
        help_texts = {
            "agb_code": _("8 cijfers."),
            "zorgkantoor_code": _("4 cijfers, 5501 tot en met 5533."),
        }


class RolesFieldMixin(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één rol.")},
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Afdelingen"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Zorgprofessionals en teamleiders zien alleen cliënten van deze afdelingen."),
    )

    def scope_departments(self, organisation: Organisation) -> None:
        self.fields["departments"].queryset = Department.objects.for_organisation(organisation)  # type: ignore[attr-defined]  # a ModelChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = set(data.get("roles") or [])
        bound = roles & {Role.CARE_PROFESSIONAL, Role.TEAM_LEADER}
        if bound and not roles & {Role.MANAGER, Role.ORG_ADMIN} and not data.get("departments"):
            self.add_error(
                "departments", _("Kies minstens één afdeling voor een zorgprofessional of teamleider.")
            )
        return data


class MemberCreateForm(RolesFieldMixin, TenantForm):
    email = forms.EmailField(label=_("E-mailadres"))
    first_name = forms.CharField(label=pgettext_lazy("user account", "Voornaam"), max_length=150)
    last_name = forms.CharField(label=pgettext_lazy("user account", "Achternaam"), max_length=150)

    field_order = ["email", "first_name", "last_name", "roles", "departments"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.scope_departments(organisation)


class MemberUpdateForm(RolesFieldMixin, TenantModelForm):
    is_active = forms.BooleanField(label=_("Actief"), required=False)

    class Meta:
        model = Membership
        fields = ["is_active"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.scope_departments(organisation)
        if self.instance.pk:
            self.initial["roles"] = self.instance.roles
            self.initial["departments"] = list(self.instance.departments.all())
