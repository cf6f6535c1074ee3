from django.urls import path

from . import views

urlpatterns = [
    path("catalogus/", views.CatalogueBrowseView.as_view(), name="catalog_browse"),
    path("catalogus/afdrukken/", views.CataloguePrintView.as_view(), name="catalog_print"),
    path("catalogus/beheer/activiteiten/", views.ActivityListView.as_view(), name="catalog_activity_list"),
    path(
        "catalogus/beheer/activiteiten/nieuw/",
        views.ActivityCreateView.as_view(),
        name="catalog_activity_create",
    ),
    path(
        "catalogus/beheer/activiteiten/<int:pk>/",
        views.ActivityUpdateView.as_view(),
        name="catalog_activity_update",
    ),
    path(
        "catalogus/beheer/activiteiten/<int:pk>/status/",
        views.ActivityToggleView.as_view(),
        name="catalog_activity_toggle",
    ),
    path(
        "catalogus/beheer/activiteiten/inlezen/",
        views.ActivityImportView.as_view(),
        name="catalog_activity_import",
    ),
    path(
        "catalogus/beheer/activiteiten/export/",
        views.ActivityExportView.as_view(),
        name="catalog_activity_export",
    ),
    path("catalogus/beheer/bijkoop/", views.AddOnListView.as_view(), name="catalog_addon_list"),
    path("catalogus/beheer/bijkoop/nieuw/", views.AddOnCreateView.as_view(), name="catalog_addon_create"),
    path("catalogus/beheer/bijkoop/<int:pk>/", views.AddOnUpdateView.as_view(), name="catalog_addon_update"),
    path(
        "catalogus/beheer/bijkoop/<int:pk>/prijs/",
        views.AddOnPriceCreateView.as_view(),
        name="catalog_addon_price_create",
    ),
    path(
        "catalogus/beheer/bijkoop/<int:pk>/status/",
        views.AddOnToggleView.as_view(),
        name="catalog_addon_toggle",
    ),
    path("catalogus/beheer/bijkoop/inlezen/", views.AddOnImportView.as_view(), name="catalog_addon_import"),
    path("catalogus/beheer/bijkoop/export/", views.AddOnExportView.as_view(), name="catalog_addon_export"),
]
