from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("conversations", api.ConversationViewSet, basename="conversation")
router.register("packages", api.PackageViewSet, basename="package")
router.register("package-lines", api.PackageLineViewSet, basename="package-line")

urlpatterns = router.urls
