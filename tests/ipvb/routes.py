from ipvb.roles import Role
from tests.routing import Route

ADMIN = frozenset({Role.ORG_ADMIN})
DEPT_READERS = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.TEAM_LEADER, Role.CARE_PROFESSIONAL})

ROUTES = [
    Route("healthz", public=True),
    Route("readyz", public=True),
    Route("home"),
    Route("organisation_switch", method="post", ok_status=302, data=lambda w: {"organisation": w.org_a.pk}),
    Route("organisation_edit", roles=ADMIN),
    Route("department_list", roles=DEPT_READERS),
    Route("department_create", roles=ADMIN),
    Route(
        "department_update",
        roles=ADMIN,
        kwargs=lambda w: {"pk": w.dept_a.pk},
        other_kwargs=lambda w: {"pk": w.dept_b.pk},
    ),
    Route("member_list", roles=ADMIN),
    Route("member_create", roles=ADMIN),
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
    Route("api-schema", api=True),
    Route("api-docs", api=True),
    Route("api-redoc", api=True),
]
