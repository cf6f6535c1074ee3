"""Load test of issue 16 (item 5): a fixed request rate of a realistic mix against gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipvb_scale make loadtest               # 150/s, 5 min
    DATABASE_URL=... .venv/bin/python scripts/loadtest.py --short                          # 20 s try-out
    DATABASE_URL=... .venv/bin/python scripts/loadtest.py --rate 50 --duration 60 --workers 2

DATABASE_URL is the owner of a database with generated organisations (``manage.py
generate_synthetic``; ``scripts/benchmark.py --budget`` makes one). The script

1. picks the first ``--organisations`` generated organisations and adds to each a team leader
   and a manager who can log in (``bench_http.ensure_logins``: through
   ``ipvb.services.membership_create``, a password, a verified address, an authenticator);
2. starts gunicorn on 127.0.0.1 with the production settings (``scripts/bench_settings.py``,
   ``--workers`` sync workers, the application's database role under row-level security), or
   uses ``--base-url`` (loopback only) when a server runs already;
3. logs every user in through the real login (password, then the authenticator code);
4. sends requests **open loop**: request k is started at ``k / rate`` seconds whatever the
   earlier ones are doing (a scheduler thread hands it to a pool of up to ``--max-in-flight``
   threads), so the server sees the rate, not the rate it can keep up with. Latency is counted
   from the scheduled start (a late start counts against the server, no coordinated omission).
   Bounded: exactly ``rate x duration`` requests, each with ``--timeout``, never more than
   ``--max-in-flight`` at once (a request that finds them all busy is not sent and counts as an
   error), loopback only;
5. prints per endpoint: requests, errors, p50 and p95, and the achieved rate (answered
   requests per second) and how late requests started. Exit status 1 on any error.

The mix (weights in ``MIX``): composer page and line change (each user edits drafts of its own
organisation; a draft is edited by one request at a time), client list and a client's package
versions and conversations (web), the four API lists, the management dashboard and the team
leader's work list, and the department overview."""

from __future__ import annotations

import argparse
import os
import queue
import random
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_http  # noqa: E402  (scripts/, on the path above; the standard library only)

# (endpoint, role, weight): the share of each request kind in the mix.
MIX: list[tuple[str, str, int]] = [
    ("composer page", "teamleider", 14),
    ("composer line change", "teamleider", 10),
    ("client list (web)", "manager", 8),
    ("package versions of a client (web)", "teamleider", 6),
    ("conversations of a client (web)", "teamleider", 4),
    ("GET /api/v1/clients/", "manager", 8),
    ("GET /api/v1/packages/", "manager", 8),
    ("GET /api/v1/conversations/", "manager", 5),
    ("GET /api/v1/package-lines/", "manager", 5),
    ("management dashboard", "manager", 8),
    ("team leader work list", "teamleider", 8),
    ("department overview", "manager", 10),
    ("bare endpoint /healthz (authenticated)", "manager", 6),
]
DRAFTS_PER_ORGANISATION = 40


@dataclass
class Organisation:
    """What the requests of one organisation use: its logins' cookies, clients, departments, and
    a queue of drafts [draft pk, line pk, minutes, version, occurrences] each edited by one
    request at a time."""

    pk: int
    name: str
    clients: list[int]
    departments: list[int]
    drafts: queue.Queue[list[Any]]
    draft_pks: list[int]
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)


def _prepare(count: int) -> list[Organisation]:
    from clients import synthetic
    from clients.models import Client
    from conversations.models import Package, PackageLine
    from ipvb.models import Department
    from ipvb.models import Organisation as Org

    orgs = list(Org.objects.filter(agb_code__startswith=synthetic.AGB_PREFIX).order_by("pk")[:count])
    if len(orgs) < count:
        raise SystemExit(
            f"{len(orgs)} generated organisations in this database, {count} asked for: run "
            "`manage.py generate_synthetic` first"
        )
    prepared = []
    for org in orgs:
        bench_http.ensure_logins(org, 1)
        drafts: queue.Queue[list[Any]] = queue.Queue()
        packages = Package.objects.for_organisation(org).filter(status=Package.Status.DRAFT).order_by("pk")
        for package in packages[: DRAFTS_PER_ORGANISATION * 2]:
            line = (
                PackageLine.objects.for_organisation(org)
                .filter(package=package, activity__isnull=False)
                .order_by("pk")
                .first()
            )
            if line is not None and drafts.qsize() < DRAFTS_PER_ORGANISATION:
                drafts.put(
                    [package.pk, line.pk, line.minutes, package.lock_version, line.occurrences_per_week]
                )
        if drafts.empty():
            raise SystemExit(f"{org.name} has no draft with an activity line")
        sizes = Department.objects.for_organisation(org).order_by("pk").values_list("pk", flat=True)
        prepared.append(
            Organisation(
                pk=org.pk,
                name=org.name,
                clients=list(Client.objects.for_organisation(org).values_list("pk", flat=True)[:500]),
                departments=list(sizes),
                drafts=drafts,
                draft_pks=[draft[0] for draft in drafts.queue],
            )
        )
    return prepared


