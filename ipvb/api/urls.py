"""/api/v1/: the core routes plus each app's ``<app>/api_urls.py``."""

import importlib.util

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
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
    # Swagger UI loads its init script from a URL (no inline script under the CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # No Redoc page: its bundle loads a logo from a CDN and needs blob workers and inline
    # styles, which the Content-Security-Policy refuses (docs/security.md).
]

for _app in APPS[1:]:
    if importlib.util.find_spec(f"{_app}.api_urls") is not None:
        urlpatterns.append(path("", include(f"{_app}.api_urls")))
