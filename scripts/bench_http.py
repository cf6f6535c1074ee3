"""The HTTP side of the performance budget (``scripts/benchmark_scale.py``) and of the load test
(``scripts/loadtest.py``): logins for generated organisations, a gunicorn server on loopback
with production-like settings (``scripts/bench_settings.py``), a real login per connection
(password, then the authenticator code: MFA is required as in production) and latency
statistics.

Logins: the generator (``clients.synthetic``) gives its staff unusable passwords, so
``ensure_logins`` adds, per organisation and connection, a team leader and a manager of every
department through ``ipvb.services.membership_create`` (the service an organisation admin
uses), and where asked an organisation admin and a reporting-party user (LOGIN_ROLES), with
the benchmark password, a verified e-mail address and an authenticator app whose
secret is derived from the address (``totp_secret``). Idempotent; only ever on generated data.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
BIN = Path(sys.executable).parent
# Generated data on loopback only: a fixed, documented password is harmless there.
BENCH_PASSWORD = "Benchmark-loopback-16"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
STATIC_ROOT = Path(tempfile.gettempdir()) / "ipvb-bench-static"
# The throttle stays on (its cost is part of every API request); its limit is raised because a
# benchmark's few users make far more requests in an hour than a person does.
API_USER_RATE = "10000000/hour"
# The package version in the composer's version inputs: a line change's answer carries them
# (the changed row's and, out of band, the other rows' and the add forms').
_VERSION = re.compile(rb'name="version" value="(\d+)"')


def answered_version(body: bytes) -> int | None:
    """The package version a composer answer shows (the highest of its version inputs), or
    None when it shows none: what a browser sends with its next change."""
    found = [int(value) for value in _VERSION.findall(body)]
    return max(found) if found else None


@dataclass(frozen=True)
class Login:
    email: str
    secret: str
    role: str  # a name of LOGIN_ROLES: "teamleider", "manager", "beheerder", "rapportagepartij"
    organisation_id: int


# The logins a benchmark can make: the name (in the address and ``Login.role``) and the role of
# the membership in the organisation, or None for the reporting party (platform-level users in
# the group ``reporting.parties.GROUP_NAME``, without a membership: the reporting API's readers).
LOGIN_ROLES: dict[str, str | None] = {
    "teamleider": "team_leader",
    "manager": "manager",
    "beheerder": "org_admin",  # the organisation's functional administrator (memberships, log)
    "rapportagepartij": None,
}


def totp_secret(email: str) -> str:
    """The authenticator secret of a benchmark login (base32, derived from the address)."""
    digest = hmac.new(b"ipvb-benchmark-totp", email.encode(), hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode()


def ensure_logins(
    org: Any, count: int, roles: tuple[str, ...] = ("teamleider", "manager")
) -> list[tuple[Login, ...]]:
    """``count`` tuples of logins of ``org`` that can log in over HTTP, one login per name of
    ``roles`` (LOGIN_ROLES) in that order: by default (team leader, manager)."""
    return [tuple(_ensure_login(org, name, number) for name in roles) for number in range(1, count + 1)]


def _ensure_login(org: Any, name: str, number: int) -> Login:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    from ipvb import services
    from ipvb.models import Department, User
    from reporting.parties import GROUP_NAME

    role = LOGIN_ROLES[name]
    email = f"bench-{name}-{number}.{org.agb_code}@synthetisch.example"
    user = User.objects.filter(email=email).first()
    if user is None and role is not None:
        services.membership_create(
            organisation=org,
            email=email,
            roles=[role],
            departments=list(Department.objects.for_organisation(org)),
        )
        user = User.objects.get(email=email)
    elif user is None:
        user = User.objects.create_user(email=email)
    if role is None:
        user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    if not user.has_usable_password():
        user.set_password(BENCH_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    secret = totp_secret(email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return Login(email=email, secret=secret, role=name, organisation_id=org.pk)


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK and f"[{host}]" not in LOOPBACK:
        raise SystemExit(f"refused: {url} is not a loopback address (benchmarks run on 127.0.0.1 only)")


def server_database_url(database_url: str) -> str:
    """The database URL the server uses: IPVB_BENCH_SERVER_DATABASE_URL, or on PostgreSQL the
    application role (``ipvb_app``, under row-level security, as in production) on the same
    database, its grants set up by ``manage.py setup_db_roles`` as the owner when needed."""
    explicit = os.environ.get("IPVB_BENCH_SERVER_DATABASE_URL")
    if explicit:
        return explicit
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        return database_url
    host = parts.hostname or "127.0.0.1"
    netloc = f"ipvb_app:ipvb_app@{host}" + (f":{parts.port}" if parts.port else "")
    app_url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    if app_url == database_url:
        return app_url
    env = {**os.environ, "DATABASE_URL": app_url, "DATABASE_OWNER_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "setup_db_roles"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return app_url


def _cache_url() -> str | None:
    """The Redis cache of production (rate-limit counters shared by the workers) when a Redis
    answers on loopback; else None (each worker keeps its own counters in memory)."""
    url = os.environ.get("IPVB_BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    description: str
    database_url: str


@contextlib.contextmanager
def gunicorn(database_url: str, *, workers: int = 2, timeout: int = 60) -> Iterator[Server]:
    """gunicorn (sync workers) on a free loopback port with ``scripts/bench_settings.py``;
    stopped (by its own process id) when the block ends."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "REDIS_URL", "CACHE_URL"}
    }
    cache = _cache_url()
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(SCRIPTS), str(ROOT)]),
        DATABASE_URL=database_url,
        STATIC_ROOT=str(STATIC_ROOT),
        API_USER_RATE=API_USER_RATE,
        DJANGO_LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_OWNER_URL", None)
    if cache:
        env["CACHE_URL"] = cache
    manifest = STATIC_ROOT / "staticfiles.json"
    sources = max(
        (path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file()), default=0
    )
    if not manifest.exists() or manifest.stat().st_mtime < sources:  # whitenoise's manifest storage
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    port = _free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "ipvb.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        role = urlsplit(database_url).username or "-"
        yield Server(
            base_url=base,
            process=process,
            description=(
                f"gunicorn {workers} sync workers on {base}, production settings (scripts/bench_settings.py), "
                f"database role {role}, cache {'Redis' if cache else 'in-process memory'}"
            ),
            database_url=database_url,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _totp_code(secret: str) -> str:
    """The current code; waits for the next 30-second period when this one is nearly over
    (allauth accepts only the current period's code)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 4:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def login(base: str, account: Login) -> Any:
    """A ``requests.Session`` logged in through the real forms: password, then the code."""
    import requests

    for attempt in range(3):
        session = requests.Session()
        session.headers["Accept-Language"] = "nl"
        page = session.get(base + "/accounts/login/", timeout=30)
        response = session.post(
            base + "/accounts/login/",
            data={
                "login": account.email,
                "password": BENCH_PASSWORD,
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            },
            headers={"Referer": page.url},
            timeout=30,
        )
        if response.status_code == 429:  # allauth's login rate limit per address: wait it out
            time.sleep(61)
            continue
        if "/2fa/authenticate" in response.url:
            response = session.post(
                response.url,
                data={
                    "code": _totp_code(account.secret),
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
                },
                headers={"Referer": response.url},
                timeout=30,
            )
        home = session.get(base + "/", timeout=30)
        if home.status_code == 200 and "/accounts/" not in home.url:
            return session
        time.sleep(1 + attempt)
    raise RuntimeError(
        f"could not log in as {account.email} (last answer {response.status_code} {response.url})"
    )


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process on this machine; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


class ServerCPU:
    """CPU seconds of the server's gunicorn workers and of the PostgreSQL backends of its
    database role on its database, read from /proc (PostgreSQL runs on this machine). Sampled
    every ``interval`` seconds in a thread while the block runs, because a backend ends when
    Django closes a connection older than DATABASE_CONN_MAX_AGE (60 s) and its CPU would be lost
    with it: at most the last interval of an ended process is missed. ``workers`` and
    ``database`` are the seconds used during the block."""

    def __init__(self, server: Server, owner_url: str, interval: float = 2.0) -> None:
        self.server = server
        self.owner_url = owner_url
        self.interval = interval
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.worker_pids: set[int] = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _sample(self, connection: Any) -> dict[int, float]:
        workers = children(self.server.process.pid)
        self.worker_pids.update(workers)
        role = urlsplit(self.server.database_url).username
        backends = [
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND usename = %s", [role]
            ).fetchall()
        ]
        return {pid: process_cpu(pid) for pid in workers + backends}

    def _watch(self) -> None:
        import psycopg

        with psycopg.connect(self.owner_url, autocommit=True) as connection:
            self.start = self._sample(connection)
            self.last = dict(self.start)
            self.started.set()
            while not self.stop.wait(self.interval):
                for pid, cpu in self._sample(connection).items():
                    self.last[pid] = max(cpu, self.last.get(pid, 0.0))
            for pid, cpu in self._sample(connection).items():
                self.last[pid] = max(cpu, self.last.get(pid, 0.0))

    def __enter__(self) -> ServerCPU:
        self.started = threading.Event()
        self.thread.start()
        self.started.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(30)

    def used(self, pids: set[int]) -> float:
        return sum(cpu - self.start.get(pid, 0.0) for pid, cpu in self.last.items() if pid in pids)

    @property
    def workers(self) -> float:
        return self.used(self.worker_pids)

    @property
    def database(self) -> float:
        return self.used(set(self.last) - self.worker_pids)


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.95 for p95)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")
