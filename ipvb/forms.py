"""Form bases: every choice of a tenant model is limited to the active organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .tenancy import is_tenant_model

if TYPE_CHECKING:
    from .models import Organisation

# Free text has a sensible maximum everywhere (a field may declare a smaller one): a note or
# an agreement fits in TEXT_MAX characters, a one-line text in LINE_MAX.
TEXT_MAX = 2000
LINE_MAX = 200


def text_limit_message(limit: int) -> Any:
    return _("Gebruik hoogstens %(limit)s tekens.") % {"limit": limit}


def limit_text_fields(form: forms.BaseForm) -> None:
    """Gives every free-text field without a maximum length one, with the ``maxlength``
    attribute the browser (and the character counter) use."""
    for field in form.fields.values():
        if type(field) is not forms.CharField:
            continue
        if field.max_length is None:
            limit = TEXT_MAX if isinstance(field.widget, forms.Textarea) else LINE_MAX
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit, message=text_limit_message(limit)))
        field.widget.attrs.setdefault("maxlength", str(field.max_length))


def scope_choice_fields(form: forms.BaseForm, organisation: Organisation) -> None:
    """Limits every choice field of a tenant model to the organisation. A field declared with
    ``Model.objects.none()`` (the declaration cannot know the organisation) gets all of the
    organisation's rows; filtering ``none()`` would stay empty and refuse every choice. A form
    that needs fewer rows narrows the queryset in its own ``__init__``."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and is_tenant_model(queryset.model):
            if queryset.query.is_empty():
                queryset = queryset.model._default_manager.all()
            field.queryset = queryset.for_organisation(organisation)  # type: ignore[attr-defined]  # a tenant model


class TenantModelForm(forms.ModelForm):
    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk is None and hasattr(self.instance, "organisation_id"):
            self.instance.organisation = organisation
        scope_choice_fields(self, organisation)
        limit_text_fields(self)


class TenantForm(forms.Form):
    needs_organisation = True

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        scope_choice_fields(self, organisation)
        limit_text_fields(self)


def apply_errors(form: forms.BaseForm, exc: Any, rename: dict[str, str] | None = None) -> None:
    """Puts a service's ValidationError on the form: on the field it names when the form has
    that field, else on top. (``form.add_error(None, exc)`` would raise for a field the form
    does not have, turning a clear message into a server error.)"""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = rename.get(field, field)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
