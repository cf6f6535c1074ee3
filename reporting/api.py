"""The reporting API (read only): the organisation's weekly snapshots (``updated_since`` for
delta pulls, keyset pagination for full pulls by managers' BI tools), the signals of a week and
the formatie. Same role rules as the pages; client-identifiable rows are access-logged."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from clients.models import Client
from clients.selectors import restrict_to_visible
from ipvb.api.base import FlatRowMixin, TenantAPIView, TenantReadOnlyViewSet
from ipvb.models import Department
from ipvb.roles import Role

from . import formulas
from .models import WeeklySnapshot
from .selectors.formatie import formatie
from .selectors.signals import SIGNAL_KINDS
from .selectors.snapshots import departments_for, latest_week

SNAPSHOT_ROLES = frozenset({Role.MANAGER, Role.TEAM_LEADER})
FORMATIE_ROLES = frozenset({Role.MANAGER, Role.FINANCIAL, Role.TEAM_LEADER, Role.BOARD})


class SnapshotSerializer(FlatRowMixin, serializers.ModelSerializer):
    client = serializers.IntegerField(source="client_id", read_only=True)
    department = serializers.IntegerField(source="department_id", read_only=True)
    package = serializers.IntegerField(source="package_id", read_only=True, allow_null=True)

    class Meta:
        model = WeeklySnapshot
        fields = [
            "id",
            "client",
            "department",
            "week_start",
            "iso_year",
            "iso_week",
            "care_profile",
            "budget",
            "raw_budget",
            "budget_hours",
            "package",
            "package_total",
            "hours",
            "overrun_pct",
            "review_date",
            "overrun",
            "over_threshold",
            "weeks_over_threshold",
            "reindication",
            "structural_deficit",
            "meerzorg",
            "threshold_pct",
            "threshold_weeks",
            "sources",
            "updated_at",
        ]
        read_only_fields = fields


class SnapshotFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
    week = django_filters.DateFilter(method="filter_week", label="ISO week of this date")
    week_from = django_filters.DateFilter(field_name="week_start", lookup_expr="gte")
    week_to = django_filters.DateFilter(field_name="week_start", lookup_expr="lte")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.none())
    client = django_filters.ModelChoiceFilter(queryset=Client.objects.none(), method="filter_client")

    class Meta:
        model = WeeklySnapshot
        fields = ["updated_since", "week", "week_from", "week_to", "department", "client"]

    def filter_week(self, queryset: Any, name: str, value: datetime.date) -> Any:
        return queryset.filter(week_start=formulas.week_start(value))

    def filter_client(self, queryset: Any, name: str, value: Client) -> Any:
        week = self.form.cleaned_data.get("week")
        if week is not None:
            monday = formulas.week_start(week)
            sunday = monday + datetime.timedelta(days=6)
            if value.admission_date > sunday or (value.discharge_date and value.discharge_date < monday):
                raise ValidationError(
                    {
                        "week": [
                            _(
                                "Deze week valt buiten het verblijf van de cliënt (opname "
                                "%(start)s, uitschrijving %(end)s)."
                            )
                            % {
                                "start": value.admission_date.strftime("%d-%m-%Y"),
                                "end": value.discharge_date.strftime("%d-%m-%Y")
                                if value.discharge_date
                                else "-",
                            }
                        ]
                    }
                )
        return queryset.filter(client=value)


class _Page(list):
    """The page as a list that also answers ``object_list`` (what the access log reads)."""

    @property
    def object_list(self) -> list[Any]:
        return self


class SnapshotPagination(CursorPagination):
    """Keyset pagination: a full pull of every week of every client stays fast on the last page."""

    ordering = ("id",)
    page_size = 50  # like every other list; a full pull asks for up to max_page_size rows a page
    page_size_query_param = "page_size"
    max_page_size = 5000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        page: Any = super().paginate_queryset(queryset, request, view)
        if page is not None:
            self.page = _Page(page)
            page = self.page
        return page


class SnapshotViewSet(TenantReadOnlyViewSet):
    """Weekly snapshots of the organisation's clients (team leaders: their departments)."""

    queryset = WeeklySnapshot.objects.none()
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    pagination_class = SnapshotPagination
    read_roles = SNAPSHOT_ROLES
    access_log_client = "client"

    def restrict_queryset(self, queryset: Any) -> Any:
        return restrict_to_visible(queryset, membership=self.membership, client_path="client__")


