"""API of conversations and packages: /api/v1/conversations/, /api/v1/packages/,
/api/v1/package-lines/. Role rules as in the UI; writes go through the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clients.visibility import VisibleThroughClientMixin
from ipvb import accesslog
from ipvb.api.base import ServiceWriteMixin, TenantViewSet
from ipvb.api.pagination import BoundedCountPagination
from ipvb.concurrency import parse_version
from ipvb.http import MemberAPIRequest

from . import approvals, packages, services
from .models import Conversation, Package, PackageLine
from .roles import LEADERS, READERS, WRITERS
from .serializers import (
    VERSION_HELP,
    AgreeSerializer,
    ConversationSerializer,
    DecisionSerializer,
    PackageLineSerializer,
    PackageSerializer,
    PackageStartSerializer,
)
from .services import ConversationData

if TYPE_CHECKING:
    from clients.models import Client


class VisibleClientViewSet(VisibleThroughClientMixin, TenantViewSet):
    # Records that hang off a client: only clients this member may see. (A comment, not a
    # docstring: the schema would show it as every subclass's description.)

    def visible_client(self, client: Client) -> Client:
        from clients.selectors import clients_for

        if not clients_for(membership=self.membership).filter(pk=client.pk).exists():
            raise serializers.ValidationError({"client": ["Ongeldige pk - object bestaat niet."]})
        return client


class ConversationViewSet(ServiceWriteMixin, VisibleClientViewSet):
    queryset = Conversation.objects.none()
    serializer_class = ConversationSerializer
    read_roles = READERS
    write_roles = WRITERS
    access_log_client = "client"
    filterset_fields = ["client", "kind", "status", "outcome"]
    ordering = ["-held_at", "-pk"]  # the key breaks ties: every page the same rows
    http_method_names = ["get", "post", "patch", "head", "options"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        # The contact persons and professionals of a page: their ids in two queries
        # (ipvb.api.base.LinkedIdsListSerializer), not two per row. A row shows its client's
        # id only: no client joined for a list.
        queryset = super().restrict_queryset(queryset)
        if self.action == "list":
            return queryset.select_related(None)
        return queryset.defer("client__bsn")  # not shown: no decryption

    def create_object(self, data: dict[str, Any]) -> Conversation:
        return self._save(data, None)

    def update_object(self, instance: Conversation, data: dict[str, Any]) -> Conversation:
        return self._save(data, instance)

    def _save(self, data: dict[str, Any], conversation: Conversation | None) -> Conversation:
        client = conversation.client if conversation else self.visible_client(data.pop("client"))
        data.pop("client", None)
        contacts = data.pop("contact_persons", None)
        professionals = data.pop("professionals", None)
        return services.conversation_save(
            conversation=conversation,
            client=client,
            by=cast(MemberAPIRequest, self.request).user,
            data=cast(ConversationData, data),  # the serializer's other fields
            contact_persons=contacts
            if contacts is not None
            else (list(conversation.contact_persons.all()) if conversation else []),
            professionals=professionals
            if professionals is not None
            else (list(conversation.professionals.all()) if conversation else []),
        )


class PackageViewSet(VisibleClientViewSet):
    queryset = Package.objects.none()
    serializer_class = PackageSerializer
    read_roles = READERS
    write_roles = WRITERS
    action_roles = {"approve": LEADERS, "send_back": LEADERS}
    access_log_client = "client"
    access_log_actions = {
        "agree": accesslog.UPDATE,
        "approve": accesslog.UPDATE,
        "send_back": accesslog.UPDATE,
        "lines": accesslog.UPDATE,
    }
    filterset_fields = ["client", "status"]
    # By the client's key, not the client's name: ordering on "client" joined the clients and
    # sorted every package of the organisation on every page (issue 16).
    ordering = ["client_id", "-version"]
    http_method_names = ["get", "post", "head", "options"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        # No client joined (the visibility mixin joins it): a row shows only its id, and
        # pricing's clients are loaded for the packages it budgets (with_pricing_inputs).
        queryset = super().restrict_queryset(queryset).select_related(None)
        if self.action == "list":
            # A page reads its lines itself (serializers.price_page): the frozen lines of
            # agreed versions as rows, not model instances (issue 16).
            return queryset
        # The lines alone: their catalogue objects are loaded only for the lines that are priced
        # live (serializers.with_pricing_inputs); an agreed package's prices are frozen on it.
        lines = PackageLine.objects.for_organisation(self.organisation).order_by("position", "pk")
        return queryset.prefetch_related(Prefetch("lines", queryset=lines))

    @extend_schema(
        request=PackageStartSerializer,
        responses={201: PackageSerializer, 200: PackageSerializer},
        description="Opens the client's draft package (a copy of the agreed one): 201. When the "
        "client already has an open package (draft or awaiting approval), returns it: 200.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PackageStartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        client = self.visible_client(serializer.validated_data["client"])
        package, created = packages.package_draft_get_or_start(
            client=client, by=cast(MemberAPIRequest, request).user
        )
        self.remember_for_access_log(package)
        package = self.get_queryset().get(pk=package.pk)
        return Response(
            self.get_serializer(package).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=PackageLineSerializer, responses={201: PackageSerializer})
    @action(detail=True, methods=["post"])
    def lines(self, request: Request, pk: str | None = None) -> Response:
        package = self.get_object()
        serializer = PackageLineSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        packages.package_line_add(
            package=package,
            membership=self.membership,
            expected_version=version,
            **{k: v for k, v in data.items() if k not in {"wlz_eligible"}},
            wlz_eligible=data.get("wlz_eligible"),
        )
        package = self.get_queryset().get(pk=package.pk)
        return Response(self.get_serializer(package).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgreeSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: str | None = None) -> Response:
        package = self.get_object()
        serializer = AgreeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        package = approvals.package_agree(
            package=package,
            membership=self.membership,
            conversation=data.get("conversation"),
            expected_version=data["version"],
            start_date=data.get("start_date"),
            overrun_reason=data.get("overrun_reason", ""),
            review_date=data.get("review_date"),
        )
        return Response(self.get_serializer(package).data)

    @extend_schema(request=DecisionSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        package = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        package = approvals.package_approve(
            package=package,
            membership=self.membership,
            expected_version=serializer.validated_data["version"],
            note=serializer.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(package).data)

    @extend_schema(request=DecisionSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        package = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        package = approvals.package_send_back(
            package=package,
            membership=self.membership,
            expected_version=serializer.validated_data["version"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(package).data)


class PackageLineViewSet(VisibleClientViewSet):
    """Change or remove one line of a draft; send the package's ``version`` you last read.
    The list's ``count`` is exact up to 10,000 lines; a longer list (an organisation of a
    few hundred clients has more) answers 10,000 and ``next`` leads on to its end."""

    queryset = PackageLine.objects.none()
    serializer_class = PackageLineSerializer
    # Counting every line of the organisation on every page read 42,000 rows at 2,000 clients
    # (a sequential scan, a quarter of the page's time): at most 10,001 now (issue 16).
    pagination_class = BoundedCountPagination
    read_roles = READERS
    write_roles = WRITERS
    client_path = "package__client__"
    access_log_client = "package.client"
    http_method_names = ["get", "patch", "delete", "head", "options"]
    filterset_fields = ["package"]
    # Columns of the line table itself: the model's ordering ("package" first) expands to the
    # package's and the client's ordering, which joined and sorted every line of the
    # organisation on every page (issue 16).
    ordering = ["package_id", "position", "pk"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().restrict_queryset(queryset)
        if self.action == "list":
            # A row shows only ids; the access log reads each line's package's client id. No
            # other join and no other column of the package (issue 16).
            line_fields = [field.name for field in PackageLine._meta.concrete_fields]
            return (
                queryset.select_related(None).select_related("package").only(*line_fields, "package__client")
            )
        return queryset.select_related("package", "activity", "staff_level").defer(
            "package__client__bsn"  # not shown: no decryption
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        data.pop("activity", None)
        data.pop("addon_item", None)
        line = packages.package_line_update(
            line=line, membership=self.membership, expected_version=version, **data
        )
        return Response(self.get_serializer(line).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True, description=VERSION_HELP
            )
        ]
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        line = self.get_object()
        packages.package_line_remove(
            line=line, expected_version=parse_version(request.query_params.get("version"))
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
