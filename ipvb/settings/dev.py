"""The local demo (`make run`): SQLite and in-process tasks unless DATABASE_URL / REDIS_URL."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
