from django.urls import include, path
from oauth2_provider import views as oauth2_views

from . import transparency_views as tv
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
    path("rapportage/transparantie/", tv.TransparencyView.as_view(), name="reporting_transparency"),
    path(
        "rapportage/transparantie/deelname/",
        tv.ParticipationRecordView.as_view(),
        name="reporting_participation_record",
    ),
    path(
        "rapportage/transparantie/aanvragen/", tv.ReportRequestView.as_view(), name="reporting_report_request"
    ),
    path(
        "rapportage/transparantie/<int:pk>/", tv.OrganisationReportView.as_view(), name="reporting_org_report"
    ),
    path(
        "rapportage/transparantie/<int:pk>/rapport.pdf",
        tv.OrganisationReportView.as_view(),
        {"pdf": True},
        name="reporting_org_report_pdf",
    ),
    path("vilans/", tv.PartyHomeView.as_view(), name="reporting_party_home"),
    path("vilans/rapporten/<int:pk>/", tv.PartyReportView.as_view(), name="reporting_party_report"),
    path(
        "vilans/rapporten/<int:pk>/rapport.pdf",
        tv.PartyReportView.as_view(),
        {"pdf": True},
        name="reporting_party_report_pdf",
    ),
    path(
        "vilans/organisaties/<int:org_pk>/opnieuw/",
        tv.PartyRebuildView.as_view(),
        name="reporting_party_rebuild",
    ),
    # The programme (domain page section 10): reporting/programme/urls.py.
    path("", include("reporting.programme.urls")),
    # OAuth2 client credentials for the reporting party's systems (scope reports:read).
    path("o/token/", oauth2_views.TokenView.as_view(), name="oauth2_token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="oauth2_revoke_token"),
]
