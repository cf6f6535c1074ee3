"""The base API views. They own queryset and object lookup (always within the active
organisation), role checks, and setting the organisation on create. Subclasses narrow with
``restrict_queryset`` and never override ``get_queryset``/``get_object``."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.relations import PKOnlyObject
from rest_framework.validators import UniqueForDateValidator, UniqueTogetherValidator, UniqueValidator

from .. import accesslog, rls
from ..forms import TEXT_MAX, text_limit_message
from ..http import MemberAPIRequest
from ..mfa import MFAEnrolled
from ..tenancy import is_tenant_model
from .permissions import HasViewRole, IsTenantMember

if TYPE_CHECKING:
    from ..models import Membership, Organisation

PROTECTED_METHODS = ("get_queryset", "get_object")


class TenantAPIMixin:
    request: Any  # the APIView's Request (the mixin is always combined with an APIView)
    permission_classes: Sequence[Any] = [
        permissions.IsAuthenticated,
        MFAEnrolled,
        IsTenantMember,
        HasViewRole,
    ]
    read_roles: ClassVar[frozenset[str] | None] = None
    write_roles: ClassVar[frozenset[str] | None] = frozenset()
    action_roles: ClassVar[dict[str, frozenset[str]]] = {}
    # Client data: the path from the object to its Client ("self" for a Client), see
    # ipvb.accesslog; custom @action names map to a log action in access_log_actions.
    access_log_client: ClassVar[str | None] = None
    access_log_actions: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            for name in PROTECTED_METHODS:
                if name in cls.__dict__:
                    raise ImproperlyConfigured(
                        f"{cls.__name__} overrides {name}(); narrow scope with restrict_queryset()."
                    )

    @property
    def organisation(self) -> Organisation:
        return cast(MemberAPIRequest, self.request)._request.organisation

    @property
    def membership(self) -> Membership:
        return cast(MemberAPIRequest, self.request)._request.membership

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_queryset(self) -> QuerySet:
        model = self.queryset.model  # type: ignore[attr-defined]  # the view's class attribute
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        base = model.objects.for_organisation(self.organisation)
        return self.restrict_queryset(base).filter(organisation=self.organisation)

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # An organisation-wide list is planned for its organisation (rls.plan_each_statement).
        rls.plan_each_statement()
        return super().list(request, *args, **kwargs)  # type: ignore[misc]  # the DRF viewset's

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]  # the DRF view's, after this mixin
        self.remember_for_access_log(obj)
        return obj

    def remember_for_access_log(self, obj: Any) -> None:
        """The object this request concerns (the access log takes its id and client)."""
        if self.access_log_client is not None and obj is not None:
            self._access_log_object = obj
            self._access_log_object_id = obj.pk
            self._access_log_client = accesslog.resolve_client(obj, self.access_log_client)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]  # the DRF view's
        if self.access_log_client is not None:
            accesslog.log_api(self, request, response)
        return response

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]  # the DRF view's, after this mixin
        schema_only = getattr(self, "swagger_fake_view", False)
        context["organisation"] = None if schema_only else self.organisation
        context["membership"] = None if schema_only else self.membership
        return context

    def perform_create(self, serializer: Any) -> None:
        serializer.save(organisation=self.organisation)
        self.remember_for_access_log(serializer.instance)


class ServiceWriteMixin(TenantAPIMixin):
    # Create and update through the app's services: the serializer parses the body, the service
    # checks and saves; a ValidationError of the service answers 400 through
    # ipvb.api.exceptions (no try/except here). The answer is the serializer's view of what the
    # service returned. Put it before the viewset class: class X(ServiceWriteMixin, TenantViewSet).
    # (A comment, not the docstring: drf-spectacular copies docstrings into the schema.)

    def create_object(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError(f"{type(self).__name__} creates through a service: define create_object()")

    def update_object(self, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError(f"{type(self).__name__} updates through a service: define update_object()")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.create_object(dict(serializer.validated_data))
        self.remember_for_access_log(serializer.instance)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self.update_object(serializer.instance, dict(serializer.validated_data))


class TenantViewSet(TenantAPIMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


class TenantReadOnlyViewSet(TenantAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantGenericViewSet(TenantAPIMixin, viewsets.GenericViewSet):
    pass


class TenantAPIView(TenantAPIMixin, GenericAPIView):
    pass


def _scoped(queryset: QuerySet, organisation: Organisation | None) -> QuerySet:
    model = queryset.model
    if not is_tenant_model(model):
        return queryset
    return model.objects.for_organisation(organisation) if organisation is not None else model.objects.none()


def _unique_message(model: Any, names: list[str]) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name)
    return _("Er bestaat in deze organisatie al een %(model)s met dezelfde %(fields)s.") % {
        "model": model._meta.verbose_name,
        "fields": ", ".join(labels),
    }


def _scoped_validator(validator: Any, organisation: Organisation | None) -> Any:
    """A copy of a DRF uniqueness validator that queries the organisation's rows only (a copy:
    declared validators are shared between requests)."""
    if not isinstance(validator, UniqueValidator | UniqueTogetherValidator | UniqueForDateValidator):
        return validator
    scoped = copy.copy(validator)
    scoped.queryset = _scoped(validator.queryset, organisation)
    if (
        isinstance(validator, UniqueTogetherValidator)
        and validator.message == UniqueTogetherValidator.message
    ):
        scoped.message = _unique_message(validator.queryset.model, list(validator.fields))
    if isinstance(validator, UniqueValidator) and validator.message == UniqueValidator.message:
        scoped.message = _("Deze waarde bestaat al in deze organisatie.")
    return scoped


class OrganisationUniqueTogetherValidator(UniqueTogetherValidator):
    """A unique constraint that includes ``organisation`` (which is never a serializer field: the
    view sets it). Runs on the organisation's rows only; a field left out of a create is not
    forced to be required here (its model default applies; the database constraint still holds).
    With one field besides ``organisation`` the error is reported on that field."""

    def __call__(self, attrs: Any, serializer: Any) -> None:
        names: tuple[str, ...] = tuple(self.fields)
        condition_names: tuple[str, ...] = tuple(getattr(self, "condition_fields", ()))
        if serializer.instance is None and any(
            serializer.fields[name].source not in attrs for name in (*names, *condition_names)
        ):
            return
        try:
            super().__call__(attrs, serializer)
        except serializers.ValidationError as exc:
            if len(names) == 1:  # unique per organisation: the error belongs to that field
                raise serializers.ValidationError({names[0]: exc.detail}, code=self.code) from exc
            raise


class TenantModelSerializer(serializers.ModelSerializer):
    """Every related field of a tenant model only accepts objects of the active organisation;
    another organisation's id gets the same answer as one that does not exist."""

    # Every uniqueness validator runs on the organisation's own rows (the default manager of a
    # tenant model refuses an unscoped query), and the unique constraints that include
    # ``organisation`` are checked too, so a duplicate answers 400 with a clear message.
    # (A comment, not the docstring: drf-spectacular copies docstrings into the schema.)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        organisation = self.context.get("organisation")
        for field in fields.values():
            relation: Any = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and is_tenant_model(queryset.model):
                relation.queryset = _scoped(queryset, organisation)
            validators = getattr(field, "validators", None)
            if validators and any(isinstance(v, UniqueValidator) for v in validators):
                field.validators = [_scoped_validator(v, organisation) for v in validators]
            if type(field) is serializers.CharField and field.max_length is None and not field.read_only:
                # The same maximum for free text as the web forms (ipvb.forms.limit_text_fields).
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX, message=text_limit_message(TEXT_MAX)))
        return fields

    def get_validators(self) -> list[Any]:
        validators = list(super().get_validators())
        organisation = self.context.get("organisation")
        validators = [_scoped_validator(v, organisation) for v in validators]
        if is_tenant_model(self.Meta.model):
            validators.extend(self.get_organisation_unique_validators(organisation))
        return validators

    def get_organisation_unique_validators(self, organisation: Organisation | None) -> list[Any]:
        """Validators for the unique constraints of the model that include ``organisation``,
        over their other fields, when the serializer writes all of them."""
        sources = {
            field.source: name
            for name, field in self.fields.items()
            if not field.read_only and field.source and field.source != "*" and "." not in field.source
        }
        validators = []
        model: Any = self.Meta.model
        this: Any = self  # DRF private helpers the stubs do not know
        for (
            together,
            _queryset,
            condition_fields,
            condition,
            nulls_distinct,
            constraint,
        ) in this.get_unique_together_constraints(model):
            if "organisation" not in together or "organisation" in condition_fields:
                continue
            rest = [name for name in together if name != "organisation"]
            if not rest or not set(sources).issuperset({*rest, *condition_fields}):
                continue
            validators.append(
                OrganisationUniqueTogetherValidator(
                    queryset=_scoped(model._default_manager.all(), organisation),
                    fields=tuple(sources[name] for name in rest),
                    condition_fields=tuple(sources[name] for name in condition_fields),
                    condition=condition,
                    message=this._get_constraint_violation_error_message(constraint)
                    or _unique_message(model, rest),
                    code=getattr(constraint, "violation_error_code", None),
                    nulls_distinct=nulls_distinct,
                )
            )
        return validators


