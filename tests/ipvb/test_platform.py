"""Settings, the committed API schema, the demo loader and the Celery configuration."""

import importlib
import io
import pathlib
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from ipvb.celery import app as celery_app

ROOT = pathlib.Path(__file__).resolve().parents[2]


# What production needs to start (ipvb.settings.production): secrets and a real mail backend.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "IPVB_BSN_KEYS": "tTvYm1u3n9VBl5F0SgqkVw2JyO7zqf3k2Jc8bqNLX0E=",
    "IPVB_BSN_HASH_KEY": "y" * 40,
}


@pytest.mark.parametrize("module", ["base", "dev", "test", "production"])
def test_settings_modules_import(module, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    env = {"PATH": "/usr/bin:/bin", **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", f"import ipvb.settings.{module} as s; print(s.IPVB_REQUIRE_MFA)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("True" if module == "production" else "False")


def test_production_refuses_to_start_without_secret_key() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import ipvb.settings.production"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_committed_openapi_schema_is_current(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    committed = ROOT / "docs" / "openapi.yaml"
    assert committed.read_text() == generated.read_text(), "Schema drifted: run `make schema`."


def test_beat_schedule_entries_are_registered_tasks() -> None:
    celery_app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name
        assert entry["schedule"] is not None


def test_celery_reliability_settings() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit


def _snapshot() -> dict[str, list]:
    snapshot = {}
    for model in apps.get_models():
        manager = model._default_manager
        qs = manager.dangerously_unscoped() if hasattr(manager, "dangerously_unscoped") else manager.all()
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.get_internal_type() not in {"DateTimeField"} and f.name != "password"
        ]
        snapshot[model._meta.label] = sorted(map(repr, qs.values_list(*fields)))
    return snapshot


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_demo_loader_is_idempotent() -> None:
    """The ``demo`` fixture holds exactly what ``load_demo`` wrote on the freshly migrated
    database (tests/demo.py); loading it again changes nothing."""
    first = _snapshot()
    assert len(first["ipvb.Organisation"]) == 2
    assert len(first["ipvb.Department"]) == 6
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "zorg@zonnehof.example" in out.getvalue()
    assert _snapshot() == first


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_demo_has_both_department_kinds_and_every_role() -> None:
    from ipvb.models import Department, Membership, Organisation
    from ipvb.roles import Role

    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    for org in Organisation.objects.all():
        kinds = set(Department.objects.for_organisation(org).values_list("kind", flat=True))
        assert kinds == set(Department.Kind.values)
        roles = {r for m in Membership.objects.for_organisation(org) for r in m.roles}
        assert roles == set(Role.values)


def test_tasks_module_imports() -> None:
    assert importlib.import_module("ipvb.tasks").ping.name == "ipvb.tasks.ping"
