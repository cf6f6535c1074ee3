"""Row-level multi-tenancy, in one place.

* ``TenantQuerySet`` / ``TenantManager``: the default manager of every tenant model. A query
  that is not restricted to one organisation refuses to run (fails closed). A query counts as
  scoped when it went through ``for_organisation()``, filters its own ``organisation`` column
  with ``=``, or is a related manager of an already loaded object. The single escape hatch is
  ``dangerously_unscoped()``; only ``reporting`` may use it (checked by a test).
* ``TenantModel``: abstract base with the non-null ``organisation`` key.
* ``attach_membership`` + ``ActiveOrganisationMiddleware``: the active organisation of a
  request comes from the user's active membership, chosen once per request, only ever by the
  user's own choice (session, else remembered on the user, else their only membership).
  The same code sets the database's row-level security settings for the request's
  transaction (``ipvb.rls``): the user (their own memberships) and the active organisation.
  Nothing a request sends sets them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from django.db import connection, models, transaction
from django.db.models.sql.where import AND, WhereNode

from . import rls
from .db_batch import BatchTemplate

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .http import TenantRequest
    from .models import Membership, Organisation

SESSION_KEY = "ipvb_active_organisation"


class UnscopedQueryError(RuntimeError):
    """A tenant model was queried without restricting it to one organisation."""


def _where_restricts_organisation(node: WhereNode, base_alias: str | None) -> bool:
    if node.negated or node.connector != AND:
        return False
    for child in node.children:
        if isinstance(child, WhereNode):
            if _where_restricts_organisation(child, base_alias):
                return True
            continue
        lhs = getattr(child, "lhs", None)
        target = getattr(lhs, "target", None)
        if (
            target is not None
            and target.column == "organisation_id"
            and getattr(lhs, "alias", None) == base_alias
            and getattr(child, "lookup_name", None) == "exact"
        ):
            return True
    return False


class TenantQuerySet(models.QuerySet):
    _tenant_scoped = False

    def _clone(self) -> TenantQuerySet:
        clone = super()._clone()  # type: ignore[misc]  # private QuerySet API, not in django-stubs
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def for_organisation(self, organisation: Organisation | int | None) -> TenantQuerySet:
        if organisation is None:
            raise UnscopedQueryError("for_organisation() needs an organisation, got None.")
        qs = self.filter(organisation=organisation)
        qs._tenant_scoped = True
        return qs

    def none(self) -> TenantQuerySet:
        qs = super().none()
        qs._tenant_scoped = True
        return qs

    def dangerously_unscoped(self) -> TenantQuerySet:
        """All organisations at once. Only for reporting aggregates; stands out in review."""
        qs = self._chain()  # type: ignore[attr-defined]  # private QuerySet API, not in django-stubs
        qs._tenant_scoped = True
        # The database wall opens too, for the rest of this transaction (the request).
        rls.allow_cross_organisation()
        return qs

    def is_scoped(self) -> bool:
        hints = self._hints  # type: ignore[attr-defined]  # private QuerySet API, not in django-stubs
        if self._tenant_scoped or hints.get("instance") is not None:
            return True
        return _where_restricts_organisation(self.query.where, self.query.base_table)

    def _check_scope(self) -> None:
        if not self.is_scoped():
            raise UnscopedQueryError(
                f"Query on {self.model.__name__} is not scoped to an organisation; use "
                ".for_organisation(organisation)."
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self) -> int:
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        self._check_scope()
        return super().iterator(chunk_size=chunk_size)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]  # django-stubs cannot type a from_queryset() base
    pass


class TenantModel(models.Model):
    organisation = models.ForeignKey(
        "ipvb.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = TenantManager()

    class Meta:
        abstract = True


def is_tenant_model(model: type[models.Model]) -> bool:
    return isinstance(getattr(model, "_default_manager", None), TenantManager)


def active_memberships(user: Any) -> list[Membership]:
    """A user's active memberships of active organisations, by organisation name. Platform
    staff have none: they never act inside an organisation."""
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return []
    if connection.vendor != "postgresql":
        return list(_memberships_of(user.pk))
    # Every request of every user runs this query: built and compiled by the ORM once per
    # process (``ipvb.db_batch.BatchTemplate``), not on every request (2.9 of a bare request's
    # 6-8 ms of CPU on a slow machine, issue 16); row-level security still admits only the
    # user's own memberships (``ipvb.user``, set just before). The department ids come with
    # the membership (``Membership.department_ids``), so a care professional's or team
    # leader's request makes no query of its own for them.
    rows = _MEMBERSHIPS.fetch(None, user=user.pk)[0]
    for membership in rows:
        membership._department_ids = list(membership._department_id_list)
    return rows


def _memberships_of(user: int) -> Any:
    from .models import Membership

    return (
        Membership.objects.for_user(user)
        .filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _memberships_with_departments(_shape: Any, *, user: int) -> list[Any]:
    from django.contrib.postgres.expressions import ArraySubquery
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import BigIntegerField, OuterRef

    from .models import Membership

    department_ids = (
        Membership.departments.through.objects.filter(membership=OuterRef("pk"))
        .order_by("department_id")
        .values("department_id")
    )
    return [
        _memberships_of(user).annotate(
            _department_id_list=ArraySubquery(department_ids, output_field=ArrayField(BigIntegerField()))
        )
    ]


_MEMBERSHIPS = BatchTemplate(_memberships_with_departments)


def choose_membership(
    request: HttpRequest, memberships: list[Membership], user: Any = None
) -> Membership | None:
    """The user's own choice, never anyone else's: the organisation chosen in this session
    (the switcher), else the one the user last chose (``User.last_organisation``), else the
    only membership. With several memberships and no choice: None (the caller asks)."""
    session = getattr(request, "session", None)
    wanted = [session.get(SESSION_KEY) if session is not None else None]
    wanted.append(getattr(user, "last_organisation_id", None))
    for organisation_id in wanted:
        if organisation_id is None:
            continue
        for membership in memberships:
            if membership.organisation_id == organisation_id:
                return membership
    return memberships[0] if len(memberships) == 1 else None


def attach_membership(request: HttpRequest, user: Any) -> None:
    """Resolves the active membership once (one query) and keeps the list for the switcher.
    ``request.membership_choice_needed`` tells that the user has several memberships and has
    not chosen one yet (web pages then ask; the API refuses with a clear message)."""
    if rls.enabled():
        # A fresh start for the transaction's settings (one round trip): the user whose own
        # memberships the next query may read, and nothing else.
        rls.reset_for_request(
            user_id=getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
        )
    memberships = active_memberships(user)
    membership = choose_membership(request, memberships, user)
    tenant_request = cast("TenantRequest", request)
    tenant_request.memberships = memberships
    tenant_request.membership = membership
    tenant_request.organisation = membership.organisation if membership else None
    tenant_request.membership_choice_needed = membership is None and len(memberships) > 1
    tenant_request.tenancy_user_id = getattr(user, "pk", None)
    if rls.enabled():
        rls.set_organisation(tenant_request.organisation)


# Pages a user with several memberships and no choice yet may still open (to choose, to
# answer an invitation, to log out); every other web page redirects to the choose page.
CHOICE_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/media/",
    "/healthz",
    "/readyz",
    "/i18n/",
    "/api/",
    "/beheer/",
)
CHOICE_EXEMPT_URL_NAMES = frozenset(
    {
        "organisation_choose",
        "organisation_switch",
        "invitation_list",
        "invitation_accept",
        "invitation_decline",
    }
)


def _redirect_to_choice(request: HttpRequest) -> Any:
    from django.shortcuts import redirect
    from django.urls import Resolver404, resolve, reverse
    from django.utils.http import urlencode

    if not getattr(request, "membership_choice_needed", False) or request.path.startswith(
        CHOICE_EXEMPT_PREFIXES
    ):
        return None
    try:
        name = resolve(request.path_info).url_name
    except Resolver404:
        return None
    if name in CHOICE_EXEMPT_URL_NAMES:
        return None
    return redirect(f"{reverse('organisation_choose')}?{urlencode({'next': request.get_full_path()})}")


class ActiveOrganisationMiddleware:
    """Resolves the active organisation once per request (after authentication); asks a user
    with several memberships who has not chosen yet."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if not rls.enabled():
            attach_membership(request, request.user)
            return _redirect_to_choice(request) or self.get_response(request)
        # The request runs in one transaction (the view's ATOMIC_REQUESTS block nests in it), so
        # the row-level security settings (set_config(..., true)) hold for all of it and end
        # with it; the previous values come back afterwards (in tests the request runs inside
        # the test's transaction).
        # Outside any transaction (production: every request) the settings end with the commit,
        # so there is nothing to read beforehand and restore afterwards (two round trips less).
        nested = connection.in_atomic_block
        with transaction.atomic():
            previous = rls.current() if nested else None
            attach_membership(request, request.user)
            response = _redirect_to_choice(request) or self.get_response(request)
            if previous is not None and not connection.needs_rollback:
                rls.restore(previous)
        return response
