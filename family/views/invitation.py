"""The link in the invitation e-mail (no login needed): a contact person accepts and, without an
account, sets a password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from ipvb.forms import apply_errors
from ipvb.models import User
from ipvb.views.base import ServiceFormMixin

from .. import services
from ..forms import SetPasswordForm
from ..models import FamilyAccess


class FamilyInvitationView(ServiceFormMixin, generic.View):
    """The link in the invitation e-mail (no login needed): set a password, or, with an
    existing account, accept while logged in. Used or expired links: one clear answer. A
    refused acceptance shows the page again with the errors on the form (400)."""

    template_name = "family/invitation.html"
    access: FamilyAccess
    form: SetPasswordForm

    def _render(
        self, request: HttpRequest, access: FamilyAccess | None, form: Any, status: int = 200
    ) -> HttpResponse:
        account = services.account_for_email(access.email) if access is not None else None
        return render(
            request,
            self.template_name,
            {"access": access, "form": form, "has_account": account is not None},
            status=status,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        access = services.invitation_for_token(token)
        if access is None:
            return self._render(request, None, None, status=404)
        return self._render(request, access, SetPasswordForm(email=access.email))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        access = services.invitation_for_token(token)
        if access is None:
            return self._render(request, None, None, status=404)
        has_account = services.account_for_email(access.email) is not None
        form = SetPasswordForm(request.POST, email=access.email)
        if not has_account and not form.is_valid():
            return self._render(request, access, form, status=400)
        self.access, self.form = access, form
        return self.service_action(
            lambda: services.family_accept(
                token=token,
                user=request.user,
                password=None if has_account else form.cleaned_data["password1"],
            )
        )

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        if getattr(exc, "code", None) == "invalid_link":
            return self._render(self.request, None, None, status=404)
        apply_errors(self.form, exc)
        return self._render(self.request, self.access, self.form, status=400)

    def service_succeeded(self, result: tuple[FamilyAccess, User]) -> HttpResponse:
        _access, account = result
        request = self.request
        if not request.user.is_authenticated:
            from allauth.account.internal.flows.login import record_authentication

            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            # The new password counts as this session's first factor (allauth then asks no
            # re-authentication before the authenticator app is set up).
            record_authentication(
                request, account, method="password", email=account.email, reauthenticated=True
            )
        return super().service_succeeded(result)

    def get_success_message(self, result: tuple[FamilyAccess, User]) -> str:
        access, _account = result
        return _("Welkom. U heeft nu toegang tot de familiepagina van %(name)s.") % {
            "name": access.client.full_name
        }

    def get_success_url(self) -> str:
        return reverse("family_home")
