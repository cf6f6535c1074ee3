from ipvb.roles import Role
from tests.conversations.builders import scenario
from tests.routing import Route

READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
LEADERS = frozenset({Role.TEAM_LEADER})


def a(key):  # type: ignore[no-untyped-def]
    return lambda w: {"pk": scenario(w)[key].pk}


def b(key):  # type: ignore[no-untyped-def]
    return lambda w: {"pk": scenario(w, "b")[key].pk}


def client_a(w):  # type: ignore[no-untyped-def]
    return {"client_pk": scenario(w)["client"].pk}


def client_b(w):  # type: ignore[no-untyped-def]
    return {"client_pk": scenario(w, "b")["client"].pk}


ROUTES = [
    Route("conversation_list", roles=READERS, kwargs=client_a, other_kwargs=client_b),
    Route("conversation_create", roles=WRITERS, kwargs=client_a, other_kwargs=client_b),
    Route("conversation_detail", roles=READERS, kwargs=a("conversation"), other_kwargs=b("conversation")),
    Route("conversation_update", roles=WRITERS, kwargs=a("conversation"), other_kwargs=b("conversation")),
    Route(
        "package_start", roles=WRITERS, method="post", ok_status=302, kwargs=client_a, other_kwargs=client_b
    ),
    Route("package_versions", roles=READERS, kwargs=client_a, other_kwargs=client_b),
    Route("package_detail", roles=READERS, kwargs=a("package"), other_kwargs=b("package")),
    Route("package_composer", roles=WRITERS, kwargs=a("package"), other_kwargs=b("package")),
    Route(
        "package_line_add",
        roles=WRITERS,
        method="post",
        ok_status=302,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route(
        "package_line_update",
        roles=WRITERS,
        method="post",
        ok_status=302,
        kwargs=a("line"),
        other_kwargs=b("line"),
    ),
    Route(
        "package_line_remove",
        roles=WRITERS,
        method="post",
        ok_status=302,
        kwargs=a("line"),
        other_kwargs=b("line"),
    ),
    Route("package_agree", roles=WRITERS, kwargs=a("package"), other_kwargs=b("package")),
    Route(
        "package_approve",
        roles=LEADERS,
        method="post",
        ok_status=302,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route(
        "package_send_back",
        roles=LEADERS,
        method="post",
        ok_status=302,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route(
        "package_swap",
        roles=WRITERS,
        method="post",
        ok_status=302,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route("package_print", roles=READERS, kwargs=a("package"), other_kwargs=b("package")),
    Route("package_pdf", roles=READERS, kwargs=a("package"), other_kwargs=b("package")),
    Route("package_approvals", roles=LEADERS),
    Route(
        "department_overview",
        roles=READERS,
        kwargs=lambda w: {"pk": w.dept_a.pk},
        other_kwargs=lambda w: {"pk": w.dept_b.pk},
    ),
]

ROUTES += [
    Route("conversation-list", api=True, roles=READERS),
    Route(
        "conversation-detail",
        api=True,
        roles=READERS,
        kwargs=a("conversation"),
        other_kwargs=b("conversation"),
    ),
    Route("package-list", api=True, roles=READERS),
    Route("package-detail", api=True, roles=READERS, kwargs=a("package"), other_kwargs=b("package")),
    Route(
        "package-lines",
        api=True,
        roles=WRITERS,
        method="post",
        ok_status=400,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route(
        "package-agree",
        api=True,
        roles=WRITERS,
        method="post",
        ok_status=400,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route(
        "package-approve",
        api=True,
        roles=LEADERS,
        method="post",
        ok_status=400,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route(
        "package-send-back",
        api=True,
        roles=LEADERS,
        method="post",
        ok_status=400,
        kwargs=a("package"),
        other_kwargs=b("package"),
    ),
    Route("package-line-list", api=True, roles=READERS),
    Route("package-line-detail", api=True, roles=READERS, kwargs=a("line"), other_kwargs=b("line")),
]
