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
