"""The records in a client's file: contact persons and CIZ indications (add, edit, delete)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ipvb.views.base import TenantCreateView, TenantDeleteView, TenantUpdateView

from .. import services
from ..forms import ContactPersonForm, IndicationForm
from ..models import ContactPerson, Indication
from ..roles import LEADERS, WRITERS
from .mixins import ChildVisibleMixin, ClientRecordFormMixin, ClientScopedMixin


class ContactPersonCreateView(ClientRecordFormMixin, ClientScopedMixin, TenantCreateView):
    model = ContactPerson
    form_class = ContactPersonForm
    allowed_roles = WRITERS
    success_message = _lazy("Contactpersoon %(name)s is toegevoegd.")

    def get_title(self) -> str:
        return _("Contactpersoon toevoegen voor %(name)s") % {"name": self.client.full_name}

    def save(self, form: Any) -> ContactPerson:
        return services.contact_person_create(client=self.client, **form.cleaned_data)


class ContactPersonUpdateView(ClientRecordFormMixin, ChildVisibleMixin, TenantUpdateView):
    model = ContactPerson
    form_class = ContactPersonForm
    allowed_roles = WRITERS
    title = _lazy("Contactpersoon wijzigen")
    success_message = _lazy("Contactpersoon opgeslagen.")

    def save(self, form: Any) -> ContactPerson:
        return services.contact_person_update(contact=self.object, **form.cleaned_data)


class ContactPersonDeleteView(ClientRecordFormMixin, ChildVisibleMixin, TenantDeleteView):
    model = ContactPerson
    allowed_roles = WRITERS
    template_name = "clients/confirm_delete.html"
    success_message = _lazy("Contactpersoon verwijderd.")

    def save(self, form: Any) -> None:
        services.contact_person_delete(contact=self.object)


# Indications -----------------------------------------------------------------------------


class IndicationCreateView(ClientRecordFormMixin, ClientScopedMixin, TenantCreateView):
    model = Indication
    form_class = IndicationForm
    allowed_roles = WRITERS
    success_message = _lazy("Indicatie opgeslagen.")

    def get_title(self) -> str:
        return _("Indicatie toevoegen voor %(name)s") % {"name": self.client.full_name}

    def save(self, form: Any) -> Indication:
        return services.indication_create(client=self.client, **form.cleaned_data)


class IndicationUpdateView(ClientRecordFormMixin, ChildVisibleMixin, TenantUpdateView):
    model = Indication
    form_class = IndicationForm
    allowed_roles = WRITERS
    title = _lazy("Indicatie wijzigen")
    success_message = _lazy("Indicatie opgeslagen.")

    def save(self, form: Any) -> Indication:
        return services.indication_update(indication=self.object, **form.cleaned_data)


class IndicationDeleteView(ClientRecordFormMixin, ChildVisibleMixin, TenantDeleteView):
    model = Indication
    allowed_roles = LEADERS
    template_name = "clients/confirm_delete.html"
    success_message = _lazy("Indicatie verwijderd.")

    def save(self, form: Any) -> None:
        services.indication_delete(indication=self.object)
