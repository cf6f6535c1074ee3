"""The reporting party's API (domain page sections 9 and 10): participating organisations,
their monthly reports (filters, delta pull, ETag), one report as JSON and as PDF. Open to
reporting-party users only: OAuth2 client credentials with scope ``reports:read`` for
machines, or a session/API token of a reporting-party user with MFA. Organisations without
consent do not exist here; no personal data is ever served."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import Max
from django.http import HttpResponse
from django.utils.dateparse import parse_datetime
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from oauth2_provider.models import AccessToken
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ipvb.mfa import MFAEnrolled

from .models import MonthlyReport
from .parties import SCOPE, consenting_organisations, is_reporting_party, visible_reports


class IsReportingParty(TokenHasScope):
    """Machines: an OAuth2 token (client credentials) with scope reports:read whose application
    belongs to a reporting-party user. People: a reporting-party user (session or API key; MFA
    is checked by ``MFAEnrolled`` before). (A TokenHasScope so the schema shows the scope.)"""

    message = _("Alleen de rapportagepartij (Vilans) heeft toegang tot de transparantierapporten.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if isinstance(request.auth, AccessToken):
            # Client credentials: the token carries no user; the application belongs to one.
            owner = request.auth.user or request.auth.application.user
            if not is_reporting_party(owner):
                return False
            if not request.auth.allow_scopes([SCOPE]):
                self.message = _("Dit toegangstoken heeft niet de scope reports:read.")
                return False
            return True
        user = request.user
        if not user.is_authenticated:
            raise NotAuthenticated
        return is_reporting_party(user)


class ReportingPartyAPIView(GenericAPIView):
    authentication_classes = [OAuth2Authentication, *GenericAPIView.authentication_classes]
    # MFA: the one rule of ipvb.mfa (a reporting-party user must have it when required).
    permission_classes = [MFAEnrolled, IsReportingParty]
    required_scopes = [SCOPE]
    pagination_class = None
    filter_backends: list[Any] = []


class ParticipatingOrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agb_code = serializers.CharField()
    start_date = serializers.DateField()
    latest_month = serializers.CharField(allow_null=True)


class ReportSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    month = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    schema_version = serializers.CharField()
    reason = serializers.CharField()
    built_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    def get_month(self, obj: MonthlyReport) -> str:
        return f"{obj.month:%Y-%m}"

    def get_url(self, obj: MonthlyReport) -> str:
        return f"/api/v1/reporting/reports/{obj.pk}/"

    def get_pdf_url(self, obj: MonthlyReport) -> str:
        return f"/api/v1/reporting/reports/{obj.pk}/pdf/"


def _etag(parts: list[str]) -> str:
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _not_modified(request: Any, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return etag in [tag.strip() for tag in wanted.split(",")] or wanted.strip() == "*"


class OrganisationListView(ReportingPartyAPIView):
    serializer_class = ParticipatingOrganisationSerializer

    @extend_schema(
        summary="Deelnemende organisaties (met toestemming)",
        operation_id="reporting_organisations_list",
        responses=ParticipatingOrganisationSerializer(many=True),
    )
    def get(self, request: Any) -> Response:
        # Each organisation's latest month, grouped in the database (not every visible report
        # with its payload read to find it: issue 16).
        latest = visible_reports().order_by().values("organisation_id").annotate(latest=Max("month"))
        months = {row["organisation_id"]: f"{row['latest']:%Y-%m}" for row in latest}
        rows = [
            {
                "id": o.pk,
                "name": o.name,
                "agb_code": o.agb_code,
                "start_date": o.start_date,
                "latest_month": months.get(o.pk),
            }
            for o in consenting_organisations()
        ]
        return Response(ParticipatingOrganisationSerializer(rows, many=True).data)


def _month(value: str, name: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        raise ValidationError({name: [_("Geef de maand op als JJJJ-MM, bijvoorbeeld 2026-01.")]}) from None


class ReportListView(ReportingPartyAPIView):
    serializer_class = ReportSummarySerializer

    @extend_schema(
        summary="Maandrapporten (laatste versie per organisatie en maand)",
        operation_id="reporting_reports_list",
        responses=ReportSummarySerializer(many=True),
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT, description="id van de organisatie"),
            OpenApiParameter("month", OpenApiTypes.STR, description="JJJJ-MM"),
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description="delta: gebouwd na"),
        ],
    )
    def get(self, request: Any) -> Response:
        qs = visible_reports()
        params = request.query_params
        if params.get("organisation"):
            try:
                organisation = int(params["organisation"])
            except ValueError:
                raise ValidationError({"organisation": [_("Geef het id van een organisatie op.")]}) from None
            if not consenting_organisations().filter(pk=organisation).exists():
                raise NotFound(_("Deze organisatie neemt niet deel of heeft geen toestemming gegeven."))
            qs = qs.filter(organisation_id=organisation)
        if params.get("month"):
            qs = qs.filter(month=_month(params["month"], "month"))
        if params.get("updated_since"):
            since = parse_datetime(params["updated_since"])
            if since is None:
                raise ValidationError(
                    {
                        "updated_since": [
                            _("Geef een tijdstip op als ISO 8601, bijvoorbeeld 2026-02-01T00:00:00Z.")
                        ]
                    }
                )
            qs = qs.filter(built_at__gt=since)
        rows = list(qs.defer("data"))  # the summary never reads a report's content (issue 16)
        etag = _etag([f"{r.pk}:{r.version}" for r in rows] + [request.get_full_path()])
        if _not_modified(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(ReportSummarySerializer(rows, many=True).data, headers={"ETag": etag})


def visible_report(pk: int) -> MonthlyReport:
    """A report of a consenting organisation (any version); others do not exist here."""
    report = (
        MonthlyReport.objects.dangerously_unscoped()
        .filter(pk=pk, organisation__in=consenting_organisations().values("pk"))
        .select_related("organisation")
        .first()
    )
    if report is None:
        raise NotFound(_("Dit rapport bestaat niet of de organisatie heeft geen toestemming (meer) gegeven."))
    return report


class ReportDetailView(ReportingPartyAPIView):
    @extend_schema(
        summary="Eén maandrapport (JSON volgens reporting/schemas/monthly_report.schema.json)",
        operation_id="reporting_reports_retrieve",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Any, pk: int) -> Response:
        report = visible_report(pk)
        etag = _etag([str(report.pk), str(report.version)])
        if _not_modified(request, etag):
            return Response(status=304, headers={"ETag": etag})
        return Response(report.data, headers={"ETag": etag})


class ReportPdfView(ReportingPartyAPIView):
    @extend_schema(
        summary="Eén maandrapport als PDF",
        operation_id="reporting_reports_pdf_retrieve",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Any, pk: int) -> HttpResponse:
        from .views.transparency import report_pdf

        report = visible_report(pk)
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            True,
            f"transparantierapport-{report.organisation.agb_code}-{report.month:%Y-%m}-v{report.version}.pdf",
        )
        return response