__all__ = [
    "ServiceWriteMixin",
    "TenantAPIView",
    "TenantGenericViewSet",
    "TenantModelSerializer",
    "TenantReadOnlyViewSet",
    "TenantViewSet",
    "mixins",
]


# A serializer's ``to_representation`` in one loop over a plan made once per serializer (so
# once per list page): each readable field's name, source and ``to_representation``. The same
# output as DRF's loop for fields that read one attribute of the row (or the row itself,
# ``source="*"``, the method fields), without its per-field attribute lookup, which cost a third
# of a 50-row page (issue 16). No docstring: the OpenAPI schema describes a serializer by the
# first docstring of its classes.
class FlatRowMixin:
    _readable_fields: Any

    def to_representation(self, instance: Any) -> dict[str, Any]:
        plan: list[tuple[str, str, Any]] | None = self.__dict__.get("_row_plan")
        if plan is None:
            plan = self._row_plan = [
                (str(field.field_name), str(field.source), field.to_representation)
                for field in self._readable_fields
            ]
        row: dict[str, Any] = {}
        for name, source, represent in plan:
            value = instance if source == "*" else getattr(instance, source)
            row[name] = None if value is None else represent(value)
        return row


def linked_ids(model: Any, name: str, ids: list[int]) -> dict[int, list[int]]:
    """The ids of the objects linked through the many-to-many field ``name`` of ``model`` to
    each of the rows ``ids``, read from the link table in one query without a model instance
    per linked object, in the related model's ordering (the order ``.all()`` gives, as DRF's
    related field shows them): for a list page (issue 16)."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    related = field.related_model
    order = [f"{target}__{ordering}" for ordering in related._meta.ordering or ()]
    found: dict[int, list[int]] = {}
    for row_id, related_id in (
        through.objects.filter(**{f"{source}_id__in": ids})
        .order_by(*order)
        .values_list(f"{source}_id", f"{target}_id")
    ):
        found.setdefault(row_id, []).append(related_id)
    return found


class LinkedIdsListSerializer(serializers.ListSerializer):
    """A page of rows whose many-to-many fields named in the child's ``Meta.linked_ids`` show
    their ids: read for the whole page by ``linked_ids`` (one query per field, not a prefetch
    of every linked object), kept in the shared context for ``LinkedIdsMixin``."""

    def to_representation(self, data: Any) -> list[Any]:
        rows = list(data.all() if hasattr(data, "all") else data)
        child: Any = self.child
        ids = [row.pk for row in rows]
        page = {name: linked_ids(child.Meta.model, name, ids) for name in child.Meta.linked_ids}
        cast(dict[str, Any], self.context)[LINKED_IDS] = page  # the context the page's rows share
        return super().to_representation(rows)


LINKED_IDS = "_linked_ids"


# The row of a ``LinkedIdsListSerializer`` page: DRF's own loop over the readable fields, the
# linked ids taken from the page's query instead of one query (or prefetch) per row. Outside
# such a page (a detail, a write's answer) DRF's representation is unchanged. No docstring: the
# OpenAPI schema describes a serializer by the first docstring of its classes.
class LinkedIdsMixin:
    context: Any
    _readable_fields: Any

    def to_representation(self, instance: Any) -> dict[str, Any]:
        page: dict[str, dict[int, list[int]]] | None = self.context.get(LINKED_IDS)
        if page is None:
            return super().to_representation(instance)  # type: ignore[misc]  # the serializer's, after this mixin
        row: dict[str, Any] = {}
        for field in self._readable_fields:
            name = field.field_name
            if name in page:
                row[name] = list(page[name].get(instance.pk, ()))
                continue
            attribute = field.get_attribute(instance)
            empty = (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None
            row[name] = None if empty else field.to_representation(attribute)
        return row
