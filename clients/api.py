"""/api/v1/ clients, contact persons, indications and the access log. Same role and
department rules as the screens; every request with client data is in the access log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ipvb import accesslog
from ipvb.api.base import ServiceWriteMixin, TenantModelSerializer, TenantReadOnlyViewSet, TenantViewSet
from ipvb.api.pagination import BoundedCountPagination
from ipvb.models import AccessLogEntry

from . import services
from .filters import AccessLogFilter, ClientFilter, ContactPersonFilter, IndicationFilter
from .models import Client, ContactPerson, Indication
from .roles import ADMIN, BSN_VIEWERS, LEADERS, READERS, WRITERS
from .selectors import BSN_SEARCH_CRITERIA, clients_with_bsn, profile_in_force, restrict_to_visible
from .visibility import VisibleThroughClientMixin

# Serializers -----------------------------------------------------------------------------


class ClientSerializer(TenantModelSerializer):
    bsn = serializers.CharField(
        write_only=True,
        max_length=12,
        help_text=_("9 cijfers met elfproef; alleen bij aanmaken. Lezen: bsn_masked of /bsn/."),
    )
    bsn_masked = serializers.CharField(source="masked_bsn", read_only=True)
    full_name = serializers.CharField(read_only=True)
    current_profile = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = [
            "id",
            "given_name",
            "name_prefix",
            "family_name",
            "full_name",
            "date_of_birth",
            "bsn",
            "bsn_masked",
            "department",
            "admission_date",
            "discharge_date",
            "discharge_reason",
            "status",
            "wishes",
            "current_profile",
        ]
        read_only_fields = ["discharge_date", "discharge_reason", "status"]

    def get_current_profile(self, obj: Client) -> str | None:
        from .selectors import indication_in_force

        if hasattr(obj, "profile_in_force"):  # annotated by the list (one query per page)
            return obj.profile_in_force or None
        indication = indication_in_force(client=obj, on_date=timezone.localdate())
        return indication.care_profile if indication else None

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            # On update the BSN is corrected through its own field and the department
            # through a move (placements keep the history).
            fields["bsn"].required = False
            fields["department"].read_only = True
        membership = self.context.get("membership")
        if membership is not None and "department" in fields and not fields["department"].read_only:
            from .forms import departments_for

            fields["department"].queryset = departments_for(membership)
        return fields


BSN_IN_URL_MESSAGE = _(
    "Zoeken op BSN kan niet via de URL (die komt in logbestanden terecht). Gebruik "
    'POST /api/v1/clients/bsn-search/ met {"bsn": "..."} in de body.'
)


class BsnSearchSerializer(serializers.Serializer):
    bsn = serializers.CharField(max_length=20, help_text=_("9 cijfers (8 cijfers: er komt een 0 voor)."))


class DischargeSerializer(serializers.Serializer):
    discharge_date = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class OfClientSerializer(TenantModelSerializer):
    # A record of one client: created for a client the user may see; never moved to another.
    # (A comment, not the docstring: drf-spectacular copies docstrings into the schema.)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        membership = self.context.get("membership")
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["client"].read_only = True
        elif membership is not None:
            fields["client"].queryset = restrict_to_visible(fields["client"].queryset, membership=membership)
        return fields


class ContactPersonSerializer(OfClientSerializer):
    class Meta:
        model = ContactPerson
        fields = ["id", "client", "name", "relation", "role", "phone", "email", "takes_part_in_conversations"]


class IndicationSerializer(OfClientSerializer):
    cod163 = serializers.CharField(read_only=True)
    historic_profile = serializers.BooleanField(source="is_historic_profile", read_only=True)

    class Meta:
        model = Indication
        fields = [
            "id",
            "client",
            "decision_number",
            "care_profile",
            "cod163",
            "historic_profile",
            "with_treatment",
            "with_day_activities",
            "grondslag",
            "start_date",
            "end_date",
        ]


class AccessLogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLogEntry
        fields = [
            "id",
            "created_at",
            "user",
            "user_email",
            "roles",
            "client",
            "action",
            "object_type",
            "object_id",
            "channel",
            "method",
            "path",
            "ip_address",
        ]
        read_only_fields = fields


# Viewsets --------------------------------------------------------------------------------


def _list_without_client_rows(view: Any, queryset: QuerySet) -> QuerySet:
    """A list shows the client's id only (``client_id``): no client row joined in, so no BSN is
    decrypted per row (the ordering by client still joins in the database)."""
    return queryset.select_related(None) if view.action == "list" else queryset


class ClientViewSet(ServiceWriteMixin, TenantViewSet):
    queryset = Client.objects.none()
    serializer_class = ClientSerializer
    read_roles = READERS
    write_roles = WRITERS
    action_roles = {"bsn": BSN_VIEWERS, "bsn_search": BSN_VIEWERS, "discharge": LEADERS}
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = ClientFilter
    search_fields: list[str] = []
    ordering_fields = ["family_name", "admission_date", "date_of_birth"]
    ordering = ["family_name", "given_name"]
    access_log_client = accesslog.SELF
    access_log_actions = {"bsn": accesslog.REVEAL_BSN, "discharge": accesslog.UPDATE}

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = restrict_to_visible(queryset, membership=self.membership).annotate(
            profile_in_force=profile_in_force(on_date=timezone.localdate())
        )
        # A list row shows its department's id only: no department joined and built per row.
        return queryset if self.action == "list" else queryset.select_related("department")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if "bsn" in request.query_params:
            # A BSN in a URL ends up in web server and proxy logs: refused, never searched.
            raise drf_exceptions.ValidationError({"bsn": [str(BSN_IN_URL_MESSAGE)]})

    def create_object(self, data: dict[str, Any]) -> Client:
        return services.client_create(
            organisation=self.organisation,
            department=data["department"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            name_prefix=data.get("name_prefix", ""),
            date_of_birth=data["date_of_birth"],
            bsn=data["bsn"],
            admission_date=data["admission_date"],
            wishes=data.get("wishes", ""),
        )

    def update_object(self, instance: Client, data: dict[str, Any]) -> Client:
        fresh = Client.objects.for_organisation(self.organisation).get(pk=instance.pk)
        return services.client_update(
            client=fresh,
            given_name=data.get("given_name", fresh.given_name),
            family_name=data.get("family_name", fresh.family_name),
            name_prefix=data.get("name_prefix"),
            date_of_birth=data.get("date_of_birth", fresh.date_of_birth),
            admission_date=data.get("admission_date", fresh.admission_date),
            wishes=data.get("wishes", fresh.wishes),
            bsn=data.get("bsn") or None,
        )

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "ClientBsn", fields={"id": serializers.IntegerField(), "bsn": serializers.CharField()}
        ),
    )
    @action(detail=True, methods=["get"])
    def bsn(self, request: Request, pk: str | None = None) -> Response:
        """The full BSN (care professionals, team leaders, org admins); every call is logged."""
        client = self.get_object()
        return Response({"id": client.pk, "bsn": client.bsn})

    @extend_schema(
        request=BsnSearchSerializer,
        responses=inline_serializer(
            "ClientBsnSearchResult",
            fields={"count": serializers.IntegerField(), "results": ClientSerializer(many=True)},
        ),
        description=_(
            "Zoeken op een exact BSN in de body van het verzoek (nooit in de URL), voor de rollen die "
            "een BSN mogen zien. De toegangslog legt de zoekopdracht en de gevonden cliënt vast, niet "
            "het nummer."
        ),
    )
    @action(detail=False, methods=["post"], url_path="bsn-search")
    def bsn_search(self, request: Request) -> Response:
        serializer = BsnSearchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = clients_with_bsn(membership=self.membership, bsn=serializer.validated_data["bsn"])
        accesslog.record_many(
            request=request,
            action=accesslog.SEARCH,
            clients=found,
            object_type="clients.Client",
            criteria=BSN_SEARCH_CRITERIA,
            channel=AccessLogEntry.Channel.API,
            keep_empty=True,
        )
        self.access_log_client = None  # type: ignore[misc,assignment]  # logged above; not again in finalize
        data = ClientSerializer(found, many=True, context=self.get_serializer_context()).data
        return Response({"count": len(found), "results": data})

    @extend_schema(request=DischargeSerializer, responses=ClientSerializer)
    @action(detail=True, methods=["post"])
    def discharge(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        serializer = DischargeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.client_discharge(client=client, **serializer.validated_data)
        return Response(self.get_serializer(client).data)


class ContactPersonViewSet(ServiceWriteMixin, VisibleThroughClientMixin, TenantViewSet):
    queryset = ContactPerson.objects.none()
    serializer_class = ContactPersonSerializer
    read_roles = READERS
    write_roles = WRITERS
    filterset_class = ContactPersonFilter
    ordering = ["client", "name"]
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return _list_without_client_rows(self, super().restrict_queryset(queryset))

    def create_object(self, data: dict[str, Any]) -> ContactPerson:
        return services.contact_person_create(**data)

    def update_object(self, instance: ContactPerson, data: dict[str, Any]) -> ContactPerson:
        return services.contact_person_update(contact=instance, **data)

    def perform_destroy(self, instance: ContactPerson) -> None:
        services.contact_person_delete(contact=instance)


class IndicationViewSet(ServiceWriteMixin, VisibleThroughClientMixin, TenantViewSet):
    queryset = Indication.objects.none()
    serializer_class = IndicationSerializer
    read_roles = READERS
    write_roles = WRITERS
    action_roles = {"destroy": LEADERS}
    filterset_class = IndicationFilter
    ordering = ["client", "-start_date"]
    access_log_client = "client"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return _list_without_client_rows(self, super().restrict_queryset(queryset))

    def create_object(self, data: dict[str, Any]) -> Indication:
        return services.indication_create(**data)

    def update_object(self, instance: Indication, data: dict[str, Any]) -> Indication:
        changes = {key: getattr(instance, key) for key in services.INDICATION_FIELDS}
        changes.update(data)
        fresh = Indication.objects.for_organisation(self.organisation).get(pk=instance.pk)
        return services.indication_update(indication=fresh, **changes)

    def perform_destroy(self, instance: Indication) -> None:
        services.indication_delete(indication=instance)


class AccessLogViewSet(TenantReadOnlyViewSet):
    """The access log of the organisation (org admins). Read-only by design. The list's
    ``count`` is exact up to 10,000 entries; a longer log (or selection) answers 10,000 and
    ``next`` leads on to its end."""

    queryset = AccessLogEntry.objects.none()
    serializer_class = AccessLogEntrySerializer
    pagination_class = BoundedCountPagination  # counting a log that only grows: not per page
    read_roles = ADMIN
    access_log_client = "client"  # the entries name clients: reading them is logged too
    filterset_class = AccessLogFilter
    ordering = ["-created_at", "-pk"]
