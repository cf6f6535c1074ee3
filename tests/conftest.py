import os

import pytest

from .world import World

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (fixtures), which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return World()


@pytest.fixture(autouse=True)
def _english_off(settings):  # type: ignore[no-untyped-def]
    """Tests run in the default language (Dutch) unless they switch."""
    settings.LANGUAGE_CODE = "nl"
