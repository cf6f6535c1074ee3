"""The test suite: the real PostgreSQL (DATABASE_URL, default the local server) and Redis."""

import os
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

from .base import *  # noqa: F403
from .base import DATABASES, bind_on_server

# Two roles (ipvb.db_roles): the owner creates and migrates the test database, the tests
# then connect as the app role (tests/conftest.py). DATABASE_URL equal to the owner: one role.
DATABASES["default"] = dj_database_url.parse(
    os.environ.get("DATABASE_URL", "postgres://ipvb_app:ipvb_app@127.0.0.1:5432/ipvb")
)
IPVB_DATABASE_OWNER = dj_database_url.parse(
    os.environ.get("DATABASE_OWNER_URL", "postgres://postgres@127.0.0.1:5432/ipvb")
)
DATABASES["default"]["ATOMIC_REQUESTS"] = True
bind_on_server(DATABASES["default"])  # as in production: prepared statements included
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_ipvb")}
TEST_REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Parallel test processes (pytest-xdist: PYTEST_XDIST_WORKER is gw0, gw1, ...) each use a Redis
# database of their own (8-15; tests/reporting/test_transparency_worker.py uses 7).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    TEST_REDIS_URL = urlunsplit(urlsplit(TEST_REDIS_URL)._replace(path=f"/{8 + int(_worker[2:]) % 8}"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Each test run starts with empty rate-limit counters; tests/ipvb/test_rate_limits.py switches
# to Redis to prove the counters are shared across processes.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
