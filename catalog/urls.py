from django.urls import path

from .views import browse, maintenance

urlpatterns = [
    path("catalogus/", browse.CatalogueBrowseView.as_view(), name="catalog_browse"),
    path("catalogus/afdrukken/", browse.CataloguePrintView.as_view(), name="catalog_print"),
    path(
        "catalogus/beheer/activiteiten/", maintenance.ActivityListView.as_view(), name="catalog_activity_list"
    ),
    path(
        "catalogus/beheer/activiteiten/nieuw/",
        maintenance.ActivityCreateView.as_view(),
        name="catalog_activity_create",
    ),
    path(
        "catalogus/beheer/activiteiten/<int:pk>/",
        maintenance.ActivityUpdateView.as_view(),
        name="catalog_activity_update",
    ),
    path(
        "catalogus/beheer/activiteiten/<int:pk>/status/",
        maintenance.ActivityToggleView.as_view(),
        name="catalog_activity_toggle",
    ),
    path(
        "catalogus/beheer/activiteiten/inlezen/",
        maintenance.ActivityImportView.as_view(),
        name="catalog_activity_import",
    ),
    path(
        "catalogus/beheer/activiteiten/export/",
        maintenance.ActivityExportView.as_view(),
        name="catalog_activity_export",
    ),
    path("catalogus/beheer/bijkoop/", maintenance.AddOnListView.as_view(), name="catalog_addon_list"),
    path(
        "catalogus/beheer/bijkoop/nieuw/", maintenance.AddOnCreateView.as_view(), name="catalog_addon_create"
    ),
    path(
        "catalogus/beheer/bijkoop/<int:pk>/",
        maintenance.AddOnUpdateView.as_view(),
        name="catalog_addon_update",
    ),
    path(
        "catalogus/beheer/bijkoop/<int:pk>/prijs/",
        maintenance.AddOnPriceCreateView.as_view(),
        name="catalog_addon_price_create",
    ),
    path(
        "catalogus/beheer/bijkoop/<int:pk>/status/",
        maintenance.AddOnToggleView.as_view(),
        name="catalog_addon_toggle",
    ),
    path(
        "catalogus/beheer/bijkoop/inlezen/",
        maintenance.AddOnImportView.as_view(),
        name="catalog_addon_import",
    ),
    path(
        "catalogus/beheer/bijkoop/export/", maintenance.AddOnExportView.as_view(), name="catalog_addon_export"
    ),
]