class SignalFilter(SnapshotFilter):
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in SIGNAL_KINDS], method="filter_kind")

    class Meta(SnapshotFilter.Meta):
        fields = [*SnapshotFilter.Meta.fields, "kind"]

    def filter_kind(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(**{value: True})


class SignalViewSet(SnapshotViewSet):
    """Snapshots with at least one signal (overrun, re-indication, structural deficit, meerzorg);
    without ``week``/``week_from`` only the latest week."""

    filterset_class = SignalFilter

    def restrict_queryset(self, queryset: Any) -> Any:
        from django.db.models import Q

        queryset = (
            super()
            .restrict_queryset(queryset)
            .filter(Q(overrun=True) | Q(reindication=True) | Q(structural_deficit=True) | Q(meerzorg=True))
        )
        params = self.request.query_params
        if not any(params.get(name) for name in ("week", "week_from", "week_to", "updated_since")):
            latest = latest_week(organisation=self.organisation, on_or_before=timezone.localdate())
            queryset = queryset.filter(week_start=latest) if latest else queryset.none()
        return queryset


class FormatieLineSerializer(serializers.Serializer):
    staff_level = serializers.IntegerField()
    staff_level_name = serializers.CharField()
    package_hours = serializers.DecimalField(max_digits=10, decimal_places=2)
    group_hours = serializers.DecimalField(max_digits=10, decimal_places=2)
    required_fte = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    actual_fte = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    actual_from = serializers.DateField(allow_null=True)
    gap = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class FormatieSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    department_name = serializers.CharField()
    on_date = serializers.DateField()
    required_fte = serializers.DecimalField(max_digits=10, decimal_places=2)
    actual_fte = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    levels = FormatieLineSerializer(many=True)


class FormatieView(TenantAPIView):
    """Required against actual FTE per level per department on a date (default today)."""

    queryset = Department.objects.none()
    read_roles = FORMATIE_ROLES
    pagination_class = None
    serializer_class = FormatieSerializer

    @extend_schema(responses=FormatieSerializer(many=True))
    def get(self, request: Any) -> Response:
        raw = request.query_params.get("on_date")
        on_date = timezone.localdate()
        if raw:
            try:
                on_date = datetime.date.fromisoformat(raw)
            except ValueError as exc:
                raise ValidationError({"on_date": [_("Vul een datum in als JJJJ-MM-DD.")]}) from exc
            if abs((on_date - timezone.localdate()).days) > 3660:
                raise ValidationError({"on_date": [_("Deze datum ligt te ver van vandaag.")]})
        departments = departments_for(membership=self.membership)
        items = formatie(organisation=self.organisation, on_date=on_date, departments=departments)
        data = [
            {
                "department": item.department.pk,
                "department_name": item.department.name,
                "on_date": on_date,
                "required_fte": item.required_fte,
                "actual_fte": item.actual_fte,
                "gap": item.gap,
                "levels": [
                    {
                        "staff_level": line.level.pk,
                        "staff_level_name": line.level.name,
                        "package_hours": formulas.round2(line.package_hours),
                        "group_hours": line.group_hours,
                        "required_fte": line.required_fte,
                        "actual_fte": line.actual_fte,
                        "actual_from": line.actual_from,
                        "gap": line.gap,
                    }
                    for line in item.lines
                ],
            }
            for item in items
        ]
        return Response(FormatieSerializer(data, many=True).data)
