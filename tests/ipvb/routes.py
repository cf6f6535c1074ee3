from ipvb.roles import Role
from tests.routing import Route

ADMIN = frozenset({Role.ORG_ADMIN})


def _invitation(world, org: str = "a", email: str = "invitee@example.org"):  # type: ignore[no-untyped-def]
    from ipvb.models import MembershipInvitation

    def build(w):  # type: ignore[no-untyped-def]
        return MembershipInvitation.objects.create(
            organisation=w.org_a if org == "a" else w.org_b, email=email, roles=[Role.MANAGER]
        )

    return world.get(f"invitation:{org}:{email}", build)


def _own_invitation(world):  # type: ignore[no-untyped-def]
    """An invitation of org B for the care professional of org A (the route tests' user)."""
    return _invitation(world, "b", world.user(Role.CARE_PROFESSIONAL).email)


def _api_token(world, org: str):  # type: ignore[no-untyped-def]
    """A live API key made by the care professional of ``org`` in that organisation."""
    from datetime import timedelta

    from ipvb.models import ApiToken

    def build(w):  # type: ignore[no-untyped-def]
        member = w.membership(Role.CARE_PROFESSIONAL, org)
        token, _key = ApiToken.objects.create(
            user=member.user, expiry=timedelta(days=7), name="Route", organisation=member.organisation
        )
        return token

    return world.get(f"api_token:{org}", build)


# Pages of the user's own account side: a login is enough, no active membership needed.
WITHOUT_MEMBERSHIP_OK = {"without_membership": 200}
DEPT_READERS = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.TEAM_LEADER, Role.CARE_PROFESSIONAL})

ROUTES = [
    Route("healthz", public=True),
    Route("readyz", public=True),
    Route("home"),
    Route("organisation_switch", method="post", ok_status=302, data=lambda w: {"organisation": w.org_a.pk}),
    Route("organisation_choose", extra=WITHOUT_MEMBERSHIP_OK),
    Route("invitation_list", extra=WITHOUT_MEMBERSHIP_OK),
    Route(
        "invitation_accept",
        method="post",
        ok_status=302,
        kwargs=lambda w: {"pk": _own_invitation(w).pk},
        other_kwargs=lambda w: {"pk": _invitation(w, "b").pk},
        extra={"without_membership": 404},
    ),
    Route(
        "invitation_decline",
        method="post",
        ok_status=302,
        kwargs=lambda w: {"pk": _own_invitation(w).pk},
        other_kwargs=lambda w: {"pk": _invitation(w, "b").pk},
        extra={"without_membership": 404},
    ),
    Route("organisation_edit", roles=ADMIN),
    Route("department_list", roles=DEPT_READERS),
    Route("department_create", roles=ADMIN),
    Route(
        "department_update",
        roles=frozenset({Role.ORG_ADMIN, Role.TEAM_LEADER}),  # team leader: own departments
        kwargs=lambda w: {"pk": w.dept_a.pk},
        other_kwargs=lambda w: {"pk": w.dept_b.pk},
    ),
    Route("member_list", roles=ADMIN),
    Route("api_token"),
    Route("organisation_api_tokens", roles=ADMIN),
    Route(
        "organisation_api_token_revoke",
        roles=ADMIN,
        method="post",
        ok_status=302,
        kwargs=lambda w: {"public_id": _api_token(w, "a").public_id},
        other_kwargs=lambda w: {"public_id": _api_token(w, "b").public_id},
    ),
    Route("member_create", roles=ADMIN),
    Route(
        "member_invitation_revoke",
        roles=ADMIN,
        method="post",
        ok_status=302,
        kwargs=lambda w: {"pk": _invitation(w, "a").pk},
        other_kwargs=lambda w: {"pk": _invitation(w, "b").pk},
    ),
    Route(
        "member_update",
        roles=ADMIN,
        kwargs=lambda w: {"pk": w.membership(Role.CARE_PROFESSIONAL).pk},
        other_kwargs=lambda w: {"pk": w.membership(Role.CARE_PROFESSIONAL, "b").pk},
    ),
    # API
    Route("api-organisation", api=True),
    Route("department-list", api=True),
    Route(
        "department-detail",
        api=True,
        kwargs=lambda w: {"pk": w.dept_a.pk},
        other_kwargs=lambda w: {"pk": w.dept_b.pk},
    ),
    Route("membership-list", api=True, roles=ADMIN),
    Route(
        "membership-detail",
        api=True,
        roles=ADMIN,
        kwargs=lambda w: {"pk": w.membership(Role.CARE_PROFESSIONAL).pk},
        other_kwargs=lambda w: {"pk": w.membership(Role.CARE_PROFESSIONAL, "b").pk},
    ),
    Route("invitation-list", api=True, roles=ADMIN),
    Route(
        "invitation-detail",
        api=True,
        roles=ADMIN,
        kwargs=lambda w: {"pk": _invitation(w, "a").pk},
        other_kwargs=lambda w: {"pk": _invitation(w, "b").pk},
    ),
    Route("api-schema", api=True),
    Route("api-docs", api=True),
]
