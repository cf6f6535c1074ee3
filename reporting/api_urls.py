from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("reporting/snapshots", api.SnapshotViewSet, basename="snapshot")
router.register("reporting/signals", api.SignalViewSet, basename="signal")

urlpatterns = [
    *router.urls,
    path("reporting/formatie/", api.FormatieView.as_view(), name="reporting-formatie"),
]
