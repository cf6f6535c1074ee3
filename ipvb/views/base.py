"""The base views that own tenant scoping and role checks. App views subclass these and
never override ``get_queryset``/``get_object`` (enforced at class creation); they may narrow
the scope through ``restrict_queryset``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import generic

from .. import accesslog
from ..db_batch import BatchTemplate
from ..forms import TenantModelForm, apply_errors
from ..http import MemberRequest

if TYPE_CHECKING:
    from ..models import Membership, Organisation

PROTECTED_METHODS = ("get_queryset", "get_object")


class TenantRequiredMixin(LoginRequiredMixin):
    """Logged in, with an active membership, holding one of ``allowed_roles``.

    Views that show client data set ``access_log_client`` (see ``ipvb.accesslog``) and are
    logged after every successful response."""

    request: HttpRequest  # as on View (the mixin is always combined with one)
    allowed_roles: ClassVar[frozenset[str] | None] = None  # None: any role
    access_log_client: ClassVar[str | None] = None  # e.g. "self" or "client"
    access_log_action: ClassVar[str | None] = None  # force an action, e.g. accesslog.PRINT

    @property
    def organisation(self) -> Organisation:
        """The active organisation (dispatch refuses a request without a membership)."""
        return cast(MemberRequest, self.request).organisation

    @property
    def membership(self) -> Membership:
        return cast(MemberRequest, self.request).membership

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if getattr(request, "membership", None) is None:
            return render(request, "ipvb/no_membership.html", status=403)
        if self.allowed_roles is not None and not request.membership.has_role(  # type: ignore[attr-defined]
            *self.allowed_roles
        ):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        if self.access_log_client is not None or hasattr(self, "access_log_shown_clients"):
            if getattr(response, "is_rendered", True) is False:
                # Logged once the page is rendered: what it showed, and the new row does not
                # appear in (or shift) the page that records it.
                def log_after_render(rendered: HttpResponse) -> None:
                    accesslog.log_view(self, request, rendered)

                response.add_post_render_callback(log_after_render)  # type: ignore[attr-defined]
            else:
                accesslog.log_view(self, request, response)
        return response  # type: ignore[return-value]

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # type: ignore[misc]
        self._access_log_saved = True
        return response


class _StandIn:
    """The request a compiled lookup is built for: a membership and an organisation that carry
    stand-in ids (``BatchTemplate`` sentinels) and the roles of the shape."""

    def __init__(self, membership: Membership, organisation: Organisation) -> None:
        self.membership = membership
        self.organisation = organisation


def _lookup(
    cls: type[TenantObjectMixin], shape: Any, *, organisation: int, pk: int, membership: int
) -> list[QuerySet]:
    """The lookup of ``cls`` for ``BatchTemplate``: the view's own get_queryset() and
    restrict_queryset(), for a stand-in membership whose departments are a subquery on its id."""
    from ..models import Membership, Organisation

    stand_in = Membership(pk=membership, organisation_id=organisation, roles=list(shape[1]))
    departments = Membership.departments.through.objects.filter(membership_id=membership).values(
        "department_id"
    )
    stand_in._department_ids = cast(list[int], departments)  # what department_ids() returns: here a subquery
    view = cls()
    view.request = cast(HttpRequest, _StandIn(stand_in, Organisation(pk=organisation)))
    view.kwargs = {view.pk_url_kwarg: pk}  # type: ignore[attr-defined]  # SingleObjectMixin
    return [view.get_queryset().filter(pk=pk)[:2]]


_LOOKUPS: dict[type, BatchTemplate] = {}


class TenantObjectMixin(TenantRequiredMixin):
    """Owns queryset and object lookup: always within the active organisation."""

    model: Any  # the generic view's model, a TenantModel (ListView types it optional, DetailView not)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            for name in PROTECTED_METHODS:
                if name in cls.__dict__:
                    raise ImproperlyConfigured(
                        f"{cls.__name__} overrides {name}(); narrow scope with restrict_queryset()."
                    )

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        """Hook to narrow (never widen) the scope, e.g. to the user's departments."""
        return queryset

    # Issue 16: on a hot path (the composer) the object lookup is compiled once per process and
    # shape instead of on every request (ipvb.db_batch.BatchTemplate). Only for a view whose
    # restrict_queryset depends on nothing but the membership's roles and departments: the
    # shape is the view and the roles; the organisation, the object's id and the membership
    # (whose departments the statement reads through its id) are the values.
    compiled_lookup: ClassVar[bool] = False

    def _compiled_object(self) -> Model | None:
        """The object through the compiled lookup; None when this request's lookup cannot be
        compiled once (e.g. a manager's, which does not use the membership): the usual path."""
        pk = self.kwargs.get(self.pk_url_kwarg)  # type: ignore[attr-defined]  # SingleObjectMixin
        if pk is None:
            return None
        membership = self.membership
        cls = type(self)
        template = _LOOKUPS.get(cls) or _LOOKUPS.setdefault(
            cls, BatchTemplate(functools.partial(_lookup, cls))
        )
        found = template.fetch_cached(
            (cls, tuple(sorted(membership.roles))),
            organisation=membership.organisation_id,
            pk=int(pk),
            membership=membership.pk,
        )
        if found is None:
            return None
        if not found[0]:
            raise Http404(  # as Django's own lookup says it
                _("No %(verbose_name)s found matching the query")
                % {"verbose_name": self.model._meta.verbose_name}
            )
        return cast(Model, found[0][0])

    def get_queryset(self) -> QuerySet:
        organisation = self.organisation
        base = self.model.objects.for_organisation(organisation)  # type: ignore[attr-defined]
        return self.restrict_queryset(base).filter(organisation=organisation)

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        obj = self._compiled_object() if queryset is None and self.compiled_lookup else None
        if obj is None:
            obj = super().get_object(queryset)  # type: ignore[misc]
        if self.access_log_client is not None:
            # Remembered for the log in case the object is deleted by this request.
            self._access_log_object_id = obj.pk
            self._access_log_client = accesslog.resolve_client(obj, self.access_log_client)
        return obj

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        form_class = self.get_form_class()  # type: ignore[attr-defined]
        if issubclass(form_class, TenantModelForm):
            kwargs["organisation"] = self.organisation
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        instance = getattr(form, "instance", None)
        if instance is not None and getattr(instance, "organisation_id", "absent") is None:
            form.instance.organisation = self.organisation
        return super().form_valid(form)  # type: ignore[misc]