def _logins(base: str, orgs: list[Organisation]) -> None:
    from ipvb.models import Organisation as Org

    for org in orgs:
        leader, manager = bench_http.ensure_logins(Org.objects.get(pk=org.pk), 1)[0]
        for account in (leader, manager):
            session = bench_http.login(base, account)
            org.cookies[account.role] = dict(session.cookies.items())


def _other_occurrences(current: int) -> int:
    """A weekly number of times different from ``current`` (every change really changes)."""
    return current + 1 if current < 7 else current - 1


@dataclass
class Result:
    endpoint: str
    scheduled: float
    started: float
    finished: float
    error: str


class LoadTest:
    def __init__(
        self,
        base: str,
        orgs: list[Organisation],
        *,
        rate: float,
        duration: float,
        timeout: float,
        max_in_flight: int,
        only: str = "",
    ) -> None:
        import urllib3

        self.base = base
        self.orgs = orgs
        self.rate = rate
        self.total = int(rate * duration)
        self.only = only
        self.timeout = urllib3.Timeout(connect=min(10.0, timeout), read=timeout)
        self.max_in_flight = max_in_flight
        self.http = urllib3.PoolManager(maxsize=max_in_flight, block=False, retries=False)
        self.results: list[Result] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.random = random.Random(16)

    def _request(
        self, org: Organisation, role: str, method: str, path: str, fields: dict[str, Any] | None = None
    ) -> Any:
        cookies = org.cookies[role]
        headers = {
            "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
            "Accept-Language": "nl",
        }
        if method == "POST":
            headers.update(
                {
                    "X-CSRFToken": cookies.get("csrftoken", ""),
                    "HX-Request": "true",
                    "Referer": self.base + path,
                }
            )
            return self.http.request(
                "POST",
                self.base + path,
                fields=fields,
                headers=headers,
                timeout=self.timeout,
                redirect=False,
                encode_multipart=False,
            )
        return self.http.request(
            "GET", self.base + path, headers=headers, timeout=self.timeout, redirect=False
        )

    def _change(self, org: Organisation) -> str:
        """One line change on a free draft of ``org``; "" or the error."""
        try:
            draft = org.drafts.get_nowait()
        except queue.Empty:
            return "no free draft (more line changes in flight than drafts)"
        _package, line, minutes, version, occurrences = draft
        occurrences = _other_occurrences(occurrences)
        try:
            response = self._request(
                org,
                "teamleider",
                "POST",
                f"/pakketregels/{line}/",
                {
                    "minutes": str(minutes),
                    "occurrences_per_week": str(occurrences),
                    "funding": "budget",
                    "wanted": "on",
                    "necessary": "on",
                    "wlz_eligible": "on",
                    "version": str(version),
                    "csrfmiddlewaretoken": org.cookies["teamleider"].get("csrftoken", ""),
                },
            )
            if response.status != 200:
                return f"HTTP {response.status}"
            answered = bench_http.answered_version(response.data)
            new = version + 1 if answered is None else answered
            if new <= version:
                return "change not applied (stale version)"
            draft[3], draft[4] = new, occurrences
            return ""
        finally:
            org.drafts.put(draft)

    def _job(self, endpoint: str) -> Callable[[], str]:
        org = self.random.choice(self.orgs)
        client = self.random.choice(org.clients)
        department = self.random.choice(org.departments)
        paths = {
            "client list (web)": "/clienten/",
            "package versions of a client (web)": f"/clienten/{client}/pakketten/",
            "conversations of a client (web)": f"/clienten/{client}/gesprekken/",
            "GET /api/v1/clients/": "/api/v1/clients/",
            "GET /api/v1/packages/": "/api/v1/packages/",
            "GET /api/v1/conversations/": "/api/v1/conversations/",
            "GET /api/v1/package-lines/": "/api/v1/package-lines/",
            "management dashboard": "/rapportage/management/",
            "team leader work list": "/rapportage/teamleider/",
            "department overview": f"/afdelingen/{department}/overzicht/",
            "bare endpoint /healthz (authenticated)": "/healthz",
        }
        role = next(role for name, role, _weight in MIX if name == endpoint)
        if endpoint == "composer line change":
            return lambda: self._change(org)
        if endpoint == "composer page":
            path = f"/pakketten/{self.random.choice(org.draft_pks)}/samenstellen/"
        else:
            path = paths[endpoint]

        def get() -> str:
            response = self._request(org, role, "GET", path)
            return "" if response.status == 200 else f"HTTP {response.status} {path}"

        return get

    def run(self) -> float:
        mix = [(name, weight) for name, _role, weight in MIX if not self.only or name == self.only]
        names = [name for name, _weight in mix]
        weights = [weight for _name, weight in mix]
        plan = self.random.choices(names, weights, k=self.total)
        executor = ThreadPoolExecutor(max_workers=self.max_in_flight, thread_name_prefix="load")
        start = time.perf_counter()

        def execute(endpoint: str, job: Callable[[], str], scheduled: float) -> None:
            started = time.perf_counter()
            try:
                error = job()
            except Exception as exc:  # a timeout or a refused connection: an error, never hidden
                error = f"{exc.__class__.__name__}: {str(exc)[:120]}"
            finished = time.perf_counter()
            with self.lock:
                self.in_flight -= 1
                self.results.append(Result(endpoint, scheduled, started, finished, error))

        for k, endpoint in enumerate(plan):
            scheduled = start + k / self.rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            job = self._job(endpoint)
            with self.lock:
                if self.in_flight >= self.max_in_flight:
                    now = time.perf_counter()
                    self.results.append(
                        Result(endpoint, scheduled, now, now, "not sent: every client thread busy")
                    )
                    continue
                self.in_flight += 1
            executor.submit(execute, endpoint, job, scheduled)
        executor.shutdown(wait=True)
        return time.perf_counter() - start


