from django.urls import path

from .views import accesslog, client_file, imports, lists, records

urlpatterns = [
    path("clienten/", lists.ClientListView.as_view(), name="client_list"),
    path("clienten/nieuw/", client_file.ClientCreateView.as_view(), name="client_create"),
    path("clienten/zoeken-op-bsn/", client_file.ClientBsnSearchView.as_view(), name="client_bsn_search"),
    path("clienten/importeren/", imports.ClientImportView.as_view(), name="client_import"),
    path(
        "clienten/importeren/bevestigen/",
        imports.ClientImportConfirmView.as_view(),
        name="client_import_confirm",
    ),
    path("clienten/<int:pk>/", client_file.ClientDetailView.as_view(), name="client_detail"),
    path("clienten/<int:pk>/wijzigen/", client_file.ClientUpdateView.as_view(), name="client_update"),
    path("clienten/export/", lists.ClientExportView.as_view(), name="client_export"),
    path("clienten/<int:pk>/afdrukken/", client_file.ClientPrintView.as_view(), name="client_print"),
    path("clienten/<int:pk>/bsn/", client_file.ClientBsnView.as_view(), name="client_bsn"),
    path(
        "clienten/<int:client_pk>/uitschrijven/",
        client_file.ClientDischargeView.as_view(),
        name="client_discharge",
    ),
    path("clienten/<int:client_pk>/verplaatsen/", client_file.ClientMoveView.as_view(), name="client_move"),
    path(
        "clienten/<int:client_pk>/toegangslog/",
        accesslog.ClientAccessLogView.as_view(),
        name="client_accesslog",
    ),
    path(
        "clienten/<int:client_pk>/contactpersonen/nieuw/",
        records.ContactPersonCreateView.as_view(),
        name="contactperson_create",
    ),
    path(
        "contactpersonen/<int:pk>/wijzigen/",
        records.ContactPersonUpdateView.as_view(),
        name="contactperson_update",
    ),
    path(
        "contactpersonen/<int:pk>/verwijderen/",
        records.ContactPersonDeleteView.as_view(),
        name="contactperson_delete",
    ),
    path(
        "clienten/<int:client_pk>/indicaties/nieuw/",
        records.IndicationCreateView.as_view(),
        name="indication_create",
    ),
    path("indicaties/<int:pk>/wijzigen/", records.IndicationUpdateView.as_view(), name="indication_update"),
    path(
        "indicaties/<int:pk>/verwijderen/", records.IndicationDeleteView.as_view(), name="indication_delete"
    ),
    path("toegangslog/", accesslog.AccessLogListView.as_view(), name="accesslog_list"),
]
