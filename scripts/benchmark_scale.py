"""The performance budget of issue 16, on a generated organisation of 2,000 clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipvb_bench make benchmark   # everything
    DATABASE_URL=... .venv/bin/python scripts/benchmark.py --budget             # this table only

Generates its data (once per database: one organisation of ``IPVB_BENCH_CLIENTS`` clients,
1,000 of them on one department), starts gunicorn on loopback with the production settings
(``scripts/bench_settings.py``, 2 sync workers, the application's database role under
row-level security), logs in one user per connection and role (team leader, manager, organisation
admin, reporting party: whichever the targets need) through the real login (password and
authenticator code) and measures every target of issue 16, every GET list of the API among
them (``API_LISTS``), as a ratio to the authenticated bare endpoint (``/healthz`` with the same
session cookies) measured in the same run at the same moments (the load of a shared machine
drifts over the minutes a run takes): at 1 connection each request of the target is followed
by one of the bare endpoint; at 8 concurrent connections (a thread pool) the bare endpoint is
measured under the same concurrency just before and just after the target. The query counts come from the same requests made in-process through Django's
test client (without the row-level-security ``set_config`` statements). One table, PASS or
FAIL per target; the verdict needs the median ratio within the target at both concurrencies,
the query limit where the issue sets one, no error answer, and for the lists a query count that
does not grow with the page. PostgreSQL only for meaningful figures (SQLite still runs)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import bench_http  # noqa: E402

CLIENTS = int(os.environ.get("IPVB_BENCH_CLIENTS", "2000"))  # smaller for a quick check
SEED = 16
OVERVIEW_CLIENTS = min(1000, CLIENTS)
CONCURRENCY = int(os.environ.get("IPVB_BENCH_CONCURRENCY", "8"))
REPEAT_ONE = int(os.environ.get("IPVB_BENCH_REPEAT", "25"))  # timed requests at one connection
REPEAT_EACH = int(os.environ.get("IPVB_BENCH_REPEAT_EACH", "15"))  # per connection at CONCURRENCY
# IPVB_BENCH_ONLY="composer,overview": only the targets whose label contains one of these parts.
ONLY = [part for part in os.environ.get("IPVB_BENCH_ONLY", "").split(",") if part]
WORKERS = int(os.environ.get("IPVB_BENCH_WORKERS", "2"))  # gunicorn sync workers (docs: 2 on 2 cores)
BATCH_SCRIPT = SCRIPTS / "benchmark_batch.py"
# Untimed requests per connection before a target is timed: the figures are of a server in
# its steady state, where each worker's database connection has prepared the target's statements
# (psycopg prepares a statement on its second run, DATABASE_PREPARE_THRESHOLD; 2 workers share the
# requests of one connection).
WARM_UP = int(os.environ.get("IPVB_BENCH_WARM_UP", "4"))
PER_ROW = 50  # a list page of 50 rows that makes this many queries makes one per row
LABEL = 46  # the width of the table's first column


@dataclass
class Target:
    label: str
    ratio_limit: float | None  # None: no ratio target (the PDF: "not rendered in the request")
    role: str  # which login makes the request: a name of bench_http.LOGIN_ROLES
    path: Callable[[int], str]  # the URL for connection number i
    query_limit: int | None = None
    flat_page: bool = False  # a list: pages 1-5 counted, no page may need a query per row
    rows: int = 0  # a list: the rows of its first page (in-process)
    change: bool = False  # the composer's htmx line change (a POST)
    pdf: bool = False
    queries: int = 0
    page_queries: list[int] = field(default_factory=list)
    renders: int = 0
    status: int = 0  # of the in-process request
    results: dict[int, tuple[list[float], list[str]]] = field(default_factory=dict)
    bare: dict[int, list[float]] = field(default_factory=dict)  # the bare endpoint around it


def _fixed(path: str) -> Callable[[int], str]:
    """The same URL for every connection."""
    return lambda _i: path


# Every GET list under /api/v1/ (ipvb/api/urls.py and each app's api_urls.py; the test
# tests/ipvb/test_benchmark_budget.py fails when a list route is missing here) with a login
# whose role may read it: the organisation admin for memberships, invitations and the access
# log, the reporting party (a platform-level user) for its two lists, else the manager. Not
# lists: the organisation itself, the formatie and the benchmark reports (computed answers of
# one organisation, not pages of rows), a client's budget, the schema and its docs.
API_LISTS: tuple[tuple[str, str], ...] = (
    ("packages", "manager"),
    ("clients", "manager"),
    ("conversations", "manager"),
    ("package-lines", "manager"),
    ("departments", "manager"),
    ("memberships", "beheerder"),
    ("invitations", "beheerder"),
    ("contact-persons", "manager"),
    ("indications", "manager"),
    ("access-log", "beheerder"),
    ("tariffs", "manager"),
    ("staff-levels", "manager"),
    ("cost-price-models", "manager"),
    ("cost-price-model-levels", "manager"),
    ("year-settings", "manager"),
    ("group-care", "manager"),
    ("catalog/activities", "manager"),
    ("catalog/addon-items", "manager"),
    ("reporting/snapshots", "manager"),
    ("reporting/signals", "manager"),
    ("reporting/organisations", "rapportagepartij"),
    ("reporting/reports", "rapportagepartij"),
)


def budget_targets(*, composer: Callable[[int], str], overview: int, agreed: int) -> list[Target]:
    """The targets of issue 16: ``composer(i)`` is the composer of connection i's draft,
    ``overview`` the department of 1,000 clients, ``agreed`` an agreed package (its PDF); every
    API list (``API_LISTS``) at 5x."""
    return [
        Target("composer line change (htmx)", 3, "teamleider", lambda i: "", query_limit=12, change=True),
        Target("composer page", 4, "teamleider", composer),
        *(
            Target(f"GET /api/v1/{name}/", 5, role, _fixed(f"/api/v1/{name}/"), flat_page=True)
            for name, role in API_LISTS
        ),
        Target(
            f"department overview ({OVERVIEW_CLIENTS:,} clients)",
            10,
            "manager",
            lambda i: f"/afdelingen/{overview}/overzicht/",
        ),
        Target(
            "package PDF, agreed version (stored)",
            None,
            "teamleider",
            lambda i: f"/pakketten/{agreed}/pdf/",
            pdf=True,
        ),
    ]


def login_roles(targets: list[Target]) -> tuple[str, ...]:
    """The logins the targets need (names of bench_http.LOGIN_ROLES), team leader and manager
    first."""
    return tuple(dict.fromkeys(["teamleider", "manager", *(target.role for target in targets)]))


def query_reasons(target: Target) -> list[str]:
    """Why ``target`` fails on what is counted in-process (queries, the PDF's rendering, an
    in-process answer that is not 200); empty when it passes. ``make test`` asserts this at small
    scale (tests/ipvb/test_benchmark_budget.py); the table adds the ratios and the HTTP errors."""
    reasons = []
    if target.query_limit is not None and target.queries > target.query_limit:
        reasons.append(f"{target.queries} queries")
    if target.flat_page and max(target.page_queries, default=0) >= PER_ROW:
        reasons.append(f"{max(target.page_queries)} queries on a page: one per row")
    if target.pdf and target.renders:
        reasons.append("rendered in the request")
    if target.status != 200:
        reasons.append(f"in-process answer {target.status}")
    return reasons


def _organisation() -> Any:
    from clients import synthetic
    from ipvb.models import Organisation

    code = synthetic.agb_code(SEED, 0)
    org = Organisation.objects.filter(agb_code=code).first()
    if org is None:
        summary = synthetic.generate(organisations=1, clients=CLIENTS, seed=SEED)
        print(
            f"generated 1 organisation of {summary.clients} clients ({summary.packages} packages, "
            f"{summary.lines} lines) in {summary.seconds:.1f} s: {summary.clients_per_second:.0f} clients/s; "
            f"CPU {summary.cpu_ms_per_client:.1f} ms per client (application + database)"
        )
        org = Organisation.objects.get(agb_code=code)  # settled in run(), before the requests
    return org


def _reporting_data(org: Any) -> None:
    """What the reporting lists show, made once per database: the weekly snapshots of this
    week (the snapshot and signal lists read the latest week), and for the reporting party a
    participation agreement with consent and the monthly report of last month (its snapshot of
    that month's last Monday taken first)."""
    import datetime

    from django.utils import timezone

    from reporting.models import MonthlyReport, WeeklySnapshot
    from reporting.parties import participation_in_force
    from reporting.snapshots import snapshots_build
    from reporting.tasks import previous_month
    from reporting.transparency import month_bounds
    from reporting.transparency_services import build_request, participation_record, run_build

    today = timezone.localdate()
    snapshots = WeeklySnapshot.objects.for_organisation(org)
    if not snapshots.filter(week_start=today - datetime.timedelta(days=today.weekday())).exists():
        snapshots_build(organisation=org, week_of=today)
    record = participation_in_force(org)
    if record is None or not record.has_consent:
        participation_record(
            organisation=org, user=None, signed_on=datetime.date(2025, 1, 10), signed_by_name="Bestuurder",
            signed_by_function="RvB", project_leader="Projectleider", start_date=datetime.date(2025, 1, 1),
            consent_cost_price=True, consent_addons=True, consent_usage=True,
        )  # fmt: skip
    month = previous_month(today)
    if not MonthlyReport.objects.for_organisation(org).filter(month=month).exists():
        _first, last = month_bounds(month)
        monday = last - datetime.timedelta(days=last.weekday())
        if not snapshots.filter(week_start=monday).exists():
            snapshots_build(organisation=org, week_of=monday)
        build = build_request(organisation=org, month=month, reason="Benchmark", enqueue=False)
        run_build(org.pk, build.pk)


def _drafts(org: Any, count: int) -> list[tuple[int, int]]:
    """(draft package, one of its activity lines) for ``count`` different clients."""
    from conversations.models import Package, PackageLine

    drafts: list[tuple[int, int]] = []
    for package in Package.objects.for_organisation(org).filter(status=Package.Status.DRAFT).order_by("pk"):
        line = (
            PackageLine.objects.for_organisation(org)
            .filter(package=package, activity__isnull=False)
            .order_by("pk")
            .first()
        )
        if line is not None:
            drafts.append((package.pk, line.pk))
        if len(drafts) == count:
            return drafts
    raise SystemExit(f"the generated organisation has fewer than {count} drafts with an activity line")


class _Change:
    """The composer's line change of connection i: its own draft (no two connections edit the
    same package), the weekly occurrences one up or down so that every request really changes
    the line; after the request the version must have moved on (else the answer counts as an
    error). The line and the package's version are read from the database once per connection;
    after that the new version is taken from the answer (its version inputs), as a browser
    does, so that the benchmark's own queries between two timed requests do not load the
    cores the server runs on (at 8 connections they did, for this target only)."""

    def __init__(self, org: Any, drafts: list[tuple[int, int]]) -> None:
        self.org = org
        self.drafts = drafts
        self.state: dict[int, list[int]] = {}  # i -> [minutes, occurrences, version]

    def _read(self, i: int) -> list[int]:
        from conversations.models import Package, PackageLine

        package_pk, line_pk = self.drafts[i]
        line = PackageLine.objects.for_organisation(self.org).get(pk=line_pk)
        version = (
            Package.objects.for_organisation(self.org)
            .values_list("lock_version", flat=True)
            .get(pk=package_pk)
        )
        return [line.minutes, line.occurrences_per_week, version]

    def form(self, i: int, *, fresh: bool = False) -> tuple[str, dict[str, Any], int]:
        if fresh or i not in self.state:
            self.state[i] = self._read(i)
        minutes, occurrences, version = self.state[i]
        data = {
            "minutes": minutes,
            "occurrences_per_week": occurrences + 1 if occurrences < 7 else occurrences - 1,
            "funding": "budget",
            "wanted": "on",
            "necessary": "on",
            "wlz_eligible": "on",
            "version": version,
        }
        return f"/pakketregels/{self.drafts[i][1]}/", data, version

    def applied(self, i: int, data: dict[str, Any], body: bytes) -> bool:
        """Whether the answer shows the change went through (a version above the one sent);
        the connection's next change starts from it. Otherwise the next one reads again."""
        version = bench_http.answered_version(body)
        if version is None or version <= int(data["version"]):
            self.state.pop(i, None)
            return False
        self.state[i] = [int(data["minutes"]), int(data["occurrences_per_week"]), version]
        return True


def _queries(func: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        func()
    return sum(1 for query in queries.captured_queries if "set_config" not in query["sql"])


def _prepared(client: Any, target: Target, change: _Change, index: int) -> Callable[[], Any]:
    """The in-process request of ``target``, ready to be made: a line change's form (the line
    and the package's version: two queries of the benchmark, not of the request) is read here,
    before the request is counted."""
    if target.change:
        url, data, _version = change.form(0, fresh=True)
        return functools.partial(client.post, url, data, HTTP_HX_REQUEST="true")
    return functools.partial(client.get, target.path(index))


def _counted(request: Callable[[], Any]) -> tuple[int, Any]:
    """(queries, answer) of one request."""
    answers: list[Any] = []
    return _queries(lambda: answers.append(request())), answers[0]


def _in_process(targets: list[Target], change: _Change, logins: tuple[Any, ...], index: int) -> None:
    """The query counts (and for the PDF: whether WeasyPrint runs in the request) of the same
    requests made in-process, with ``logins`` (one per role of the targets); the first request
    of each is a warm-up. A list's pages are followed through their ``next`` links (page
    numbers or cursors), at most five."""
    import weasyprint
    from django.test import Client

    from ipvb.models import User

    clients = {}
    for login in logins:
        client = Client()
        client.force_login(User.objects.get(email=login.email))
        clients[login.role] = client
    for target in targets:
        client = clients[target.role]
        _prepared(client, target, change, index)()
        target.queries, answer = _counted(_prepared(client, target, change, index))
        target.status = answer.status_code
        if target.flat_page and answer.status_code == 200:
            body = answer.json()
            target.rows = len(body["results"] if isinstance(body, dict) else body)
            target.page_queries = []
            url: str | None = target.path(index)
            while url and len(target.page_queries) < 5:  # pages 1 to 5, as far as the list goes
                count, answer = _counted(functools.partial(client.get, url))
                if answer.status_code != 200:
                    break
                target.page_queries.append(count)
                body = answer.json()
                url = body.get("next") if isinstance(body, dict) else None
        if target.pdf:
            calls: list[int] = []
            original = weasyprint.HTML.write_pdf

            def counting(
                self: Any, *args: Any, calls: list[int] = calls, original: Any = original, **kwargs: Any
            ) -> Any:
                calls.append(1)
                return original(self, *args, **kwargs)

            weasyprint.HTML.write_pdf = counting  # type: ignore[method-assign]
            try:
                _prepared(client, target, change, index)()
            finally:
                weasyprint.HTML.write_pdf = original  # type: ignore[method-assign]
            target.renders = len(calls)


def _one_request(
    session: Any, base: str, target: Target | None, change: _Change, i: int
) -> tuple[float, str]:
    """One timed request of connection i: (milliseconds, "" or what went wrong)."""
    if target is None:  # the bare endpoint
        start = time.perf_counter()
        response = session.get(base + "/healthz", timeout=120)
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, "" if response.status_code == 200 else f"HTTP {response.status_code}"
    if target.change:
        url, data, _version = change.form(i)
        data["csrfmiddlewaretoken"] = session.cookies.get("csrftoken", "")
        start = time.perf_counter()
        response = session.post(
            base + url,
            data=data,
            headers={"HX-Request": "true", "X-CSRFToken": data["csrfmiddlewaretoken"], "Referer": base + url},
            timeout=120,
        )
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            return elapsed, f"HTTP {response.status_code}"
        return elapsed, "" if change.applied(i, data, response.content) else "change not applied"
    start = time.perf_counter()
    response = session.get(base + target.path(i), timeout=120, allow_redirects=False)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        return elapsed, f"HTTP {response.status_code}"
    if target.pdf and not response.content.startswith(b"%PDF"):
        return elapsed, "not a PDF"
    return elapsed, ""


def _measure(
    sessions: dict[str, list[Any]],
    base: str,
    target: Target | None,
    change: _Change,
    connections: int,
    each: int,
) -> tuple[list[float], list[str]]:
    """``connections`` threads, each with its own logged-in session, start together and make
    ``each`` timed requests after ``WARM_UP`` untimed ones; returns every latency and every
    error."""
    role = target.role if target is not None else "manager"
    barrier = threading.Barrier(connections)
    samples: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        from django.db import connection

        try:
            session = sessions[role][i]
            for _ in range(WARM_UP):
                _one_request(session, base, target, change, i)
            barrier.wait()
            for _ in range(each):
                elapsed, error = _one_request(session, base, target, change, i)
                with lock:
                    samples.append(elapsed)
                    if error:
                        errors.append(error)
        except Exception as exc:  # reported in the table, never a silent PASS
            with lock:
                errors.append(f"{exc.__class__.__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors


def _interleaved(
    sessions: dict[str, list[Any]], base: str, target: Target, change: _Change, each: int
) -> tuple[tuple[list[float], list[str]], tuple[list[float], list[str]]]:
    """One connection: ``each`` timed requests of ``target``, each followed by one of the bare
    endpoint (after ``WARM_UP`` untimed pairs), so that both see the machine at the same
    moments; ((target latencies, errors), (bare latencies, errors))."""
    from django.db import connection

    measured: tuple[tuple[list[float], list[str]], ...] = (([], []), ([], []))
    try:
        for k in range(WARM_UP + each):
            for (samples, errors), which in zip(measured, (target, None), strict=True):
                role = which.role if which is not None else "manager"
                elapsed, error = _one_request(sessions[role][0], base, which, change, 0)
                if k >= WARM_UP:
                    samples.append(elapsed)
                    if error:
                        errors.append(error)
    except Exception as exc:  # reported in the table, never a silent PASS
        measured[0][1].append(f"{exc.__class__.__name__}: {exc}")
    finally:
        connection.close()
    return measured[0], measured[1]


def _batch(database_url: str, app_url: str) -> tuple[list[str], str]:
    """The monthly batch (issue 16 item 4) from scripts/benchmark_batch.py when it exists and
    IPVB_BENCH_BATCH=1 (``make benchmark`` sets it; it takes many minutes), run with the owner
    and application roles of this database and the arguments in IPVB_BENCH_BATCH_ARGS: its
    result lines and the verdict they state (FAIL when any of its verdicts fails). Never a PASS
    it did not print."""
    if not BATCH_SCRIPT.exists():
        return ["not measured (scripts/benchmark_batch.py does not exist)"], "not measured"
    if os.environ.get("IPVB_BENCH_BATCH", "0") != "1":
        return [
            "not measured here (IPVB_BENCH_BATCH=1 runs scripts/benchmark_batch.py; make benchmark does)"
        ], "not measured"
    env = {**os.environ, "DATABASE_OWNER_URL": database_url, "DATABASE_URL": app_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, str(BATCH_SCRIPT), *os.environ.get("IPVB_BENCH_BATCH_ARGS", "").split()],
        capture_output=True,
        text=True,
        env=env,
        timeout=int(os.environ.get("IPVB_BENCH_BATCH_TIMEOUT", "3600")),
        check=False,
    )
    lines = result.stdout.splitlines()
    first = next((k for k, line in enumerate(lines) if line.startswith("Monthly batch")), None)
    if result.returncode != 0 or first is None:
        return [
            f"benchmark_batch.py failed (exit {result.returncode}): {result.stderr.strip()[-300:]}"
        ], "FAIL"
    block = [line.rstrip() for line in lines[first:] if line.strip()]
    verdicts = " ".join(line for line in block if line.lstrip().startswith("("))
    verdict = "FAIL" if "FAIL" in verdicts else "PASS" if "PASS" in verdicts else "see lines"
    return block, verdict


def run() -> list[tuple[str, str]]:
    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from clients.bulk import settle_after_bulk_load
    from clients.models import Client as Resident
    from conversations.models import Package
    from costing.batch import budgets_on
    from ipvb.models import Department

    print()
    if connection.vendor != "postgresql":
        print(
            "issue 16 performance budget on SQLite: the ratios say little and SQLite's one writer refuses "
            "concurrent requests ('database is locked') at 8 connections: use DATABASE_URL=postgres://..."
        )
    org = _organisation()
    # One department of 1,000 clients for the overview target (the generator makes small ones).
    big = Department.objects.for_organisation(org).order_by("pk").first()
    moved = list(
        Resident.objects.for_organisation(org).order_by("pk").values_list("pk", flat=True)[:OVERVIEW_CLIENTS]
    )
    Resident.objects.for_organisation(org).filter(pk__in=moved).update(department=big)
    Department.objects.for_organisation(org).filter(pk=big.pk).update(places=OVERVIEW_CLIENTS)
    drafts = _drafts(org, CONCURRENCY + 1)  # the last one for the in-process query counts
    change = _Change(org, [*drafts[:CONCURRENCY]])
    in_process_change = _Change(org, [drafts[CONCURRENCY]])
    agreed = Package.objects.for_organisation(org).filter(status=Package.Status.AGREED).order_by("pk").first()
    _reporting_data(org)
    # The state autovacuum keeps a production database in (fresh statistics, the visibility
    # map set): a full make benchmark generates other organisations before this table, every
    # run adds tens of thousands of access-log rows, and this machine's PostgreSQL runs with
    # autovacuum off.
    settle_after_bulk_load()
    if connection.vendor == "postgresql":
        # The pages the generators and the vacuum dirtied are written now, not by a checkpoint
        # in the middle of the measurements (a superuser's or pg_checkpoint's right; without
        # it the measurements just start).
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("CHECKPOINT")
        except DatabaseError:
            pass

    def composer(i: int) -> str:
        return f"/pakketten/{drafts[i][0]}/samenstellen/"

    targets = budget_targets(composer=composer, overview=big.pk, agreed=agreed.pk)
    if ONLY:  # a quick check of some targets; the table then says which were left out
        targets = [target for target in targets if any(part in target.label for part in ONLY)]
    roles = login_roles(targets)
    logins = bench_http.ensure_logins(org, CONCURRENCY, roles=roles)
    # In-process: the query counts, on the spare draft (number CONCURRENCY).
    _in_process(targets, in_process_change, logins[0], CONCURRENCY)

    clients = list(Resident.objects.for_organisation(org).select_related("department"))
    start = time.perf_counter()
    batch_queries = _queries(lambda: budgets_on(clients=clients, on_date=timezone.localdate()))
    batch_ms = (time.perf_counter() - start) * 1000

    server_url = bench_http.server_database_url(str(os.environ.get("DATABASE_URL", "")))
    bare: dict[int, tuple[list[float], list[str]]] = {}
    with bench_http.gunicorn(server_url, workers=WORKERS) as server:
        base = server.base_url
        sessions = {
            role: [bench_http.login(base, accounts[k]) for accounts in logins] for k, role in enumerate(roles)
        }
        # One connection: each target's requests alternate with the bare endpoint's, so that a
        # drift of the machine's speed (other work on its cores) falls on both alike.
        pairs = [_interleaved(sessions, base, target, change, REPEAT_ONE) for target in targets]
        for target, (measured, around_one) in zip(targets, pairs, strict=True):
            target.results[1], target.bare[1] = measured, around_one[0]
        bare[1] = (
            [ms for _measured, (samples, _errors) in pairs for ms in samples],
            [error for _measured, (_samples, errors) in pairs for error in errors],
        )
        # CONCURRENCY connections: the bare endpoint before the first target and after each one;
        # every target's ratio is to the bare endpoint just before and just after it (the load
        # drifts). Alternating here would put both in one queue and hide a target's cost.
        around = [_measure(sessions, base, None, change, CONCURRENCY, REPEAT_EACH)]
        for target in targets:
            target.results[CONCURRENCY] = _measure(sessions, base, target, change, CONCURRENCY, REPEAT_EACH)
            around.append(_measure(sessions, base, None, change, CONCURRENCY, REPEAT_EACH))
        for k, target in enumerate(targets):
            target.bare[CONCURRENCY] = around[k][0] + around[k + 1][0]
        bare[CONCURRENCY] = (
            [ms for samples, _errors in around for ms in samples],
            [error for _samples, errors in around for error in errors],
        )
        description = server.description
    batch = _batch(str(os.environ.get("DATABASE_URL", "")), server_url)
    return _table(
        org=org,
        description=description,
        targets=targets,
        bare=bare,
        clients=len(clients),
        budgets=(batch_ms, batch_queries),
        batch=batch,
    )


def _table(
    *,
    org: Any,
    description: str,
    targets: list[Target],
    bare: dict[int, tuple[list[float], list[str]]],
    clients: int,
    budgets: tuple[float, int],
    batch: tuple[list[str], str],
) -> list[tuple[str, str]]:
    median, p95 = bench_http.median, bench_http.percentile
    many = CONCURRENCY
    print(
        f"\nissue 16 performance budget: {org.name}, {clients:,} clients; {description}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for connections, (samples, errors) in sorted(bare.items()):
        print(
            f"bare endpoint (authenticated /healthz) at {connections} connection(s): median "
            f"{median(samples):.1f} ms, p95 {p95(samples, 0.95):.1f} ms ({len(samples)} requests"
            f"{', ' + str(len(errors)) + ' errors' if errors else ''})"
        )
    print(
        "ratio = median latency / the median of the bare endpoint at the same concurrency (1 connection: "
        f"alternating with the target's requests; {many}: just before and just after the target); verdict on "
        f"the median ratio at 1 and {many} connections (p95 "
        "ratio shown), query limits, errors, flat list queries\n"
    )
    header = (
        f"{'target':<{LABEL}} {'target':>7} {'queries':>9} {'1 conn ms':>10} {'ratio':>7} "
        f"{f'{many} conn ms':>10} {'p95 ms':>8} {'ratio':>7} {'p95 ratio':>9}  verdict"
    )
    if ONLY:
        print(f"only the targets matching IPVB_BENCH_ONLY={','.join(ONLY)}: not the whole budget\n")
    print(header)
    print("-" * len(header))
    rows: list[tuple[str, str]] = []
    for target in targets:
        one, one_errors = target.results[1]
        lots, lots_errors = target.results[many]
        ratio_one = median(one) / median(target.bare[1])
        ratio_many = median(lots) / median(target.bare[many])
        ratio_p95 = p95(lots, 0.95) / p95(target.bare[many], 0.95)
        reasons = []
        if target.ratio_limit is not None and (
            ratio_one > target.ratio_limit or ratio_many > target.ratio_limit
        ):
            reasons.append("ratio")
        reasons += query_reasons(target)
        errors = one_errors + lots_errors
        if errors:
            reasons.append(f"{len(errors)} errors ({errors[0]})")
        verdict = "PASS" if not reasons else "FAIL: " + ", ".join(reasons)
        limit = f"{target.ratio_limit:.0f}x" if target.ratio_limit is not None else "stored"
        queries = f"{target.queries}" + (f"/{target.query_limit}" if target.query_limit else "")
        label = target.label
        if target.flat_page:
            low, high = min(target.page_queries, default=0), max(target.page_queries, default=0)
            queries = f"{low}" if low == high else f"{low}-{high}"
            label = f"{label} ({target.rows} rows)"
        print(
            f"{label:<{LABEL}} {limit:>7} {queries:>9} {median(one):10.1f} {ratio_one:6.1f}x "
            f"{median(lots):10.1f} {p95(lots, 0.95):8.1f} {ratio_many:6.1f}x {ratio_p95:8.1f}x  {verdict}"
        )
        rows.append((target.label, verdict))
    batch_ms, batch_queries = budgets
    verdict = "PASS" if batch_queries <= 6 else "FAIL: more than 6 queries"
    print(
        f"{'budgets of every client (set-based)':<{LABEL}} {'6 q':>7} {batch_queries:>9} {batch_ms:10.1f} "
        f"{'':>7} {'':>10} {'':>8} {'':>7} {'':>9}  {verdict} (in-process; {batch_ms / max(1, clients) * 1000:.0f} µs per client)"
    )
    rows.append(("budgets of every client (set-based)", verdict))
    lines, verdict = batch
    print(
        f"{'monthly batch (scripts/benchmark_batch.py)':<{LABEL}} {'':>7} {'':>9} {'':>10} {'':>7} {'':>10} {'':>8} {'':>7} {'':>9}  {verdict}"
    )
    for line in lines:
        print(f"    {line.strip()}")
    rows.append(("monthly batch", verdict))
    print(
        "\nqueries: in-process count of the same request without the row-level-security set_config "
        "statements; lists: the range over pages 1-5, flat when no page reaches one query per row (a page "
        "with drafts adds one constant pricing batch; that the count does not grow with the organisation "
        "is asserted in tests/ipvb/test_scale.py); PDF: WeasyPrint must not run in the request for a "
        "stored agreed version. The 150 req/s load test is scripts/loadtest.py (make loadtest)."
    )
    return rows
