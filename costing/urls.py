from django.urls import path, register_converter

from ipvb.validators import YearConverter

from .views import care, financial, platform

register_converter(YearConverter, "year")

urlpatterns = [
    path("tarieven/", platform.TariffListView.as_view(), name="tariff_list"),
    path("tarieven/importeren/", platform.TariffImportView.as_view(), name="tariff_import"),
    path("kostprijs/modellen/", financial.CostModelListView.as_view(), name="costmodel_list"),
    path("kostprijs/modellen/nieuw/", financial.CostModelCreateView.as_view(), name="costmodel_create"),
    path("kostprijs/modellen/<int:pk>/", financial.CostModelDetailView.as_view(), name="costmodel_detail"),
    path(
        "kostprijs/modellen/<int:pk>/wijzigen/",
        financial.CostModelUpdateView.as_view(),
        name="costmodel_update",
    ),
    path(
        "kostprijs/modellen/<int:pk>/niveaus/",
        financial.CostModelLevelsView.as_view(),
        name="costmodel_levels",
    ),
    path(
        "kostprijs/modellen/<int:pk>/publiceren/",
        financial.CostModelPublishView.as_view(),
        name="costmodel_publish",
    ),
    path(
        "kostprijs/modellen/<int:pk>/nieuwe-versie/",
        financial.CostModelNewVersionView.as_view(),
        name="costmodel_new_version",
    ),
    path(
        "kostprijs/modellen/<int:pk>/vergelijken/",
        financial.CostModelCompareView.as_view(),
        name="costmodel_compare",
    ),
    path(
        "kostprijs/modellen/<int:pk>/export/",
        financial.CostModelExportView.as_view(),
        name="costmodel_export",
    ),
    path(
        "kostprijs/modellen/<int:pk>/importeren/",
        financial.CostModelImportView.as_view(),
        name="costmodel_import",
    ),
    path("kostprijs/functieniveaus/", financial.StaffLevelListView.as_view(), name="stafflevel_list"),
    path(
        "kostprijs/functieniveaus/nieuw/", financial.StaffLevelCreateView.as_view(), name="stafflevel_create"
    ),
    path(
        "kostprijs/functieniveaus/<int:pk>/",
        financial.StaffLevelUpdateView.as_view(),
        name="stafflevel_update",
    ),
    path("kostprijs/jaarinstellingen/", financial.YearSettingsListView.as_view(), name="yearsettings_list"),
    path(
        "kostprijs/jaarinstellingen/nieuw/",
        financial.YearSettingsCreateView.as_view(),
        name="yearsettings_create",
    ),
    path(
        "kostprijs/jaarinstellingen/<int:pk>/",
        financial.YearSettingsUpdateView.as_view(),
        name="yearsettings_update",
    ),
    path("kostprijs/groepszorg/", care.GroupCareListView.as_view(), name="groupcare_list"),
    path(
        "kostprijs/groepszorg/<int:pk>/<year:year>/", care.GroupCareEditView.as_view(), name="groupcare_edit"
    ),
    path("kostprijs/budget/<int:pk>/", care.ClientBudgetView.as_view(), name="client_budget"),
]
