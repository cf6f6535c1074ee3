from django.urls import path

from .views import invitation, pages, staff

urlpatterns = [
    path("familie/", pages.FamilyHomeView.as_view(), name="family_home"),
    path("familie/versies/", pages.FamilyVersionsView.as_view(), name="family_versions"),
    path("familie/pakket/<int:pk>/", pages.FamilyPackageView.as_view(), name="family_package"),
    path("familie/wensen/", pages.FamilyWishView.as_view(), name="family_wish"),
    path("familie/lettergrootte/", pages.FamilyLargeTypeView.as_view(), name="family_large_type"),
    path(
        "familie/uitnodiging/<str:token>/",
        invitation.FamilyInvitationView.as_view(),
        name="family_invitation",
    ),
    # Staff side
    path(
        "familie/clienten/<int:client_pk>/uitnodigen/",
        staff.FamilyInviteView.as_view(),
        name="family_invite",
    ),
    path(
        "familie/toegang/<int:pk>/beeindigen/", staff.FamilyAccessEndView.as_view(), name="family_access_end"
    ),
]
