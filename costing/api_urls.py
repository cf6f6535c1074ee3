from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("tariffs", api.TariffViewSet, basename="tariff")
router.register("staff-levels", api.StaffLevelViewSet, basename="staff-level")
router.register("cost-price-models", api.CostPriceModelViewSet, basename="cost-price-model")
router.register("cost-price-model-levels", api.ModelLevelViewSet, basename="cost-price-model-level")
router.register("year-settings", api.YearSettingsViewSet, basename="year-settings")
router.register("group-care", api.GroupCareViewSet, basename="group-care")

urlpatterns = [
    *router.urls,
    path("clients/<int:pk>/budget/", api.ClientBudgetView.as_view(), name="client-budget"),
]
