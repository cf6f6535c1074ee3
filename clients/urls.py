from django.urls import path

from . import views

urlpatterns = [
    path("clienten/", views.ClientListView.as_view(), name="client_list"),
    path("clienten/nieuw/", views.ClientCreateView.as_view(), name="client_create"),
    path("clienten/zoeken-op-bsn/", views.ClientBsnSearchView.as_view(), name="client_bsn_search"),
    path("clienten/importeren/", views.ClientImportView.as_view(), name="client_import"),
    path(
        "clienten/importeren/bevestigen/",
        views.ClientImportConfirmView.as_view(),
        name="client_import_confirm",
    ),
    path("clienten/<int:pk>/", views.ClientDetailView.as_view(), name="client_detail"),
    path("clienten/<int:pk>/wijzigen/", views.ClientUpdateView.as_view(), name="client_update"),
    path("clienten/export/", views.ClientExportView.as_view(), name="client_export"),
    path("clienten/<int:pk>/afdrukken/", views.ClientPrintView.as_view(), name="client_print"),
    path("clienten/<int:pk>/bsn/", views.ClientBsnView.as_view(), name="client_bsn"),
    path(
        "clienten/<int:client_pk>/uitschrijven/", views.ClientDischargeView.as_view(), name="client_discharge"
    ),
    path("clienten/<int:client_pk>/verplaatsen/", views.ClientMoveView.as_view(), name="client_move"),
    path(
        "clienten/<int:client_pk>/toegangslog/", views.ClientAccessLogView.as_view(), name="client_accesslog"
    ),
    path(
        "clienten/<int:client_pk>/contactpersonen/nieuw/",
        views.ContactPersonCreateView.as_view(),
        name="contactperson_create",
    ),
    path(
        "contactpersonen/<int:pk>/wijzigen/",
        views.ContactPersonUpdateView.as_view(),
        name="contactperson_update",
    ),
    path(
        "contactpersonen/<int:pk>/verwijderen/",
        views.ContactPersonDeleteView.as_view(),
        name="contactperson_delete",
    ),
    path(
        "clienten/<int:client_pk>/indicaties/nieuw/",
        views.IndicationCreateView.as_view(),
        name="indication_create",
    ),
    path("indicaties/<int:pk>/wijzigen/", views.IndicationUpdateView.as_view(), name="indication_update"),
    path("indicaties/<int:pk>/verwijderen/", views.IndicationDeleteView.as_view(), name="indication_delete"),
    path("toegangslog/", views.AccessLogListView.as_view(), name="accesslog_list"),
]
