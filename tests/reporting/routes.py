from ipvb.roles import Role
from tests.reporting.builders import reporting_world, transparency_world
from tests.reporting.programme.routes import ROUTES as PROGRAMME_ROUTES
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


TRANSPARENCY = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD})
ADMIN = frozenset({Role.ORG_ADMIN})
# Reporting-party routes: no organisation role gets in (the reporting party is platform-level;
# its access is tested in tests/reporting/test_transparency_access.py).
PARTY = {"roles": frozenset(), "extra": {"reporting_party": True}}


def report_a(w):  # type: ignore[no-untyped-def]
    return {"pk": transparency_world(w)["report"].pk}


def report_b(w):  # type: ignore[no-untyped-def]
    return {"pk": transparency_world(w, "b")["report"].pk}


def party_org(w):  # type: ignore[no-untyped-def]
    transparency_world(w)
    return {"org_pk": w.org_a.pk}


def participation_data(w):  # type: ignore[no-untyped-def]
    """A new agreement: another project leader than the one in force in the world (if any)."""
    return {
        "signed_on": "2025-11-20",
        "signed_by_name": "M. de Bestuurder",
        "signed_by_function": "Voorzitter RvB",
        "project_leader": "S. Nieuw",
        "start_date": "2025-12-01",
        "consent_cost_price": "on",
        "consent_addons": "on",
        "consent_usage": "on",
    }


def request_data(w):  # type: ignore[no-untyped-def]
    transparency_world(w)
    return {"month": "2026-01", "reason": "Correctie na nieuwe formatie"}


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
    Route("reporting_transparency", roles=TRANSPARENCY),
    Route(
        "reporting_participation_record", roles=ADMIN, method="post", data=participation_data, ok_status=302
    ),
    Route("reporting_report_request", roles=ADMIN, method="post", data=request_data, ok_status=302),
    Route("reporting_org_report", roles=TRANSPARENCY, kwargs=report_a, other_kwargs=report_b),
    Route("reporting_org_report_pdf", roles=TRANSPARENCY, kwargs=report_a, other_kwargs=report_b),
    Route("reporting_party_home", **PARTY),
    Route("reporting_party_report", kwargs=report_a, **PARTY),
    Route("reporting_party_report_pdf", kwargs=report_a, **PARTY),
    Route("reporting_party_rebuild", kwargs=party_org, method="post", ok_status=302, **PARTY),
    Route("reporting-party-organisations", api=True, **PARTY),
    Route("reporting-party-reports", api=True, **PARTY),
    Route("reporting-party-report", api=True, kwargs=report_a, **PARTY),
    Route("reporting-party-report-pdf", api=True, kwargs=report_a, **PARTY),
    Route("oauth2_token", public=True, method="post", ok_status=400),
    Route("oauth2_revoke_token", public=True, method="post", ok_status=400),
    *PROGRAMME_ROUTES,  # the programme (issue 15): tests/reporting/programme/routes.py
]
