import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis
import pytest

from .world import World

# Property tests: the health check on how fast inputs are generated measures the machine's
# load, not the code (a shared 2-core machine drew 2 inputs in 1.3 s); the properties and the
# number of examples stay as they are.
hypothesis.settings.register_profile(
    "ipvb", suppress_health_check=[hypothesis.HealthCheck.too_slow], deadline=None
)
hypothesis.settings.load_profile("ipvb")

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (fixtures), which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Two database roles (ipvb.db_roles): the owner creates and migrates the test database (the
# migrate command also applies row-level security), then every test connects as the app role,
# which owns nothing and is subject to row-level security. Test set-up (builders, factories,
# services called directly) runs with the cross-organisation setting on for the test's
# connection; every request resets it and sets its own organisation (ipvb.tenancy), restoring
# the previous value afterwards. tests/ipvb/test_rls.py switches it off to test the wall.
TEST_SETUP_BYPASS = "-c ipvb.cross_organisation=on"
_app_database: dict = {}
_migrated: list = []  # the rows of the data migrations (tests/demo.py)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):  # type: ignore[no-untyped-def]
    from django.db import connections

    from ipvb import db_roles

    if db_roles.two_roles():
        connection = connections["default"]
        _app_database.update(
            {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD", "HOST", "PORT")}
        )
        _app_database["OPTIONS"] = dict(connection.settings_dict.get("OPTIONS") or {})
        db_roles.switch_to_app("default", db_roles.owner_settings() or {}, db_roles.OWNER_OPTIONS)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from ipvb import db_roles

    from . import demo

    if not _app_database:
        with django_db_blocker.unblock():
            _migrated.extend(demo.capture())
        yield
        return
    with django_db_blocker.unblock():
        with _one_process_at_a_time():
            db_roles.ensure_app_role(_app_database["USER"], _app_database["PASSWORD"] or None)
        db_roles.grant_app_privileges(_app_database["USER"])
        owner = db_roles.switch_to_app("default", _app_database, TEST_SETUP_BYPASS)
        _migrated.extend(demo.capture())
    yield
    with django_db_blocker.unblock():
        db_roles.switch_to_app("default", owner, None)


ACCESS_TESTS = "tests/ipvb/test_access.py::"
APP_ROLE_LOCK = 7_341_001  # any number, the same in every test process


@contextmanager
def _one_process_at_a_time() -> Iterator[None]:
    """The app role is one for the whole server: parallel test processes (pytest-xdist) change
    it one after the other (PostgreSQL refuses two concurrent ALTER ROLE of one role)."""
    from django.db import connections

    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [APP_ROLE_LOCK])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [APP_ROLE_LOCK])


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With pytest-xdist (``make test``: ``-n 2 --dist loadgroup``), tests that share costly
    set-up run in one process: each half of the tests on the demo data (built once per
    process), the tests with a real Celery worker and Redis (one broker database), each part of
    the API fuzzing (its scenario is built once per module and process) and each app's access
    tests (one world per app)."""
    _access_tests_app_by_app(items)
    if not getattr(config.option, "loadgroup", False):  # set in pytest-xdist's worker processes
        return
    seen = Counter(item.nodeid for item in items)
    fuzz = demo = 0
    # The API fuzzing in as many parts as there are test processes (each builds its scenario).
    fuzz_parts = max(2, int(getattr(config, "workerinput", {}).get("workercount", 2)))
    for item in items:
        group = None
        if item.get_closest_marker("celery_worker"):
            group = "redis"
        elif "demo" in getattr(item, "fixturenames", ()):
            # Two processes share the demo tests (each loads the demo once); the demo walk's
            # two halves go one to each.
            walk = item.callspec.params.get("walk") if hasattr(item, "callspec") else None
            group = f"demo_{(0 if walk == 'first' else 1) if walk else demo % 2}"
            demo += walk is None
        elif item.nodeid.startswith("tests/ipvb/test_api_fuzz.py"):
            group = f"api_fuzz_{fuzz % fuzz_parts}"
            fuzz += 1
        elif (route := _access_route(item)) is not None:
            group = f"access_{route.app}"
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
        _schedule_as(item, group, unique=seen[item.nodeid] == 1)


def _access_route(item: pytest.Item) -> Any:
    if not item.nodeid.startswith(ACCESS_TESTS):
        return None
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("route") if callspec is not None else None


def _access_tests_app_by_app(items: list[pytest.Item]) -> None:
    """tests/ipvb/test_access.py builds one world per app (``AppWorlds``): its tests run app by
    app (in their places among the other tests) so that each app's world is built once."""
    places = [index for index, item in enumerate(items) if _access_route(item) is not None]
    ordered = sorted((items[index] for index in places), key=lambda item: _access_route(item).app)
    for index, item in zip(places, ordered, strict=True):
        items[index] = item


def _schedule_as(item: pytest.Item, group: str | None, unique: bool) -> None:
    """The scheduler knows a test by its node id, with its group as ``<id>@<group>``.
    pytest-xdist 3.8 writes the group into ``_nodeid``, which pytest 9 no longer reads (it
    keeps a ``NodeId`` in ``_id``); and schemathesis gives all its tests of one function the
    same node id (the operation is only in the name), which would make the scheduler run one."""
    node_id = getattr(item, "_id", None)
    if node_id is None or "@" in item.nodeid or (group is None and unique):
        return
    name = item.nodeid if unique else f"{item.parent.nodeid}::{item.name}"  # type: ignore[union-attr]
    item._id = type(node_id).parse(f"{name}@{group}" if group else name)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """What ``load_demo`` writes, loaded once per session (tests/demo.py)."""
    from . import demo

    with django_db_blocker.unblock():
        return demo.build(_migrated)


@pytest.fixture
def demo(demo_rows, db) -> None:  # type: ignore[no-untyped-def]
    """The demo data in the test database: in the test's transaction, or committed for
    transactional tests (the live server's browser tests)."""
    from . import demo

    demo.restore(demo_rows)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return World()


@pytest.fixture(autouse=True)
def _english_off(settings):  # type: ignore[no-untyped-def]
    """Tests run in the default language (Dutch) unless they switch."""
    settings.LANGUAGE_CODE = "nl"
