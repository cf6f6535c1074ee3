"""The family's pages (/familie/): the home page, the versions, one version to read and sign, a
wish, larger type. Only for a user with a ``FamilyAccess`` and without any staff membership.
Everything is looked up through that access: an id of anything else answers 404, exactly as
a missing one. Every page read and every signature is written to the access log with the
channel ``family``."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import generic

from catalog.selectors import addon_items_for
from costing.budget import budget_for_client
from ipvb import accesslog
from ipvb.models_accesslog import FAMILY_CHANNEL
from ipvb.views.base import ServiceFormMixin

from .. import selectors, services
from ..forms import SignForm, WishForm
from ..models import FamilyWish, PackageSignature

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
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,return-value]  # the view class after this mixin

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
        response = cast(TemplateResponse, super().get(request, *args, **kwargs))  # a TemplateView's
        response.render()
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
        response = cast(TemplateResponse, super().get(request, *args, **kwargs))  # a TemplateView's
        response.render()
        log_family(request, self.active, accesslog.READ)
        return response


class FamilyPackageView(ServiceFormMixin, FamilyMixin, generic.FormView):
    """One version with its lines in words; the sign form when it is the version to sign. A
    signature that fails shows the page again with the errors (400)."""

    template_name = "family/package.html"
    form_class = SignForm
    invalid_status = 400
    package: Any  # the version of the URL, for the own client

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
        self.package = self.get_package(kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return self.context_for(self.package, kwargs.get("form"))

    def save(self, form: SignForm) -> PackageSignature:
        signature = services.package_sign(
            active=self.active,
            package=self.package,
            agree=form.cleaned_data["agree"],
            signed_name=form.cleaned_data["signed_name"],
            shown_hash=form.cleaned_data["content_hash"],
            ip_address=accesslog.client_ip(self.request),
        )
        log_family(self.request, self.active, accesslog.CREATE, obj=signature)
        return signature

    def get_success_message(self, result: PackageSignature) -> str:
        return _("U heeft versie %(v)s van het zorgpakket ondertekend. Dank u wel.") % {
            "v": self.package.version
        }

    def get_success_url(self) -> str:
        return reverse("family_package", kwargs={"pk": self.package.pk})


class FamilyWishView(ServiceFormMixin, FamilyMixin, generic.FormView):
    """The wish form of the home page; its errors come back there as messages."""

    allow_read_only = False
    http_method_names = ["post"]
    form_class = WishForm
    success_message = _lazy("Uw wens is doorgegeven aan de zorgprofessional.")

    def save(self, form: WishForm) -> FamilyWish:
        wish = services.wish_leave(active=self.active, text=form.cleaned_data["text"])
        log_family(self.request, self.active, accesslog.CREATE, obj=wish)
        return wish

    def form_invalid(self, form: WishForm) -> HttpResponse:
        for errors in form.errors.values():
            for message in errors:
                messages.error(self.request, str(message))
        return redirect("family_home")

    def get_success_url(self) -> str:
        return reverse("family_home")


class FamilyLargeTypeView(FamilyMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.session[LARGE_TYPE_SESSION_KEY] = not request.session.get(LARGE_TYPE_SESSION_KEY, False)
        target = request.POST.get("next", "")
        from django.utils.http import url_has_allowed_host_and_scheme

        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "family_home"
        return redirect(target)
