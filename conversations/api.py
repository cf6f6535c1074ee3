"""API of conversations and packages: /api/v1/conversations/, /api/v1/packages/,
/api/v1/package-lines/. Role rules as in the UI; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clients.visibility import VisibleThroughClientMixin
from ipvb import accesslog
from ipvb.api.base import TenantModelSerializer, TenantViewSet
from ipvb.concurrency import parse_version
from ipvb.roles import Role

from . import selectors, services
from .models import Conversation, Package, PackageLine

VERSION_REQUIRED = _lazy("Stuur de versie (lock_version) van het pakket mee die u het laatst hebt gelezen.")
VERSION_HELP = "Required: the package's lock_version as last read (missing: 400; stale: 409)."

READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})  # no org admin: see views.WRITERS
LEADERS = frozenset({Role.TEAM_LEADER})


class ConversationSerializer(TenantModelSerializer):
    class Meta:
        model = Conversation
        fields = [
            "id",
            "client",
            "held_at",
            "kind",
            "client_present",
            "contact_persons",
            "professionals",
            "wishes",
            "assessment",
            "agreements",
            "outcome",
            "outcome_reason",
            "next_review_date",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]
        extra_kwargs = {"professionals": {"required": False}, "contact_persons": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["client"].read_only = True
        return fields


class VisibleClientAPIMixin(VisibleThroughClientMixin):
    def visible_client(self, client: Any) -> Any:
        from clients.selectors import clients_for

        if not clients_for(membership=self.membership).filter(pk=client.pk).exists():  # type: ignore[attr-defined]
            raise serializers.ValidationError({"client": ["Ongeldige pk - object bestaat niet."]})
        return client


class ConversationViewSet(VisibleClientAPIMixin, TenantViewSet):
    queryset = Conversation.objects.none()
    serializer_class = ConversationSerializer
    read_roles = READERS
    write_roles = WRITERS
    access_log_client = "client"
    filterset_fields = ["client", "kind", "status", "outcome"]
    ordering = ["-held_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def restrict_queryset(self, queryset: Any) -> Any:
        from django.contrib.auth import get_user_model

        from clients.models import ContactPerson

        # The related ids of a whole page in two queries, not two per row.
        return (
            super()
            .restrict_queryset(queryset)
            .defer("client__bsn")  # not shown: no decryption per row
            .prefetch_related(
                Prefetch(
                    "contact_persons",
                    queryset=ContactPerson.objects.for_organisation(self.organisation).only("pk"),
                ),
                Prefetch("professionals", queryset=get_user_model().objects.only("pk")),
            )
        )

    def _save(self, serializer: Any, conversation: Conversation | None) -> Conversation:
        data = dict(serializer.validated_data)
        client = conversation.client if conversation else self.visible_client(data.pop("client"))
        data.pop("client", None)
        contacts = data.pop("contact_persons", None)
        professionals = data.pop("professionals", None)
        return services.conversation_save(
            conversation=conversation,
            client=client,
            by=self.request.user,
            data=data,
            contact_persons=contacts
            if contacts is not None
            else (list(conversation.contact_persons.all()) if conversation else []),
            professionals=professionals
            if professionals is not None
            else (list(conversation.professionals.all()) if conversation else []),
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self._save(serializer, None)
        self.remember_for_access_log(serializer.instance)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self._save(serializer, serializer.instance)


class PackageLineSerializer(TenantModelSerializer):
    cost_per_week = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    monthly_cost = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    version = serializers.IntegerField(
        write_only=True,
        required=True,
        error_messages={"required": VERSION_REQUIRED},
        help_text="Required on every write: the package's lock_version as last read (missing: 400; stale: 409).",
    )

    class Meta:
        model = PackageLine
        fields = [
            "id",
            "activity",
            "addon_item",
            "minutes",
            "occurrences_per_week",
            "staff_level",
            "quantity_per_month",
            "funding",
            "wanted",
            "necessary",
            "wlz_eligible",
            "note",
            "cost_per_week",
            "monthly_cost",
            "version",
        ]


class TotalsSerializer(serializers.Serializer):
    personal_budget = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    utilisation_pct = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    private_per_month = serializers.DecimalField(max_digits=12, decimal_places=2)
    latitude = serializers.CharField()


class PackageListSerializer(serializers.ListSerializer):
    """Prices a whole page of packages at once (a constant number of queries per page)."""

    def to_representation(self, data: Any) -> list[Any]:
        packages = list(data.all() if hasattr(data, "all") else data)
        organisation = self.context.get("organisation")
        if packages and organisation is not None:
            cache = self.context.setdefault("_pricing", {})
            todo = [package for package in packages if package.pk not in cache]
            if todo:
                cache.update(selectors.price_packages(packages=todo, organisation=organisation))
        return super().to_representation(packages)


class PackageSerializer(TenantModelSerializer):
    lines = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = [
            "id",
            "client",
            "version",
            "status",
            "start_date",
            "end_date",
            "conversation",
            "overrun_reason",
            "review_date",
            "agreed_by",
            "agreed_at",
            "approved_by",
            "approved_at",
            "sent_back_reason",
            "lock_version",
            "lines",
            "totals",
        ]
        read_only_fields = [f for f in fields if f != "client"]
        list_serializer_class = PackageListSerializer

    def _pricing(self, package: Package) -> selectors.PackagePricing:
        cache = self.context.setdefault("_pricing", {})
        if package.pk not in cache:
            cache[package.pk] = selectors.price_package(package=package, lines=list(package.lines.all()))
        return cache[package.pk]

    def get_lines(self, package: Package) -> list[dict[str, Any]]:
        rows = []
        # One line serializer for every line of the page: its fields (and their scoped
        # querysets) are built once, not per line.
        line_serializer = self.context.get("_line_serializer")
        if line_serializer is None:
            line_serializer = self.context["_line_serializer"] = PackageLineSerializer(context=self.context)
        for priced in self._pricing(package).lines:
            data = line_serializer.to_representation(priced.line)
            data["cost_per_week"] = None if priced.cost_per_week is None else str(priced.cost_per_week)
            data["monthly_cost"] = None if priced.monthly_cost is None else str(priced.monthly_cost)
            rows.append(data)
        return rows

    def get_totals(self, package: Package) -> dict[str, Any]:
        pricing = self._pricing(package)
        totals = pricing.totals
        return {
            "personal_budget": str(totals.budget),
            "total": str(totals.total),
            "balance": str(totals.balance),
            "utilisation_pct": None if totals.utilisation_pct is None else str(totals.utilisation_pct),
            "private_per_month": str(totals.private_per_month),
            "latitude": pricing.latitude.value,
        }


class PackageStartSerializer(TenantModelSerializer):
    """The body of "start a draft": only the client. No uniqueness validator: a client who already
    has an open package gets that package back (200), not an error."""

    class Meta:
        model = Package
        fields = ["client"]
        validators: list[Any] = []


class AgreeSerializer(TenantModelSerializer):
    version = serializers.IntegerField(
        required=True, error_messages={"required": VERSION_REQUIRED}, help_text=VERSION_HELP
    )

    class Meta:
        model = Package
        fields = ["conversation", "start_date", "review_date", "overrun_reason", "version"]
        extra_kwargs = {"start_date": {"required": False}, "conversation": {"required": True}}


class DecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=True, error_messages={"required": VERSION_REQUIRED}, help_text=VERSION_HELP
    )
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class PackageViewSet(VisibleClientAPIMixin, TenantViewSet):
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

    def restrict_queryset(self, queryset: Any) -> Any:
        lines = (
            PackageLine.objects.for_organisation(self.organisation)
            .select_related("activity", "activity__default_level", "addon_item", "staff_level")
            .order_by("position", "pk")
        )
        return (
            super()
            .restrict_queryset(queryset)
            .select_related("client", "client__organisation", "client__department")
            .defer("client__bsn")  # not shown: no decryption per row
            .prefetch_related(Prefetch("lines", queryset=lines))
        )

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
        package, created = services.package_draft_get_or_start(client=client, by=request.user)
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
        services.package_line_add(
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
        package = services.package_agree(
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
        package = services.package_approve(
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
        package = services.package_send_back(
            package=package,
            membership=self.membership,
            expected_version=serializer.validated_data["version"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(package).data)


class PackageLineViewSet(VisibleClientAPIMixin, TenantViewSet):
    """Change or remove one line of a draft; send the package's ``version`` you last read."""

    queryset = PackageLine.objects.none()
    serializer_class = PackageLineSerializer
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

    def restrict_queryset(self, queryset: Any) -> Any:
        return (
            super()
            .restrict_queryset(queryset)
            .select_related("package", "activity", "staff_level")
            .defer("package__client__bsn")  # not shown: no decryption per row
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        data.pop("activity", None)
        data.pop("addon_item", None)
        line = services.package_line_update(
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
        services.package_line_remove(
            line=line, expected_version=parse_version(request.query_params.get("version"))
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
