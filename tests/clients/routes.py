from ipvb.roles import Role
from tests.routing import Route

from .builders import client_a, client_b, contact_a, contact_b, indication_a, indication_b, log_entry

READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.ORG_ADMIN})
LEADERS = frozenset({Role.TEAM_LEADER, Role.ORG_ADMIN})
BSN_VIEWERS = WRITERS
ADMIN = frozenset({Role.ORG_ADMIN})


def _client(w):  # type: ignore[no-untyped-def]
    return {"pk": client_a(w).pk}


def _client_b(w):  # type: ignore[no-untyped-def]
    return {"pk": client_b(w).pk}


def _cpk(w):  # type: ignore[no-untyped-def]
    return {"client_pk": client_a(w).pk}


def _cpk_b(w):  # type: ignore[no-untyped-def]
    return {"client_pk": client_b(w).pk}


ROUTES = [
    # Web
    Route("client_list", roles=READERS),
    Route("client_create", roles=WRITERS),
    Route("client_import", roles=ADMIN),
    Route("client_import_confirm", roles=ADMIN, method="post", ok_status=302),
    Route("client_detail", roles=READERS, kwargs=_client, other_kwargs=_client_b),
    Route("client_update", roles=WRITERS, kwargs=_client, other_kwargs=_client_b),
    Route("client_print", roles=READERS, kwargs=_client, other_kwargs=_client_b),
    Route("client_export", roles=frozenset({Role.TEAM_LEADER, Role.MANAGER})),
    Route("client_bsn", roles=BSN_VIEWERS, kwargs=_client, other_kwargs=_client_b, method="post"),
    Route("client_bsn_search", roles=BSN_VIEWERS),
    Route("client_discharge", roles=LEADERS, kwargs=_cpk, other_kwargs=_cpk_b),
    Route("client_move", roles=LEADERS, kwargs=_cpk, other_kwargs=_cpk_b),
    Route("client_accesslog", roles=LEADERS, kwargs=_cpk, other_kwargs=_cpk_b),
    Route("contactperson_create", roles=WRITERS, kwargs=_cpk, other_kwargs=_cpk_b),
    Route(
        "contactperson_update",
        roles=WRITERS,
        kwargs=lambda w: {"pk": contact_a(w).pk},
        other_kwargs=lambda w: {"pk": contact_b(w).pk},
    ),
    Route(
        "contactperson_delete",
        roles=WRITERS,
        kwargs=lambda w: {"pk": contact_a(w).pk},
        other_kwargs=lambda w: {"pk": contact_b(w).pk},
    ),
    Route("indication_create", roles=WRITERS, kwargs=_cpk, other_kwargs=_cpk_b),
    Route(
        "indication_update",
        roles=WRITERS,
        kwargs=lambda w: {"pk": indication_a(w).pk},
        other_kwargs=lambda w: {"pk": indication_b(w).pk},
    ),
    Route(
        "indication_delete",
        roles=LEADERS,
        kwargs=lambda w: {"pk": indication_a(w).pk},
        other_kwargs=lambda w: {"pk": indication_b(w).pk},
    ),
    Route("accesslog_list", roles=ADMIN),
    # API
    Route("client-list", api=True, roles=READERS),
    Route("client-detail", api=True, roles=READERS, kwargs=_client, other_kwargs=_client_b),
    Route("client-bsn", api=True, roles=BSN_VIEWERS, kwargs=_client, other_kwargs=_client_b),
    Route(
        "client-bsn-search",
        api=True,
        roles=BSN_VIEWERS,
        method="post",
        data=lambda w: {"bsn": client_a(w).bsn},
    ),
    Route(
        "client-discharge",
        api=True,
        roles=LEADERS,
        kwargs=_client,
        other_kwargs=_client_b,
        method="post",
        data=lambda w: {"discharge_date": "2025-06-30", "reason": "Verhuisd"},
    ),
    Route("contactperson-list", api=True, roles=READERS),
    Route(
        "contactperson-detail",
        api=True,
        roles=READERS,
        kwargs=lambda w: {"pk": contact_a(w).pk},
        other_kwargs=lambda w: {"pk": contact_b(w).pk},
    ),
    Route("indication-list", api=True, roles=READERS),
    Route(
        "indication-detail",
        api=True,
        roles=READERS,
        kwargs=lambda w: {"pk": indication_a(w).pk},
        other_kwargs=lambda w: {"pk": indication_b(w).pk},
    ),
    Route("accesslogentry-list", api=True, roles=ADMIN),
    Route(
        "accesslogentry-detail",
        api=True,
        roles=ADMIN,
        kwargs=lambda w: {"pk": log_entry(w).pk},
        other_kwargs=lambda w: {"pk": log_entry(w, "b").pk},
    ),
]
