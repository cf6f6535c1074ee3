from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("clients", api.ClientViewSet, basename="client")
router.register("contact-persons", api.ContactPersonViewSet, basename="contactperson")
router.register("indications", api.IndicationViewSet, basename="indication")
router.register("access-log", api.AccessLogViewSet, basename="accesslogentry")

urlpatterns = router.urls
