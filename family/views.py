"""Pages of the family's view (/familie/) and the staff side (invite, end access).

Family pages: only for a user with a ``FamilyAccess`` and without any staff membership.
Everything is looked up through that access: an id of anything else answers 404, exactly as
a missing one. Every page read and every signature is written to the access log with the
channel ``family``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from catalog.selectors import addon_items_for
from clients.models import Client
from clients.views import ClientScopedMixin
from costing.selectors import budget_for_client
from ipvb import accesslog
from ipvb.forms import apply_errors
from ipvb.models_accesslog import FAMILY_CHANNEL
from ipvb.roles import Role
from ipvb.views.base import TenantObjectMixin, TenantRequiredMixin

from . import selectors, services
from .forms import InviteForm, SetPasswordForm, SignForm, WishForm
from .models import FamilyAccess

STAFF_ROLES = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
LARGE_TYPE_SESSION_KEY = "family_large_type"


def log_family(request: HttpRequest, active: selectors.ActiveAccess, action: str, obj: Any = None) -> None:
    accesslog.record(
        request=request,
        action=action,
        client=active.client,
        obj=obj,
        organisation=active.organisation,
        channel=FAMILY_CHANNEL,
    )


class FamilyMixin(LoginRequiredMixin):
    """Logged in, no staff membership, and a family access. ``self.active`` holds it."""

    request: HttpRequest
    allow_read_only: ClassVar[bool] = True
    active: selectors.ActiveAccess

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request, "membership", None) is not None or getattr(request, "memberships", None):
            raise PermissionDenied  # staff never use the family view
        active = selectors.access_for_user(request.user)
        if active is None:
            return render(request, "family/no_access.html", status=403)
        if active.read_only and not self.allow_read_only:
            raise Http404
        self.active = active
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,return-value]

    def family_context(self) -> dict[str, Any]:
        return {
            "active": self.active,
            "client": self.active.client,
            "large_type": bool(self.request.session.get(LARGE_TYPE_SESSION_KEY)),
        }

    def get_package(self, pk: Any) -> Any:
        """One agreed version of the own client, else 404 (another client's id included)."""
        return get_object_or_404(selectors.visible_packages(active=self.active), pk=pk)


class FamilyHomeView(FamilyMixin, generic.TemplateView):
    template_name = "family/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.family_context())
        active = self.active
        package = selectors.current_package(active=active)
        today = timezone.localdate()
        budget = budget_for_client(client=active.client, on_date=today) if not active.read_only else None
        shown = selectors.family_package(package=package) if package is not None else None
        signatures = list(selectors.signatures_of(package=package)) if package is not None else []
        signed_by_me = next((s for s in signatures if s.access_id == active.access.pk), None)
        last = selectors.last_conversation(active=active) if not active.read_only else None
        context.update(
            {
                "today": today,
                "budget": budget,
                "shown": shown,
                "package": package,
                "signatures": signatures,
                "signed_by_me": signed_by_me,
                "last_conversation": last,
                "next_conversation": selectors.next_conversation(active=active)
                if not active.read_only
                else None,
                "review_date": (package.review_date if package else None)
                or (last.next_review_date if last else None),
                "wish_form": WishForm(),
                "wishes": list(selectors.wishes_of(active=active)[:10]),
                "version_count": selectors.visible_packages(active=active).count(),
                "addons": addon_items_for(organisation=active.organisation, on_date=today)
                if not active.read_only
                else [],
            }
        )
        self.shown_package = package
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        response.render()  # type: ignore[attr-defined]
        log_family(request, self.active, accesslog.READ, obj=self.shown_package)
        return response


class FamilyVersionsView(FamilyMixin, generic.TemplateView):
    template_name = "family/versions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from conversations.selectors import package_diff, previous_version

        context = super().get_context_data(**kwargs)
        context.update(self.family_context())
        packages = list(selectors.visible_packages(active=self.active))
        signatures = selectors.signatures_for_packages(
            organisation=self.active.organisation, packages=packages
        )
        context["versions"] = [
            {
                "package": package,
                "changes": package_diff(old=previous, new=package)
                if (previous := previous_version(package=package))
                else None,
                "signatures": signatures.get(package.pk, []),
            }
            for package in packages
        ]
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        response.render()  # type: ignore[attr-defined]
        log_family(request, self.active, accesslog.READ)
        return response


class FamilyPackageView(FamilyMixin, generic.TemplateView):
    """One version with its lines in words; the sign form when it is the version to sign."""

    template_name = "family/package.html"

    def context_for(self, package: Any, form: SignForm | None = None) -> dict[str, Any]:
        context = self.family_context()
        current = selectors.current_package(active=self.active)
        signatures = list(selectors.signatures_of(package=package))
        digest = selectors.content_hash(package)
        can_sign = (
            not self.active.read_only
            and current is not None
            and current.pk == package.pk
            and not any(s.access_id == self.active.access.pk for s in signatures)
        )
        context.update(
            {
                "package": package,
                "shown": selectors.family_package(package=package),
                "signatures": signatures,
                "content_hash": digest,
                "is_current": current is not None and current.pk == package.pk,
                "can_sign": can_sign,
                "sign_form": form or SignForm(initial={"content_hash": digest}),
            }
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        package = self.get_package(kwargs["pk"])
        response = render(request, self.template_name, self.context_for(package))
        log_family(request, self.active, accesslog.READ, obj=package)
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        package = self.get_package(kwargs["pk"])
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                signature = services.package_sign(
                    active=self.active,
                    package=package,
                    agree=form.cleaned_data["agree"],
                    signed_name=form.cleaned_data["signed_name"],
                    shown_hash=form.cleaned_data["content_hash"],
                    ip_address=accesslog.client_ip(request),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                log_family(request, self.active, accesslog.CREATE, obj=signature)
                messages.success(
                    request,
                    _("U heeft versie %(v)s van het zorgpakket ondertekend. Dank u wel.")
                    % {"v": package.version},
                )
                return redirect("family_package", pk=package.pk)
        response = render(request, self.template_name, self.context_for(package, form), status=400)
        return response


class FamilyWishView(FamilyMixin, generic.View):
    allow_read_only = False
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = WishForm(request.POST)
        if form.is_valid():
            try:
                wish = services.wish_leave(active=self.active, text=form.cleaned_data["text"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                log_family(request, self.active, accesslog.CREATE, obj=wish)
                messages.success(request, _("Uw wens is doorgegeven aan de zorgprofessional."))
                return redirect("family_home")
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("family_home")


class FamilyLargeTypeView(FamilyMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.session[LARGE_TYPE_SESSION_KEY] = not request.session.get(LARGE_TYPE_SESSION_KEY, False)
        target = request.POST.get("next", "")
        from django.utils.http import url_has_allowed_host_and_scheme

        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "family_home"
        return redirect(target)


class FamilyInvitationView(generic.View):
    """The link in the invitation e-mail (no login needed): set a password, or, with an
    existing account, accept while logged in. Used or expired links: one clear answer."""

    template_name = "family/invitation.html"

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
        try:
            access, account = services.family_accept(
                token=token,
                user=request.user,
                password=None if has_account else form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_link":
                return self._render(request, None, None, status=404)
            apply_errors(form, exc)
            return self._render(request, access, form, status=400)
        if not request.user.is_authenticated:
            from allauth.account.internal.flows.login import record_authentication

            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            # The new password counts as this session's first factor (allauth then asks no
            # re-authentication before the authenticator app is set up).
            record_authentication(
                request, account, method="password", email=account.email, reauthenticated=True
            )
        messages.success(
            request,
            _("Welkom. U heeft nu toegang tot de familiepagina van %(name)s.")
            % {"name": access.client.full_name},
        )
        return redirect("family_home")


# Staff side --------------------------------------------------------------------------------


class FamilyInviteView(ClientScopedMixin, TenantRequiredMixin, generic.FormView):
    """A care professional or team leader invites a contact person of a client of their own
    department; another department's or organisation's client answers 404."""

    allowed_roles = STAFF_ROLES
    template_name = "family/invite.html"
    access_log_client = "client"
    form_class = InviteForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["client"] = self.client
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["accesses"] = selectors.accesses_of(client=self.client).select_related("contact_person")
        return context

    def form_valid(self, form: InviteForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.family_invite(
                membership=self.request.membership,  # type: ignore[attr-defined]
                client=self.client,
                contact_person=data["contact_person"],
                email=data["email"],
                consent_by=data["consent_by"],
                consent_note=data.get("consent_note", ""),
                request=self.request,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "not_found":
                raise Http404 from exc
            apply_errors(form, exc)
            return self.form_invalid(form)
        self._access_log_saved = True
        messages.success(
            self.request,
            _("%(name)s is uitgenodigd voor de familiepagina.") % {"name": data["contact_person"].name},
        )
        return redirect("client_detail", pk=self.client.pk)

    def form_invalid(self, form: InviteForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class FamilyAccessEndView(TenantObjectMixin, generic.detail.SingleObjectMixin, generic.View):
    """Consent withdrawn: the access (or open invitation) ends now."""

    model = FamilyAccess
    allowed_roles = STAFF_ROLES
    access_log_client = "client"
    access_log_action = accesslog.UPDATE
    http_method_names = ["post"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        from clients.selectors import restrict_to_visible

        return restrict_to_visible(
            queryset.select_related("client"),
            membership=self.request.membership,  # type: ignore[attr-defined]
            client_path="client__",
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access = self.get_object()
        assert isinstance(access, FamilyAccess)
        self.object = access
        try:
            services.family_access_end(
                access=access, reason=FamilyAccess.EndReason.CONSENT_WITHDRAWN, by=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("De toegang van %(name)s tot de familiepagina is beëindigd.")
                % {"name": access.contact_name},
            )
        return redirect("client_detail", pk=access.client_id)


def staff_panel_context(*, request: HttpRequest, client: Client) -> dict[str, Any]:
    """For the client page: the family accesses, the wishes left and whether this user may
    invite (care professional, team leader)."""
    membership = getattr(request, "membership", None)
    return {
        "family_accesses": list(selectors.accesses_of(client=client).order_by("-invited_at")[:10]),
        "family_wishes": list(selectors.wishes_for_client(client=client)[:10]),
        "family_can_invite": membership is not None
        and membership.has_role(*STAFF_ROLES)
        and client.is_active,
    }
