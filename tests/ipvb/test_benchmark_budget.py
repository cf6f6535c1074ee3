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


def _budget_targets(seed: int) -> tuple[Organisation, list[Any], list[tuple[int, int]]]:
    """The benchmark's targets, measured in-process on a small generated organisation."""
    from conversations.models import Package

    org = _organisation(seed, 24)
    drafts = benchmark_scale._drafts(org, 1)
    department = Department.objects.for_organisation(org).order_by("pk").first()
    agreed = Package.objects.for_organisation(org).filter(status=Package.Status.AGREED).order_by("pk").first()
    assert department is not None and agreed is not None
    targets = benchmark_scale.budget_targets(
        composer=lambda i: f"/pakketten/{drafts[i][0]}/samenstellen/",
        overview=department.pk,
        agreed=agreed.pk,
    )
    benchmark_scale._in_process(
        targets, benchmark_scale._Change(org, drafts), bench_http.ensure_logins(org, 1)[0], 0
    )
    return org, targets, drafts


def test_budget_targets_at_small_scale_within_their_query_limits() -> None:
    from conversations.models import Package

    org, targets, drafts = _budget_targets(172)
    # The two line changes (warm-up and counted) went through: the version moved on twice.
    assert Package.objects.for_organisation(org).get(pk=drafts[0][0]).lock_version >= 2
    lists = [target for target in targets if target.flat_page]
    assert len(lists) == 4 and all(target.page_queries for target in lists)
    assert len(lists[0].page_queries) >= 2  # the package list has more than one page here
    others = [target for target in targets if not target.change]
    assert {target.label: benchmark_scale.query_reasons(target) for target in others} == {
        target.label: [] for target in others
    }
