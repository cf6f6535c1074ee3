from ipvb.roles import Role
from tests.reporting.builders import reporting_world
from tests.routing import Route

BOARD = frozenset({Role.BOARD, Role.MANAGER})
MANAGEMENT = frozenset({Role.MANAGER, Role.FINANCIAL})
LEADER = frozenset({Role.TEAM_LEADER})
CARE = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
FORMATIE = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.FINANCIAL, Role.BOARD})
SIGNALS = frozenset({Role.TEAM_LEADER, Role.MANAGER})
SNAPSHOTS = frozenset({Role.MANAGER, Role.TEAM_LEADER})


def client_a(w):  # type: ignore[no-untyped-def]
    return {"client_pk": reporting_world(w)["client"].pk}


def client_b(w):  # type: ignore[no-untyped-def]
    return {"client_pk": reporting_world(w, "b")["client"].pk}


def snapshot_a(w):  # type: ignore[no-untyped-def]
    return {"pk": reporting_world(w)["snapshot"].pk}


def snapshot_b(w):  # type: ignore[no-untyped-def]
    return {"pk": reporting_world(w, "b")["snapshot"].pk}


ROUTES = [
    Route("reporting_board", roles=BOARD),
    Route("reporting_management", roles=MANAGEMENT),
    Route("reporting_team", roles=LEADER),
    Route("reporting_care", roles=CARE),
    Route("reporting_formatie", roles=FORMATIE),
    Route("reporting_formatie_entry", roles=LEADER),
    Route("reporting_client_signals", roles=SIGNALS, kwargs=client_a, other_kwargs=client_b),
    Route("reporting_evidence_pack", roles=SIGNALS, kwargs=client_a, other_kwargs=client_b),
    Route("snapshot-list", api=True, roles=SNAPSHOTS),
    Route("snapshot-detail", api=True, roles=SNAPSHOTS, kwargs=snapshot_a, other_kwargs=snapshot_b),
    Route("signal-list", api=True, roles=SNAPSHOTS),
    Route("signal-detail", api=True, roles=SNAPSHOTS, kwargs=snapshot_a, other_kwargs=snapshot_b),
    Route("reporting-formatie", api=True, roles=FORMATIE),
]
