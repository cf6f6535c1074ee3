from django import forms
from django.core.exceptions import ValidationError

from ipvb.forms import apply_errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_service_error_on_a_field_the_form_lacks_goes_on_top() -> None:
    form = NameForm(data={"name": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"name": "Bestaat al.", "organisation": "Hoort niet bij u."}))
    assert form.errors["name"] == ["Bestaat al."]
    assert form.non_field_errors() == ["Hoort niet bij u."]


def test_plain_and_renamed_errors() -> None:
    form = NameForm(data={"name": "x"})
    form.is_valid()
    apply_errors(form, ValidationError(["Eerste.", "Tweede."]))
    assert form.non_field_errors() == ["Eerste.", "Tweede."]
    form = NameForm(data={"name": "x"})
    form.is_valid()
    apply_errors(form, ValidationError({"bsn": "Fout BSN."}), rename={"bsn": "name"})
    assert form.errors["name"] == ["Fout BSN."]


def test_a_field_declared_with_none_gets_the_organisations_rows(world) -> None:  # type: ignore[no-untyped-def]
    """``Model.objects.none()`` in a declaration means "scoped later", not "no choices": a form
    that does not narrow it offers the active organisation's rows, and only those."""
    from costing.models import StaffLevel
    from ipvb.forms import TenantForm
    from tests import factories

    class LevelForm(TenantForm):
        level = forms.ModelChoiceField(queryset=StaffLevel.objects.none())

    mine = factories.staff_levels(world.org_a)["helpende"]
    theirs = factories.staff_levels(world.org_b)["helpende"]
    form = LevelForm(data={"level": mine.pk}, organisation=world.org_a)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["level"] == mine
    assert set(form.fields["level"].queryset) == set(StaffLevel.objects.for_organisation(world.org_a))
    refused = LevelForm(data={"level": theirs.pk}, organisation=world.org_a)
    assert not refused.is_valid() and "level" in refused.errors
