from django.urls import path

from . import views

urlpatterns = [
    path("rapportage/bestuur/", views.BoardDashboardView.as_view(), name="reporting_board"),
    path("rapportage/management/", views.ManagementDashboardView.as_view(), name="reporting_management"),
    path("rapportage/teamleider/", views.TeamLeaderWorklistView.as_view(), name="reporting_team"),
    path("rapportage/werklijst/", views.CareWorklistView.as_view(), name="reporting_care"),
    path("rapportage/formatie/", views.FormatieView.as_view(), name="reporting_formatie"),
    path(
        "rapportage/formatie/invoeren/",
        views.ActualStaffingEntryView.as_view(),
        name="reporting_formatie_entry",
    ),
    path(
        "rapportage/clienten/<int:client_pk>/signalen/",
        views.ClientSignalsView.as_view(),
        name="reporting_client_signals",
    ),
    path(
        "rapportage/clienten/<int:client_pk>/bewijsstukken.pdf",
        views.EvidencePackView.as_view(),
        name="reporting_evidence_pack",
    ),
]
