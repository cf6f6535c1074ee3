from django.urls import include, path
from oauth2_provider import views as oauth2_views

from .views import dashboards, formatie, signals, transparency, vilans, worklists

urlpatterns = [
    path("rapportage/bestuur/", dashboards.BoardDashboardView.as_view(), name="reporting_board"),
    path("rapportage/management/", dashboards.ManagementDashboardView.as_view(), name="reporting_management"),
    path("rapportage/teamleider/", worklists.TeamLeaderWorklistView.as_view(), name="reporting_team"),
    path("rapportage/werklijst/", worklists.CareWorklistView.as_view(), name="reporting_care"),
    path("rapportage/formatie/", formatie.FormatieView.as_view(), name="reporting_formatie"),
    path(
        "rapportage/formatie/invoeren/",
        formatie.ActualStaffingEntryView.as_view(),
        name="reporting_formatie_entry",
    ),
    path(
        "rapportage/clienten/<int:client_pk>/signalen/",
        signals.ClientSignalsView.as_view(),
        name="reporting_client_signals",
    ),
    path(
        "rapportage/clienten/<int:client_pk>/bewijsstukken.pdf",
        signals.EvidencePackView.as_view(),
        name="reporting_evidence_pack",
    ),
    path("rapportage/transparantie/", transparency.TransparencyView.as_view(), name="reporting_transparency"),
    path(
        "rapportage/transparantie/deelname/",
        transparency.ParticipationRecordView.as_view(),
        name="reporting_participation_record",
    ),
    path(
        "rapportage/transparantie/aanvragen/",
        transparency.ReportRequestView.as_view(),
        name="reporting_report_request",
    ),
    path(
        "rapportage/transparantie/<int:pk>/",
        transparency.OrganisationReportView.as_view(),
        name="reporting_org_report",
    ),
    path(
        "rapportage/transparantie/<int:pk>/rapport.pdf",
        transparency.OrganisationReportView.as_view(),
        {"pdf": True},
        name="reporting_org_report_pdf",
    ),
    path("vilans/", vilans.PartyHomeView.as_view(), name="reporting_party_home"),
    path("vilans/rapporten/<int:pk>/", vilans.PartyReportView.as_view(), name="reporting_party_report"),
    path(
        "vilans/rapporten/<int:pk>/rapport.pdf",
        vilans.PartyReportView.as_view(),
        {"pdf": True},
        name="reporting_party_report_pdf",
    ),
    path(
        "vilans/organisaties/<int:org_pk>/opnieuw/",
        vilans.PartyRebuildView.as_view(),
        name="reporting_party_rebuild",
    ),
    # The programme (domain page section 10): reporting/programme/urls.py.
    path("", include("reporting.programme.urls")),
    # OAuth2 client credentials for the reporting party's systems (scope reports:read).
    path("o/token/", oauth2_views.TokenView.as_view(), name="oauth2_token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="oauth2_revoke_token"),
]