def report(test: LoadTest, elapsed: float, duration: float, description: str) -> int:
    median, p95 = bench_http.median, bench_http.percentile
    by_endpoint: dict[str, list[Result]] = defaultdict(list)
    for result in test.results:
        by_endpoint[result.endpoint].append(result)
    answered = [r for r in test.results if not r.error]
    errors = [r for r in test.results if r.error]
    first = min((r.scheduled for r in test.results), default=0.0)
    window = [r for r in answered if r.finished - first <= duration]
    lateness = [(r.started - r.scheduled) * 1000 for r in test.results if not r.error.startswith("not sent")]
    print(f"\nload test: {description}")
    print(
        f"{len(test.results)} requests scheduled at {test.rate:.0f}/s over {duration:.0f} s "
        f"({len(test.orgs)} organisations, {2 * len(test.orgs)} logged-in users); finished after {elapsed:.1f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"achieved: {len(answered) / elapsed:.1f} answered requests/s over the whole run, "
        f"{len(window) / duration:.1f}/s answered within the scheduled {duration:.0f} s; "
        f"start lag p50 {median(lateness):.1f} ms, p95 {p95(lateness, 0.95):.1f} ms; errors {len(errors)}"
    )
    header = f"{'endpoint':<42} {'requests':>8} {'errors':>7} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, _role, _weight in MIX:
        results = by_endpoint.get(name, [])
        latencies = [(r.finished - r.scheduled) * 1000 for r in results if not r.error]
        print(
            f"{name:<42} {len(results):8d} {sum(1 for r in results if r.error):7d} {median(latencies):9.1f} "
            f"{p95(latencies, 0.95):9.1f} {max(latencies, default=float('nan')):9.1f}"
        )
    every = [(r.finished - r.scheduled) * 1000 for r in answered]
    print(f"{'all':<42} {len(test.results):8d} {len(errors):7d} {median(every):9.1f} {p95(every, 0.95):9.1f}")
    if errors:
        kinds: dict[str, int] = defaultdict(int)
        for result in errors:
            kinds[f"{result.endpoint}: {result.error}"] += 1
        print("\nerrors:")
        for kind, number in sorted(kinds.items(), key=lambda item: -item[1])[:15]:
            print(f"  {number:6d}  {kind}")
    print(
        "\nlatency = from the scheduled start to the last byte (open loop: a late start counts); "
        "0 errors is the target of issue 16."
    )
    return 1 if errors else 0


