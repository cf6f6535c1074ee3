"""Personal API keys (ipvb.api_tokens): the user's own page (create after MFA, shown once,
listed with last use, revoke) and the organisation admin's list of their organisation's keys."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import api_tokens, mfa
from ..http import MemberRequest
from ..models import ApiToken
from ..roles import Role
from .base import ServiceFormMixin, TenantTemplateView

ADMIN = frozenset({Role.ORG_ADMIN})


class ApiTokenView(ServiceFormMixin, TenantTemplateView):
    """Creating a key answers with this page: the new key shown once, or the errors at 400."""

    template_name = "ipvb/api_token.html"
    token_name = ""  # as posted, shown again with the errors
    token_days = 0

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(MemberRequest, self.request).user
        context["tokens"] = api_tokens.tokens_of_user(user)
        context["expiry_choices"] = api_tokens.expiry_choices()
        context.setdefault(
            "chosen_days", 90 if 90 in context["expiry_choices"] else context["expiry_choices"][0]
        )
        context["mfa_blocked"] = mfa.must_have_mfa(
            user,
            self.membership,
        ) and not mfa.session_passed_mfa(self.request)
        return context

    def post(self, request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            token = (
                api_tokens.tokens_of_user(request.user)
                .filter(public_id=_uuid_or_404(request.POST.get("token")))
                .first()
            )
            if token is None:
                raise Http404
            api_tokens.token_revoke(token=token, by=request.user)
            messages.success(request, _("De API-sleutel is ingetrokken."))
            return redirect("api_token")
        try:
            days = int(request.POST.get("days", ""))
        except ValueError:
            days = 0
        self.token_name, self.token_days = request.POST.get("name", ""), days
        return self.service_action(
            lambda: api_tokens.token_create(request=request, name=self.token_name, days=self.token_days)
        )

    def service_succeeded(self, result: tuple[ApiToken, str]) -> HttpResponse:
        token, key = result
        # Shown once, in this response only; never stored in the session or a URL.
        return render(
            self.request, self.template_name, {**self.get_context_data(), "new_key": key, "new_token": token}
        )

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        context = self.get_context_data(
            errors=exc.message_dict, name=self.token_name, chosen_days=self.token_days
        )
        return render(self.request, self.template_name, context, status=400)


def _uuid_or_404(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


class OrganisationApiTokenListView(TenantTemplateView):
    """The organisation admin sees every live key made in their organisation."""

    template_name = "ipvb/organisation_api_tokens.html"
    allowed_roles = ADMIN

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tokens"] = api_tokens.tokens_of_organisation(self.organisation)
        return context


class OrganisationApiTokenRevokeView(TenantTemplateView):
    """POST only: revokes one key of the admin's own organisation (another's: 404)."""

    allowed_roles = ADMIN
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = (
            api_tokens.tokens_of_organisation(self.organisation).filter(public_id=kwargs["public_id"]).first()
        )
        if token is None:
            raise Http404
        api_tokens.token_revoke(token=token, by=request.user)
        messages.success(request, _("De API-sleutel is ingetrokken."))
        return redirect("organisation_api_tokens")
