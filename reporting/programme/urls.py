from django.urls import path

from .views import organisation, party

urlpatterns = [
    path("programma/", organisation.ProgrammeHomeView.as_view(), name="programme_home"),
    path("programma/screening/", organisation.ScreeningView.as_view(), name="programme_screening"),
    path(
        "programma/screening/<int:pk>/",
        organisation.ScreeningDetailView.as_view(),
        name="programme_screening_detail",
    ),
    path("programma/pakket/", organisation.PackageChoiceView.as_view(), name="programme_package"),
    path("programma/bijeenkomsten/", organisation.MeetingsView.as_view(), name="programme_meetings"),
    path(
        "programma/bijeenkomsten/nieuw/",
        organisation.MeetingRecordView.as_view(),
        name="programme_meeting_record",
    ),
    path("programma/benchmark/", organisation.BenchmarkView.as_view(), name="programme_benchmark"),
    path("vilans/programma/", party.PartyProgrammeView.as_view(), name="programme_party_home"),
    path(
        "vilans/programma/screenings/<int:pk>/",
        party.PartyScreeningView.as_view(),
        name="programme_party_screening",
    ),
    path(
        "vilans/programma/vragenlijsten/",
        party.PartyQuestionnairesView.as_view(),
        name="programme_party_questionnaires",
    ),
    path(
        "vilans/programma/vragenlijsten/<int:pk>/",
        party.PartyQuestionnaireView.as_view(),
        name="programme_party_questionnaire",
    ),
    path(
        "vilans/programma/vragenlijsten/<int:pk>/publiceren/",
        party.PartyQuestionnairePublishView.as_view(),
        name="programme_party_questionnaire_publish",
    ),
    path("vilans/programma/pakketten/", party.PartyPackagesView.as_view(), name="programme_party_packages"),
    path(
        "vilans/programma/pakketten.xlsx",
        party.PartyPackagesExportView.as_view(),
        name="programme_party_packages_export",
    ),
    path(
        "vilans/programma/bijeenkomsten/", party.PartyMeetingsView.as_view(), name="programme_party_meetings"
    ),
    path("vilans/programma/rapporten/", party.PartyReportsView.as_view(), name="programme_party_reports"),
    path(
        "vilans/programma/rapporten/<int:pk>/", party.PartyReportView.as_view(), name="programme_party_report"
    ),
    path(
        "vilans/programma/rapporten/<int:pk>/rapport.pdf",
        party.PartyReportView.as_view(),
        {"pdf": True},
        name="programme_party_report_pdf",
    ),
    path("vilans/programma/benchmark/", party.PartyBenchmarkView.as_view(), name="programme_party_benchmark"),
]
