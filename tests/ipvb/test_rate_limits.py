"""Rate limits hold across gunicorn workers: with REDIS_URL the cache (which holds the login and
API throttle counters) is Redis, shared by every process; the embedded demo keeps memory."""

import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches

from ipvb.roles import Role

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _cache_backend(module: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": "x" * 50, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_production_with_redis_uses_redis_cache() -> None:
    from tests.ipvb.test_platform import PRODUCTION_ENV

    assert _cache_backend(
        "ipvb.settings.production", REDIS_URL="redis://127.0.0.1:6379/0", **PRODUCTION_ENV
    ).endswith("RedisCache")


def test_embedded_demo_keeps_local_memory() -> None:
    assert _cache_backend("ipvb.settings.dev").endswith("LocMemCache")


@pytest.mark.django_db
def test_failed_logins_are_counted_in_redis_for_every_worker(world, settings) -> None:  # type: ignore[no-untyped-def]
    prefix = f"ipvb-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": django_settings.TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    store = redis.Redis.from_url(django_settings.TEST_REDIS_URL)
    try:
        user = world.user(Role.MANAGER)
        for _ in range(5):
            world.client(None).post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
        # Another worker: a fresh connection, no state shared in this process.
        caches.close_all()
        for alias in list(caches):
            del caches[alias]
        keys = store.keys(f"{prefix}:*")
        assert keys, "the login counters are not in Redis"
        response = world.client(None).post(
            "/accounts/login/", {"login": user.email, "password": "test-password-123"}
        )
        assert response.status_code == 429 or "Te veel" in response.content.decode()
    finally:
        for key in store.keys(f"{prefix}:*"):
            store.delete(key)
