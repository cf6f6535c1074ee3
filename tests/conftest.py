import os

import pytest

from .world import World

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

    if not _app_database:
        yield
        return
    with django_db_blocker.unblock():
        db_roles.ensure_app_role(_app_database["USER"], _app_database["PASSWORD"] or None)
        db_roles.grant_app_privileges(_app_database["USER"])
        owner = db_roles.switch_to_app("default", _app_database, TEST_SETUP_BYPASS)
    yield
    with django_db_blocker.unblock():
        db_roles.switch_to_app("default", owner, None)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return World()


@pytest.fixture(autouse=True)
def _english_off(settings):  # type: ignore[no-untyped-def]
    """Tests run in the default language (Dutch) unless they switch."""
    settings.LANGUAGE_CODE = "nl"
