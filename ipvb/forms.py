"""Form bases: every choice of a tenant model is limited to the active organisation."""

from __future__ import annotations

from typing import Any

from django import forms

from .tenancy import is_tenant_model


def scope_choice_fields(form: forms.BaseForm, organisation: Any) -> None:
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and is_tenant_model(queryset.model):
            field.queryset = queryset.for_organisation(organisation)  # type: ignore[attr-defined]


class TenantModelForm(forms.ModelForm):
    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk is None and hasattr(self.instance, "organisation_id"):
            self.instance.organisation = organisation
        scope_choice_fields(self, organisation)


class TenantForm(forms.Form):
    needs_organisation = True

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        scope_choice_fields(self, organisation)
