"""Project URLs. Each app contributes ``<app>/urls.py`` (web) and ``<app>/api_urls.py`` (API)."""

import importlib.util

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .navigation import APPS
from .views import accounts, core, tokens

urlpatterns = [
    path("", core.HomeView.as_view(), name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
    path("organisatie/wisselen/", core.switch_organisation, name="organisation_switch"),
    path("organisatie/kiezen/", accounts.OrganisationChooseView.as_view(), name="organisation_choose"),
    path("uitnodigingen/", accounts.InvitationListView.as_view(), name="invitation_list"),
    path(
        "uitnodigingen/<int:pk>/accepteren/",
        accounts.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path(
        "uitnodigingen/<int:pk>/afwijzen/",
        accounts.InvitationDeclineView.as_view(),
        name="invitation_decline",
    ),
    path("organisatie/", core.OrganisationEditView.as_view(), name="organisation_edit"),
    path("afdelingen/", core.DepartmentListView.as_view(), name="department_list"),
    path("afdelingen/nieuw/", core.DepartmentCreateView.as_view(), name="department_create"),
    path("afdelingen/<int:pk>/", core.DepartmentUpdateView.as_view(), name="department_update"),
    path("gebruikers/", core.MemberListView.as_view(), name="member_list"),
    path("api-sleutel/", tokens.ApiTokenView.as_view(), name="api_token"),
    path(
        "gebruikers/api-sleutels/",
        tokens.OrganisationApiTokenListView.as_view(),
        name="organisation_api_tokens",
    ),
    path(
        "gebruikers/api-sleutels/<uuid:public_id>/intrekken/",
        tokens.OrganisationApiTokenRevokeView.as_view(),
        name="organisation_api_token_revoke",
    ),
    path("gebruikers/nieuw/", core.MemberCreateView.as_view(), name="member_create"),
    path("gebruikers/<int:pk>/", core.MemberUpdateView.as_view(), name="member_update"),
    path(
        "gebruikers/uitnodigingen/<int:pk>/intrekken/",
        core.InvitationRevokeView.as_view(),
        name="member_invitation_revoke",
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("ipvb.api.urls")),
    path("beheer/", admin.site.urls),
]

for _app in APPS[1:]:
    if importlib.util.find_spec(f"{_app}.urls") is not None:
        urlpatterns.append(path("", include(f"{_app}.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
