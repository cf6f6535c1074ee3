from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api, transparency_api

router = SimpleRouter()
router.register("reporting/snapshots", api.SnapshotViewSet, basename="snapshot")
router.register("reporting/signals", api.SignalViewSet, basename="signal")

urlpatterns = [
    *router.urls,
    path("reporting/formatie/", api.FormatieView.as_view(), name="reporting-formatie"),
    path(
        "reporting/organisations/",
        transparency_api.OrganisationListView.as_view(),
        name="reporting-party-organisations",
    ),
    path("reporting/reports/", transparency_api.ReportListView.as_view(), name="reporting-party-reports"),
    path(
        "reporting/reports/<int:pk>/",
        transparency_api.ReportDetailView.as_view(),
        name="reporting-party-report",
    ),
    path(
        "reporting/reports/<int:pk>/pdf/",
        transparency_api.ReportPdfView.as_view(),
        name="reporting-party-report-pdf",
    ),
    # The programme's benchmark (domain page section 10): reporting/programme/api_urls.py.
    path("", include("reporting.programme.api_urls")),
]