class TenantTemplateView(TenantRequiredMixin, generic.TemplateView):
    pass


class TenantListView(TenantObjectMixin, generic.ListView):
    paginate_by = 50


class TenantDetailView(TenantObjectMixin, generic.DetailView):
    pass


class TenantCreateView(TenantObjectMixin, generic.CreateView):
    pass


class TenantUpdateView(TenantObjectMixin, generic.UpdateView):
    pass


class TenantDeleteView(TenantObjectMixin, generic.DeleteView):
    pass


class TenantFormView(TenantRequiredMixin, generic.FormView):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), TenantModelForm) or getattr(
            self.get_form_class(), "needs_organisation", False
        ):
            kwargs["organisation"] = self.organisation
        return kwargs


class ServiceFormMixin:
    """The one error path of views that write through a service instead of ``form.save()``.

    A form view names its service call in ``save(form)``. A ValidationError lands on the form
    (on the field it names, else on top; ``error_fields`` maps a service's field name to the
    form's where they differ), nothing is saved and the form is shown again (with
    ``invalid_status``, 200 unless the view says e.g. 400). On success the result becomes
    ``self.object`` when it is a model instance, the success message is shown
    (``get_success_message(result)``; by default ``success_message`` with ``%(name)s`` = the
    result) and the browser goes to ``get_success_url()``.

    A POST action without form fields (publish, revoke, confirm) returns
    ``self.service_action(call)``: ``call()`` runs the service; a ValidationError becomes error
    messages and a redirect to ``get_failure_url()`` (by default the success URL).

    Both paths end in two hooks, for a view whose answer is a page rather than a redirect:
    ``service_succeeded(result)`` (by default the above: object, message, redirect) and
    ``service_failed(exc, form)`` (``form`` is None for an action; by default the above). A
    view overrides them (e.g. to show search results, or the page again with the errors at
    400), never catches the ValidationError itself."""

    success_message: ClassVar[Any] = ""
    invalid_status: ClassVar[int] = 200
    error_fields: ClassVar[dict[str, str]] = {}  # the service's field name -> the form's
    request: HttpRequest
    object: Any  # the view's object; a saved model instance after success

    def save(self, form: Any) -> Any:
        raise NotImplementedError

    def get_success_message(self, result: Any) -> str:
        return str(self.success_message) % {"name": result if result is not None else ""}

    def get_failure_url(self) -> str:
        return str(self.get_success_url())  # type: ignore[attr-defined]  # from the view class

    def service_succeeded(self, result: Any) -> HttpResponse:
        if isinstance(result, Model):
            self.object = result
        messages.success(self.request, self.get_success_message(result))
        return redirect(self.get_success_url())  # type: ignore[attr-defined]  # from the view class

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        if form is not None:
            apply_errors(form, exc, rename=self.error_fields)
            return self.form_invalid(form)
        for message in exc.messages:
            messages.error(self.request, message)
        return redirect(self.get_failure_url())

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.save(form)
        except ValidationError as exc:
            return self.service_failed(exc, form)
        return self.service_succeeded(result)

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]  # FormMixin's
        response.status_code = self.invalid_status
        return response

    def service_action(self, call: Callable[[], Any]) -> HttpResponse:
        try:
            result = call()
        except ValidationError as exc:
            return self.service_failed(exc)
        return self.service_succeeded(result)
