"""Issue 16 item 6: the small-scale version of the performance budget (scripts/benchmark.py).

The same targets as the benchmark's table, made in-process on a small generated organisation,
checked on what is counted, never on time: no list page making a query per row, the stored
PDF of an agreed version not rendered in the request, every answer 200 (the composer's query
bounds are in test_scale.py; the issue's 12 for a line change is not reached yet, and the
benchmark's table says FAIL for it). Also the logins the benchmark and the load test use (a
password and an authenticator, MFA required as in production) log in through the real forms."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from clients import synthetic
from ipvb.models import Department, Organisation, User

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import bench_http
import benchmark_scale

pytestmark = pytest.mark.django_db


def _organisation(seed: int, clients: int) -> Organisation:
    synthetic.generate(organisations=1, clients=clients, seed=seed)
    return Organisation.objects.get(agb_code=synthetic.agb_code(seed, 0))


def test_benchmark_logins_log_in_with_password_and_authenticator(settings: Any) -> None:
    settings.IPVB_REQUIRE_MFA = True
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    org = _organisation(171, 2)
    pairs = bench_http.ensure_logins(org, 2)
    assert bench_http.ensure_logins(org, 2) == pairs  # idempotent
    assert (
        User.objects.filter(
            email__startswith="bench-", email__endswith=f".{org.agb_code}@synthetisch.example"
        ).count()
        == 4
    )
    leader, manager = pairs[0]
    assert (leader.role, manager.role) == ("teamleider", "manager")
    for account in (leader, manager):
        web = Client()
        response = web.post(
            "/accounts/login/", {"login": account.email, "password": bench_http.BENCH_PASSWORD}
        )
        assert response.status_code == 302 and "/2fa/authenticate" in response["Location"], response
        response = web.post(response["Location"], {"code": bench_http._totp_code(account.secret)})
        assert response.status_code == 302 and "/accounts/" not in response["Location"]
        assert web.get("/").status_code == 200
    departments = Department.objects.for_organisation(org).count()
    user = User.objects.get(email=leader.email)
    assert user.memberships.get().departments.count() == departments


def test_benchmark_logins_of_every_role_the_lists_need() -> None:
    """An organisation admin (memberships, invitations, the access log) and a reporting-party
    user (its reports), besides the team leader and the manager."""
    from reporting.parties import is_reporting_party

    org = _organisation(173, 2)
    leader, manager, admin, party = bench_http.ensure_logins(
        org, 1, roles=("teamleider", "manager", "beheerder", "rapportagepartij")
    )[0]
    assert bench_http.ensure_logins(org, 1)[0] == (leader, manager)
    assert User.objects.get(email=admin.email).memberships.get().roles == ["org_admin"]
    party_user = User.objects.get(email=party.email)
    assert is_reporting_party(party_user) and not party_user.memberships.exists()


def test_every_api_list_route_is_a_budget_target() -> None:
    """Every GET list under /api/v1/ is in the table (benchmark_scale.API_LISTS): a new list
    route fails here until it is added."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += routes(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append((prefix + str(pattern.pattern), pattern.callback))
        return found

    lists = set()
    for route, callback in routes(get_resolver().url_patterns):
        if not route.startswith("api/v1/"):
            continue
        name = route.removeprefix("api/v1/").removeprefix("^").removesuffix("/$").removesuffix("/")
        actions = getattr(callback, "actions", None) or {}
        view = getattr(callback, "cls", None)
        if actions.get("get") == "list" or name in {"reporting/organisations", "reporting/reports"}:
            lists.add(name)
        elif view is not None and actions == {} and "<" not in name:
            # The other plain GET views of the API, none of them a page of rows.
            assert name in {"organisation", "schema", "docs", "reporting/formatie"} or "benchmark" in name, (
                name
            )
    assert lists == {name for name, _role in benchmark_scale.API_LISTS}


def _budget_targets(seed: int) -> tuple[Organisation, list[Any], list[tuple[int, int]]]:
    """The benchmark's targets, measured in-process on a small generated organisation (with
    its weekly snapshots and, for the reporting party, a monthly report)."""
    from conversations.models import Package

    org = _organisation(seed, 24)
    benchmark_scale._reporting_data(org)
    drafts = benchmark_scale._drafts(org, 1)
    department = Department.objects.for_organisation(org).order_by("pk").first()
    agreed = Package.objects.for_organisation(org).filter(status=Package.Status.AGREED).order_by("pk").first()
    assert department is not None and agreed is not None
    targets = benchmark_scale.budget_targets(
        composer=lambda i: f"/pakketten/{drafts[i][0]}/samenstellen/",
        overview=department.pk,
        agreed=agreed.pk,
    )
    logins = bench_http.ensure_logins(org, 1, roles=benchmark_scale.login_roles(targets))[0]
    benchmark_scale._in_process(targets, benchmark_scale._Change(org, drafts), logins, 0)
    return org, targets, drafts


def test_budget_targets_at_small_scale_within_their_query_limits() -> None:
    from conversations.models import Package

    org, targets, drafts = _budget_targets(172)
    # The two line changes (warm-up and counted) went through: the version moved on twice.
    assert Package.objects.for_organisation(org).get(pk=drafts[0][0]).lock_version >= 2
    lists = {target.label: target for target in targets if target.flat_page}
    assert len(lists) == len(benchmark_scale.API_LISTS) and all(t.page_queries for t in lists.values())
    assert len(lists["GET /api/v1/packages/"].page_queries) >= 2  # more than one page here
    # The lists the table measures show rows here too (a list that answers nothing measures
    # nothing): every list of the generated data, and the reporting data made for the table.
    empty = {label for label, target in lists.items() if not target.rows}
    assert empty == {"GET /api/v1/invitations/"}, empty
    others = [target for target in targets if not target.change]
    assert {target.label: benchmark_scale.query_reasons(target) for target in others} == {
        target.label: [] for target in others
    }
