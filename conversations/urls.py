from django.urls import path

from .views import approvals, composer, conversations, overview, packages

urlpatterns = [
    path(
        "clienten/<int:client_pk>/gesprekken/",
        conversations.ConversationListView.as_view(),
        name="conversation_list",
    ),
    path(
        "clienten/<int:client_pk>/gesprekken/nieuw/",
        conversations.ConversationCreateView.as_view(),
        name="conversation_create",
    ),
    path("gesprekken/<int:pk>/", conversations.ConversationDetailView.as_view(), name="conversation_detail"),
    path(
        "gesprekken/<int:pk>/wijzigen/",
        conversations.ConversationUpdateView.as_view(),
        name="conversation_update",
    ),
    path("clienten/<int:client_pk>/pakket/nieuw/", composer.PackageStartView.as_view(), name="package_start"),
    path(
        "clienten/<int:client_pk>/pakketten/", packages.PackageVersionsView.as_view(), name="package_versions"
    ),
    path("pakketten/<int:pk>/", packages.PackageDetailView.as_view(), name="package_detail"),
    path("pakketten/<int:pk>/samenstellen/", composer.PackageComposerView.as_view(), name="package_composer"),
    path("pakketten/<int:pk>/regels/", composer.PackageLineAddView.as_view(), name="package_line_add"),
    path("pakketregels/<int:pk>/", composer.PackageLineUpdateView.as_view(), name="package_line_update"),
    path(
        "pakketregels/<int:pk>/verwijderen/",
        composer.PackageLineRemoveView.as_view(),
        name="package_line_remove",
    ),
    path("pakketten/<int:pk>/afspreken/", composer.PackageAgreeView.as_view(), name="package_agree"),
    path(
        "pakketten/<int:pk>/goedkeuren/",
        approvals.PackageDecisionView.as_view(decision="approve"),
        name="package_approve",
    ),
    path(
        "pakketten/<int:pk>/terugsturen/",
        approvals.PackageDecisionView.as_view(decision="send_back"),
        name="package_send_back",
    ),
    path("pakketten/<int:pk>/ruilen/", packages.PackageSwapView.as_view(), name="package_swap"),
    path("pakketten/<int:pk>/afdrukken/", packages.PackagePrintView.as_view(), name="package_print"),
    path("pakketten/<int:pk>/pdf/", packages.PackagePdfView.as_view(), name="package_pdf"),
    path("goedkeuringen/", approvals.ApprovalListView.as_view(), name="package_approvals"),
    path(
        "afdelingen/<int:pk>/overzicht/",
        overview.DepartmentOverviewView.as_view(),
        name="department_overview",
    ),
]
