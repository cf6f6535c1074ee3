"""The conversation record: a client's conversations, one conversation, and the form that
prepares or completes it (written through ``conversations.services.conversation_save``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clients.views.mixins import ClientScopedMixin
from clients.visibility import VisibleThroughClientMixin
from ipvb.http import MemberRequest
from ipvb.views.base import (
    ServiceFormMixin,
    TenantCreateView,
    TenantDetailView,
    TenantListView,
    TenantObjectMixin,
    TenantUpdateView,
)

from ..forms import ConversationForm
from ..models import Conversation
from ..roles import READERS, WRITERS, can_write
from ..services import ConversationData, conversation_save

if TYPE_CHECKING:
    from clients.models import Client


class ConversationListView(ClientScopedMixin, TenantListView):
    model = Conversation
    allowed_roles = READERS
    template_name = "conversations/conversation_list.html"
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(client=self.client).prefetch_related("contact_persons", "professionals")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_write": can_write(self.membership)}


class ConversationFormMixin(ServiceFormMixin, TenantObjectMixin):
    """Create and update both save through the service; the client comes from the URL (create)
    or from the conversation (update)."""

    success_message = _("Gesprek opgeslagen.")

    @property
    def conversation_client(self) -> Client:
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["client"] = self.conversation_client
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form: ConversationForm) -> Conversation:
        fields = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name not in {"contact_persons", "professionals"}
        }
        conversation = conversation_save(
            conversation=form.instance if form.instance.pk else None,
            client=self.conversation_client,
            by=cast(MemberRequest, self.request).user,
            data=cast(ConversationData, fields),  # the form's other fields are exactly these
            contact_persons=form.cleaned_data["contact_persons"],
            professionals=form.cleaned_data["professionals"],
        )
        self._access_log_saved = True
        return conversation

    def get_success_url(self) -> str:
        return reverse("conversation_detail", kwargs={"pk": self.object.pk})


class ConversationCreateView(ConversationFormMixin, ClientScopedMixin, TenantCreateView):
    model = Conversation
    form_class = ConversationForm
    allowed_roles = WRITERS
    template_name = "conversations/conversation_form.html"
    access_log_client = "client"

    @property
    def conversation_client(self) -> Client:
        return self.client


class ConversationUpdateView(ConversationFormMixin, VisibleThroughClientMixin, TenantUpdateView):
    model = Conversation
    form_class = ConversationForm
    allowed_roles = WRITERS
    template_name = "conversations/conversation_form.html"
    access_log_client = "client"

    @property
    def conversation_client(self) -> Client:
        return cast(Conversation, self.object).client  # model = Conversation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "client": self.conversation_client}


class ConversationDetailView(VisibleThroughClientMixin, TenantDetailView):
    model = Conversation
    allowed_roles = READERS
    template_name = "conversations/conversation_detail.html"
    access_log_client = "client"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_write": can_write(self.membership)}
