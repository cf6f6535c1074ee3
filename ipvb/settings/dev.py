"""The local demo (`make run`): SQLite and in-process tasks unless DATABASE_URL / REDIS_URL.

The demo behaves like the product: real 403/404/500 pages (not Django's debug pages with the
URL list) and a quiet console (a refused request is not a traceback). DJANGO_DEBUG=true gives
developers the debug pages back."""

from .base import *  # noqa: F403
from .base import LOGGING, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
# Static files straight from the source folders (no collectstatic needed for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# 403/404 are answers, not incidents: only server errors reach the console.
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}
LOGGING["loggers"]["django.security"] = {"level": "ERROR"}
