from ipvb.roles import Role
from tests.conversations.builders import scenario
from tests.routing import Route

# Written out here, not imported from the app: the access tests check the app against them.
READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
LEADERS = frozenset({Role.TEAM_LEADER})


def of(key):  # type: ignore[no-untyped-def]
    """The scenario's object ``key`` (client, conversation, package, line) in org a or b."""
    return lambda w, org: scenario(w, org)[key]


CLIENT = {"of": of("client"), "of_key": "client_pk"}
POST = {"method": "post", "ok_status": 302}
API_POST = {"api": True, "method": "post", "ok_status": 400}

ROUTES = [
    Route("conversation_list", roles=READERS, **CLIENT),
    Route("conversation_create", roles=WRITERS, **CLIENT),
    Route("conversation_detail", roles=READERS, of=of("conversation")),
    Route("conversation_update", roles=WRITERS, of=of("conversation")),
    Route("package_start", roles=WRITERS, **CLIENT, **POST),
    Route("package_versions", roles=READERS, **CLIENT),
    Route("package_detail", roles=READERS, of=of("package")),
    Route("package_composer", roles=WRITERS, of=of("package")),
    Route("package_line_add", roles=WRITERS, of=of("package"), **POST),
    Route("package_line_update", roles=WRITERS, of=of("line"), **POST),
    Route("package_line_remove", roles=WRITERS, of=of("line"), **POST),
    Route("package_agree", roles=WRITERS, of=of("package")),
    Route("package_approve", roles=LEADERS, of=of("package"), **POST),
    Route("package_send_back", roles=LEADERS, of=of("package"), **POST),
    Route("package_swap", roles=WRITERS, of=of("package"), **POST),
    Route("package_print", roles=READERS, of=of("package")),
    Route("package_pdf", roles=READERS, of=of("package")),
    Route("package_approvals", roles=LEADERS),
    Route("department_overview", roles=READERS, of=lambda w, org: w.dept_a if org == "a" else w.dept_b),
]

ROUTES += [
    Route("conversation-list", api=True, roles=READERS),
    Route("conversation-detail", api=True, roles=READERS, of=of("conversation")),
    Route("package-list", api=True, roles=READERS),
    Route("package-detail", api=True, roles=READERS, of=of("package")),
    Route("package-lines", roles=WRITERS, of=of("package"), **API_POST),
    Route("package-agree", roles=WRITERS, of=of("package"), **API_POST),
    Route("package-approve", roles=LEADERS, of=of("package"), **API_POST),
    Route("package-send-back", roles=LEADERS, of=of("package"), **API_POST),
    Route("package-line-list", api=True, roles=READERS),
    Route("package-line-detail", api=True, roles=READERS, of=of("line")),
]
