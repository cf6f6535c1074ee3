from django.urls import path

from . import views

urlpatterns = [
    path("familie/", views.FamilyHomeView.as_view(), name="family_home"),
    path("familie/versies/", views.FamilyVersionsView.as_view(), name="family_versions"),
    path("familie/pakket/<int:pk>/", views.FamilyPackageView.as_view(), name="family_package"),
    path("familie/wensen/", views.FamilyWishView.as_view(), name="family_wish"),
    path("familie/lettergrootte/", views.FamilyLargeTypeView.as_view(), name="family_large_type"),
    path("familie/uitnodiging/<str:token>/", views.FamilyInvitationView.as_view(), name="family_invitation"),
    # Staff side
    path(
        "familie/clienten/<int:client_pk>/uitnodigen/",
        views.FamilyInviteView.as_view(),
        name="family_invite",
    ),
    path(
        "familie/toegang/<int:pk>/beeindigen/", views.FamilyAccessEndView.as_view(), name="family_access_end"
    ),
]
