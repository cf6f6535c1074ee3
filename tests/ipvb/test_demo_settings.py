"""`make run` shows real error pages and keeps the console quiet."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_has_real_error_pages_and_quiet_request_log() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.WHITENOISE_USE_FINDERS, s.LOGGING['loggers']['django.request']['level'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "ipvb.settings.dev"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["False", "True", "ERROR"]


@pytest.mark.django_db
def test_unknown_url_shows_the_product_404_page(world) -> None:  # type: ignore[no-untyped-def]
    from ipvb.roles import Role

    response = world.client(Role.MANAGER).get("/bestaat-niet/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Niet gevonden" in page and "URLconf" not in page
