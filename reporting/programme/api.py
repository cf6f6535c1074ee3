"""The benchmark in the API (domain page section 10), each side its own view: the reporting
party sees the distribution with organisations named; an organisation sees its own position
against the others unnamed, only where at least 3 other organisations contribute."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from ipvb.api.base import TenantAPIView
from ipvb.models import Department
from reporting.transparency_api import ReportingPartyAPIView

from . import benchmark as bench
from .views.organisation import BENCHMARK_ROLES


class _Stats(serializers.Serializer):
    metric = serializers.ChoiceField(choices=list(bench.METRIC_ORDER))
    group = serializers.CharField(
        help_text="Staff level (K) or care profile (B, utilisation); 'all' for wellbeing."
    )
    organisations = serializers.IntegerField(allow_null=True)
    min = serializers.CharField(allow_null=True)
    p25 = serializers.CharField(allow_null=True)
    median = serializers.CharField(allow_null=True)
    p75 = serializers.CharField(allow_null=True)
    max = serializers.CharField(allow_null=True)


class NamedValueSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    organisation = serializers.CharField()
    value = serializers.CharField()


class PartyGroupSerializer(_Stats):
    values = NamedValueSerializer(many=True)


class PartyBenchmarkSerializer(serializers.Serializer):
    min_other_organisations = serializers.IntegerField()
    organisations = serializers.IntegerField()
    groups = PartyGroupSerializer(many=True)


class OwnGroupSerializer(_Stats):
    shown = serializers.BooleanField(help_text="False: fewer than 3 other organisations contribute.")
    own = serializers.CharField(allow_null=True)
    other_organisations = serializers.IntegerField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="1 = the lowest value.")
    of = serializers.IntegerField(allow_null=True)
    others = serializers.ListField(child=serializers.CharField(), allow_null=True)


class OwnBenchmarkSerializer(serializers.Serializer):
    min_other_organisations = serializers.IntegerField()
    participating = serializers.BooleanField()
    groups = OwnGroupSerializer(many=True)


class PartyBenchmarkView(ReportingPartyAPIView):
    serializer_class = PartyBenchmarkSerializer

    @extend_schema(
        summary="Benchmark over de deelnemende organisaties (met naam)",
        operation_id="reporting_programme_benchmark",
        responses=PartyBenchmarkSerializer,
    )
    def get(self, request: Any) -> Response:
        return Response(PartyBenchmarkSerializer(bench.benchmark_for_party()).data)


class OwnBenchmarkView(TenantAPIView):
    """The organisation's own position in the benchmark (others unnamed)."""

    queryset = Department.objects.none()
    read_roles = BENCHMARK_ROLES
    pagination_class = None
    serializer_class = OwnBenchmarkSerializer

    @extend_schema(operation_id="programme_benchmark", responses=OwnBenchmarkSerializer)
    def get(self, request: Any) -> Response:
        return Response(OwnBenchmarkSerializer(bench.benchmark_for_organisation(self.organisation)).data)
