"""/api/v1/: the core routes plus each app's ``<app>/api_urls.py``."""

import importlib.util

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from ..navigation import APPS
from . import views

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("invitations", views.MembershipInvitationViewSet, basename="invitation")

urlpatterns = [
    path("organisation/", views.OrganisationView.as_view(), name="api-organisation"),
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

for _app in APPS[1:]:
    if importlib.util.find_spec(f"{_app}.api_urls") is not None:
        urlpatterns.append(path("", include(f"{_app}.api_urls")))
