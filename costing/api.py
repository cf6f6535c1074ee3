"""/api/v1/ for costing: tariffs (read), staff levels, cost-price models with levels and their
computed rates (financial writes), organisation year settings, group-bound care (read) and
the weekly budget of a client."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clients.models import Client
from clients.selectors import clients_for
from ipvb.api.base import TenantAPIView, TenantReadOnlyViewSet, TenantViewSet
from ipvb.api.permissions import IsTenantMember
from ipvb.api.query import CareDateField, query_params
from ipvb.http import MemberAPIRequest
from ipvb.mfa import MFAEnrolled
from ipvb.models import User
from ipvb.roles import Role

from . import cost_models, services
from .budget import budget_for_client
from .models import CostPriceModel, GroupCare, ModelLevel, OrganisationYearSettings, StaffLevel, Tariff
from .roles import CLIENT_READ, FIN, GROUP_READ, READ
from .serializers import (
    BudgetSerializer,
    CostPriceModelSerializer,
    GroupCareSerializer,
    ModelLevelSerializer,
    NewVersionSerializer,
    StaffLevelSerializer,
    TariffSerializer,
    YearSettingsSerializer,
)


def _user(request: Request) -> User:
    return cast(MemberAPIRequest, request).user


class TariffViewSet(viewsets.ReadOnlyModelViewSet):
    """National tariff table (not tenant data): every member may read it."""

    queryset = Tariff.objects.select_related("source_import").order_by(
        "-year", "care_profile", "with_treatment", "with_day_activities"
    )
    serializer_class = TariffSerializer
    permission_classes = [permissions.IsAuthenticated, MFAEnrolled, IsTenantMember]
    filterset_fields = ["year", "care_profile", "with_treatment", "with_day_activities"]
    ordering_fields = ["year", "care_profile"]


class StaffLevelViewSet(TenantViewSet):
    queryset = StaffLevel.objects.none()
    serializer_class = StaffLevelSerializer
    read_roles = READ
    write_roles = FIN
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["order", "name"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        level = services.staff_level_save(organisation=self.organisation, **serializer.validated_data)
        return Response(self.get_serializer(level).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        level = self.get_object()
        serializer = self.get_serializer(level, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"code": level.code, "name": level.name, "order": level.order, **serializer.validated_data}
        level = services.staff_level_save(organisation=self.organisation, level=level, **data)
        return Response(self.get_serializer(level).data)


class CostPriceModelViewSet(TenantViewSet):
    """Versioned cost-price models. A published model is never edited: PATCH answers 400;
    use ``new_version``."""

    queryset = CostPriceModel.objects.none()
    serializer_class = CostPriceModelSerializer
    read_roles = READ
    write_roles = FIN
    filterset_fields = ["year", "status"]
    ordering = ["-year", "-version"]

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.prefetch_related("levels__staff_level")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        model = cost_models.cost_model_create(
            organisation=self.organisation,
            user=_user(request),
            year=data["year"],
            effective_from=data["effective_from"],
            change_note=data.get("change_note", ""),
            inputs={f: data[f] for f in cost_models.MODEL_INPUT_FIELDS},
        )
        return Response(self.get_serializer(model).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        model = self.get_object()
        serializer = self.get_serializer(model, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        model = cost_models.cost_model_update(
            model=model,
            user=_user(request),
            inputs={f: data[f] for f in cost_models.MODEL_INPUT_FIELDS if f in data},
            effective_from=data.get("effective_from"),
            change_note=data.get("change_note"),
        )
        return Response(self.get_serializer(model).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cost_models.cost_model_delete_draft(model=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=CostPriceModelSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        model = cost_models.cost_model_publish(model=self.get_object(), user=_user(request))
        return Response(self.get_serializer(model).data)

    @extend_schema(request=NewVersionSerializer, responses=CostPriceModelSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: Any = None) -> Response:
        body = NewVersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        model = cost_models.cost_model_new_version(
            model=self.get_object(), user=_user(request), **body.validated_data
        )
        return Response(self.get_serializer(model).data, status=status.HTTP_201_CREATED)


class ModelLevelViewSet(TenantViewSet):
    queryset = ModelLevel.objects.none()
    serializer_class = ModelLevelSerializer
    read_roles = READ
    write_roles = FIN
    filterset_fields = ["model", "staff_level"]
    ordering = ["model", "staff_level__order"]

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("model", "staff_level")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        row = cost_models.cost_model_level_set(
            model=data.pop("model"), user=_user(request), staff_level=data.pop("staff_level"), inputs=data
        )
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        serializer = self.get_serializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {f: getattr(row, f) for f in cost_models.LEVEL_INPUT_FIELDS}
        data.update(
            {k: v for k, v in serializer.validated_data.items() if k in cost_models.LEVEL_INPUT_FIELDS}
        )
        row = cost_models.cost_model_level_set(
            model=row.model, user=_user(request), staff_level=row.staff_level, inputs=data
        )
        return Response(self.get_serializer(row).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        cost_models.cost_model_level_remove(model=row.model, user=_user(request), staff_level=row.staff_level)
        return Response(status=status.HTTP_204_NO_CONTENT)


class YearSettingsViewSet(TenantViewSet):
    queryset = OrganisationYearSettings.objects.none()
    serializer_class = YearSettingsSerializer
    read_roles = READ
    write_roles = FIN
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["year"]
    ordering = ["-year"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        settings = services.year_settings_save(
            organisation=self.organisation, user=_user(request), year=data.pop("year"), values=data
        )
        return Response(self.get_serializer(settings).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        settings = self.get_object()
        serializer = self.get_serializer(settings, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        settings = services.year_settings_save(
            organisation=self.organisation,
            user=_user(request),
            year=data.pop("year", settings.year),
            values=data,
            settings=settings,
        )
        return Response(self.get_serializer(settings).data)


class GroupCareViewSet(TenantReadOnlyViewSet):
    queryset = GroupCare.objects.none()
    serializer_class = GroupCareSerializer
    read_roles = GROUP_READ
    filterset_fields = ["department", "year", "staff_level"]
    ordering = ["department", "-year"]

    def restrict_queryset(self, queryset: Any) -> Any:
        membership = self.membership
        if membership.has_role(Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN):
            return queryset
        return queryset.filter(department__in=membership.department_ids())


class BudgetQuerySerializer(serializers.Serializer):
    """The query string of the budget: its date (default today)."""

    date = CareDateField(required=False, error_messages={"invalid": _lazy("Geef de datum als JJJJ-MM-DD.")})


class ClientBudgetView(TenantAPIView):
    """The weekly budget of a client on a date (default: today)."""

    queryset = Client.objects.none()
    serializer_class = BudgetSerializer
    read_roles = CLIENT_READ
    access_log_client = "self"

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.filter(pk__in=clients_for(membership=self.membership).values("pk"))

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD; default today")],
        responses=BudgetSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        client = self.get_object()
        on_date = query_params(BudgetQuerySerializer, request).get("date") or timezone.localdate()
        budget = budget_for_client(client=client, on_date=on_date)
        data = {
            "client": client.pk,
            "date": on_date,
            "care_revenue": budget.care_revenue,
            "hotel_deduction": budget.hotel_deduction,
            "group_share": budget.group_share,
            "personal_budget": budget.personal_budget,
            "raw_budget": budget.raw_budget,
            "hours_at_reference": budget.hours_at_reference,
            "reference_level": budget.reference_level.pk if budget.reference_level else None,
            "tariff": budget.tariff.pk if budget.tariff else None,
            "model": budget.model.pk if budget.model else None,
            "indication": budget.indication.pk if budget.indication else None,
            "missing": budget.missing,
            "warnings": budget.warnings,
        }
        return Response(BudgetSerializer(data).data)
