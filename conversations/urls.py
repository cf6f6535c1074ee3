from django.urls import path

from . import views

urlpatterns = [
    path(
        "clienten/<int:client_pk>/gesprekken/", views.ConversationListView.as_view(), name="conversation_list"
    ),
    path(
        "clienten/<int:client_pk>/gesprekken/nieuw/",
        views.ConversationCreateView.as_view(),
        name="conversation_create",
    ),
    path("gesprekken/<int:pk>/", views.ConversationDetailView.as_view(), name="conversation_detail"),
    path("gesprekken/<int:pk>/wijzigen/", views.ConversationUpdateView.as_view(), name="conversation_update"),
    path("clienten/<int:client_pk>/pakket/nieuw/", views.PackageStartView.as_view(), name="package_start"),
    path("clienten/<int:client_pk>/pakketten/", views.PackageVersionsView.as_view(), name="package_versions"),
    path("pakketten/<int:pk>/", views.PackageDetailView.as_view(), name="package_detail"),
    path("pakketten/<int:pk>/samenstellen/", views.PackageComposerView.as_view(), name="package_composer"),
    path("pakketten/<int:pk>/regels/", views.PackageLineAddView.as_view(), name="package_line_add"),
    path("pakketregels/<int:pk>/", views.PackageLineUpdateView.as_view(), name="package_line_update"),
    path(
        "pakketregels/<int:pk>/verwijderen/",
        views.PackageLineRemoveView.as_view(),
        name="package_line_remove",
    ),
    path("pakketten/<int:pk>/afspreken/", views.PackageAgreeView.as_view(), name="package_agree"),
    path(
        "pakketten/<int:pk>/goedkeuren/",
        views.PackageDecisionView.as_view(decision="approve"),
        name="package_approve",
    ),
    path(
        "pakketten/<int:pk>/terugsturen/",
        views.PackageDecisionView.as_view(decision="send_back"),
        name="package_send_back",
    ),
    path("pakketten/<int:pk>/ruilen/", views.PackageSwapView.as_view(), name="package_swap"),
    path("pakketten/<int:pk>/afdrukken/", views.PackagePrintView.as_view(), name="package_print"),
    path("pakketten/<int:pk>/pdf/", views.PackagePdfView.as_view(), name="package_pdf"),
    path("goedkeuringen/", views.ApprovalListView.as_view(), name="package_approvals"),
    path(
        "afdelingen/<int:pk>/overzicht/", views.DepartmentOverviewView.as_view(), name="department_overview"
    ),
]