def _cpu_line(test: LoadTest, cpu: Any) -> None:
    """The server's CPU per answered request (gunicorn workers and their PostgreSQL backends,
    ``bench_http.ServerCPU``) and what that means for this machine's cores if they were idle
    (an extrapolation)."""
    answered = sum(1 for result in test.results if not result.error) or 1
    workers, database = cpu.workers, cpu.database
    per_request = (workers + database) * 1000 / answered
    cores = os.cpu_count() or 1
    print(
        f"server CPU during the run: gunicorn workers {workers:.1f} s + their PostgreSQL backends "
        f"{database:.1f} s = {per_request:.1f} ms per answered request ({workers * 1000 / answered:.1f} + "
        f"{database * 1000 / answered:.1f}); at that cost {cores} idle cores answer at most about "
        f"{cores * 1000 / per_request:.0f} requests/s (extrapolation)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=150.0, help="requests per second (default 150)")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds (default 300)")
    parser.add_argument("--short", action="store_true", help="a 20-second try-out (overrides --duration)")
    parser.add_argument(
        "--organisations", type=int, default=12, help="generated organisations used (default 12)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=3,
        help=(
            "gunicorn sync workers (default 3: a sync worker waits while PostgreSQL answers and while "
            "a page's access-log commit is flushed to disk; with 2 the two cores were partly idle)"
        ),
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    parser.add_argument("--max-in-flight", type=int, default=400, help="requests open at once (default 400)")
    parser.add_argument("--base-url", help="a running server on loopback instead of starting gunicorn")
    parser.add_argument(
        "--only",
        default="",
        choices=["", *(name for name, _role, _weight in MIX)],
        metavar="ENDPOINT",
        help="only this endpoint of the mix (its name as printed), e.g. the bare endpoint to see the "
        "machine's ceiling",
    )
    args = parser.parse_args()
    duration = 20.0 if args.short else args.duration
    if not (0 < args.rate <= 1000 and 0 < duration <= 3600 and 0 < args.max_in_flight <= 1000):
        raise SystemExit("bounded: rate 1-1000/s, duration up to 3600 s, at most 1000 requests in flight")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must be the owner's postgres:// URL of a database with generated data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvb.settings.dev")
    import django

    django.setup()

    orgs = _prepare(args.organisations)
    only = f"; only {args.only!r}, not the mix" if args.only else ""

    def go(base: str, description: str, server: Any) -> int:
        bench_http.check_loopback(base)
        _logins(base, orgs)
        from django.db import connections

        connections.close_all()  # the load generator does not touch the database while it runs
        test = LoadTest(
            base,
            orgs,
            rate=args.rate,
            duration=duration,
            timeout=args.timeout,
            max_in_flight=args.max_in_flight,
            only=args.only,
        )
        generator_cpu = time.process_time()
        if server:
            with bench_http.ServerCPU(server, os.environ["DATABASE_URL"]) as cpu:
                elapsed = test.run()
        else:
            elapsed = test.run()
        generator_cpu = time.process_time() - generator_cpu
        code = report(test, elapsed, duration, description)
        print(f"load generator CPU (this process, on the same cores): {generator_cpu:.1f} s")
        if server:
            _cpu_line(test, cpu)
        return code

    if args.base_url:
        return go(args.base_url.rstrip("/"), f"server at {args.base_url}{only}", None)
    url = bench_http.server_database_url(os.environ["DATABASE_URL"])
    with bench_http.gunicorn(url, workers=args.workers) as server:
        return go(server.base_url, server.description + only, server)


if __name__ == "__main__":
    sys.exit(main())
