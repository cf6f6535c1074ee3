"""A real Celery worker process for the transparency reliability tests (run as a subprocess by
tests/reporting/test_transparency_worker.py). Environment: DATABASE_URL (the test database),
REPORT_BROKER (a Redis URL of its own), REPORT_PAUSE (seconds to wait inside the build, so the
test can kill the worker in the middle of it)."""

import os
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "ipvb.settings.test"
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import django

django.setup()

from ipvb.celery import app  # noqa: E402
from reporting import transparency  # noqa: E402

pause = float(os.environ.get("REPORT_PAUSE", "0"))
if pause:
    original = transparency.build_report_data

    def slow_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(pause)
        return original(*args, **kwargs)

    transparency.build_report_data = slow_build

broker = os.environ["REPORT_BROKER"]
app.conf.update(
    task_always_eager=False,
    broker_url=broker,
    result_backend=None,
    broker_transport_options={"visibility_timeout": 3, "unacked_restore_throttle": 1},
)
app.worker_main(
    [
        "worker",
        "--pool=solo",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
)
