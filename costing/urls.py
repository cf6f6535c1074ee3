from django.urls import path, register_converter

from ipvb.validators import YearConverter

from . import views

register_converter(YearConverter, "year")

urlpatterns = [
    path("tarieven/", views.TariffListView.as_view(), name="tariff_list"),
    path("tarieven/importeren/", views.TariffImportView.as_view(), name="tariff_import"),
    path("kostprijs/modellen/", views.CostModelListView.as_view(), name="costmodel_list"),
    path("kostprijs/modellen/nieuw/", views.CostModelCreateView.as_view(), name="costmodel_create"),
    path("kostprijs/modellen/<int:pk>/", views.CostModelDetailView.as_view(), name="costmodel_detail"),
    path(
        "kostprijs/modellen/<int:pk>/wijzigen/", views.CostModelUpdateView.as_view(), name="costmodel_update"
    ),
    path(
        "kostprijs/modellen/<int:pk>/niveaus/", views.CostModelLevelsView.as_view(), name="costmodel_levels"
    ),
    path(
        "kostprijs/modellen/<int:pk>/publiceren/",
        views.CostModelPublishView.as_view(),
        name="costmodel_publish",
    ),
    path(
        "kostprijs/modellen/<int:pk>/nieuwe-versie/",
        views.CostModelNewVersionView.as_view(),
        name="costmodel_new_version",
    ),
    path(
        "kostprijs/modellen/<int:pk>/vergelijken/",
        views.CostModelCompareView.as_view(),
        name="costmodel_compare",
    ),
    path("kostprijs/modellen/<int:pk>/export/", views.CostModelExportView.as_view(), name="costmodel_export"),
    path(
        "kostprijs/modellen/<int:pk>/importeren/",
        views.CostModelImportView.as_view(),
        name="costmodel_import",
    ),
    path("kostprijs/functieniveaus/", views.StaffLevelListView.as_view(), name="stafflevel_list"),
    path("kostprijs/functieniveaus/nieuw/", views.StaffLevelCreateView.as_view(), name="stafflevel_create"),
    path(
        "kostprijs/functieniveaus/<int:pk>/", views.StaffLevelUpdateView.as_view(), name="stafflevel_update"
    ),
    path("kostprijs/jaarinstellingen/", views.YearSettingsListView.as_view(), name="yearsettings_list"),
    path(
        "kostprijs/jaarinstellingen/nieuw/",
        views.YearSettingsCreateView.as_view(),
        name="yearsettings_create",
    ),
    path(
        "kostprijs/jaarinstellingen/<int:pk>/",
        views.YearSettingsUpdateView.as_view(),
        name="yearsettings_update",
    ),
    path("kostprijs/groepszorg/", views.GroupCareListView.as_view(), name="groupcare_list"),
    path(
        "kostprijs/groepszorg/<int:pk>/<year:year>/", views.GroupCareEditView.as_view(), name="groupcare_edit"
    ),
    path("kostprijs/budget/<int:pk>/", views.ClientBudgetView.as_view(), name="client_budget"),
]
