from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("catalog/activities", api.ActivityViewSet, basename="catalog-activity")
router.register("catalog/addon-items", api.AddOnItemViewSet, basename="catalog-addon-item")

urlpatterns = router.urls
