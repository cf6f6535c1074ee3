from django.urls import path

from . import views as pv

urlpatterns = [
    path("programma/", pv.ProgrammeHomeView.as_view(), name="programme_home"),
    path("programma/screening/", pv.ScreeningView.as_view(), name="programme_screening"),
    path(
        "programma/screening/<int:pk>/", pv.ScreeningDetailView.as_view(), name="programme_screening_detail"
    ),
    path("programma/pakket/", pv.PackageChoiceView.as_view(), name="programme_package"),
    path("programma/bijeenkomsten/", pv.MeetingsView.as_view(), name="programme_meetings"),
    path("programma/bijeenkomsten/nieuw/", pv.MeetingRecordView.as_view(), name="programme_meeting_record"),
    path("programma/benchmark/", pv.BenchmarkView.as_view(), name="programme_benchmark"),
    path("vilans/programma/", pv.PartyProgrammeView.as_view(), name="programme_party_home"),
    path(
        "vilans/programma/screenings/<int:pk>/",
        pv.PartyScreeningView.as_view(),
        name="programme_party_screening",
    ),
    path(
        "vilans/programma/vragenlijsten/",
        pv.PartyQuestionnairesView.as_view(),
        name="programme_party_questionnaires",
    ),
    path(
        "vilans/programma/vragenlijsten/<int:pk>/",
        pv.PartyQuestionnaireView.as_view(),
        name="programme_party_questionnaire",
    ),
    path(
        "vilans/programma/vragenlijsten/<int:pk>/publiceren/",
        pv.PartyQuestionnairePublishView.as_view(),
        name="programme_party_questionnaire_publish",
    ),
    path("vilans/programma/pakketten/", pv.PartyPackagesView.as_view(), name="programme_party_packages"),
    path(
        "vilans/programma/pakketten.xlsx",
        pv.PartyPackagesExportView.as_view(),
        name="programme_party_packages_export",
    ),
    path("vilans/programma/bijeenkomsten/", pv.PartyMeetingsView.as_view(), name="programme_party_meetings"),
    path("vilans/programma/rapporten/", pv.PartyReportsView.as_view(), name="programme_party_reports"),
    path("vilans/programma/rapporten/<int:pk>/", pv.PartyReportView.as_view(), name="programme_party_report"),
    path(
        "vilans/programma/rapporten/<int:pk>/rapport.pdf",
        pv.PartyReportView.as_view(),
        {"pdf": True},
        name="programme_party_report_pdf",
    ),
    path("vilans/programma/benchmark/", pv.PartyBenchmarkView.as_view(), name="programme_party_benchmark"),
]
