"""Issue 14 item 5: a strict Content-Security-Policy and the other security headers on every
answer, `check --deploy` clean with the production settings and the docker-compose defaults,
production refusing the console mail backend, and no password-reset key in any log line."""

from __future__ import annotations

import logging
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from ipvb.roles import Role
from ipvb.security import RedactSecretsFilter

ROOT = Path(__file__).resolve().parents[2]


def compose_defaults() -> dict[str, str]:
    """The app environment of docker-compose.yml with every ``${VAR:-default}`` at its default
    and every required ``${VAR:?...}`` given a fresh value."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("environment:", 1)[1].split("volumes:", 1)[0]
    env = {}
    for name, value in re.findall(r"^\s+([A-Z_]+):\s*(.+)$", block, flags=re.M):
        default = re.fullmatch(r"\$\{[A-Z_]+:-(.*)\}", value.strip())
        if default:
            env[name] = default.group(1)
        elif value.strip().startswith("${"):
            env[name] = (
                Fernet.generate_key().decode() if name == "IPVB_BSN_KEYS" else secrets.token_urlsafe(50)
            )
        else:
            env[name] = value.strip()
    return env


def run_production(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_the_compose_defaults() -> None:
    env = compose_defaults()
    assert env["DJANGO_SETTINGS_MODULE"] == "ipvb.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    issues = re.findall(r"\(([a-z_0-9]+\.[A-Z]\d{3})\)", result.stdout + result.stderr)
    assert "System check identified" in result.stdout + result.stderr or result.returncode == 0
    # Django's own deployment checks (HTTPS, HSTS, cookies, secret key, debug), ours, and the
    # OAuth 2.0 Security BCP checks of django-oauth-toolkit: none.
    assert issues == [], result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_security_defaults() -> None:
    env = compose_defaults()
    code = (
        "import ipvb.settings.production as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run_production(code, env)
    assert result.stdout.split() == ["True", "31536000", "True", "True"], result.stderr
    # Off only by explicit environment.
    result = run_production(code, {**env, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"})
    assert result.stdout.split()[:2] == ["False", "0"], result.stderr


def test_production_refuses_the_console_mail_backend_unless_allowed() -> None:
    env = compose_defaults()
    console = {**env, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    result = run_production("import ipvb.settings.production", console)
    assert result.returncode != 0 and "console backend" in result.stderr
    result = run_production(
        "import ipvb.settings.production", {**console, "IPVB_ALLOW_CONSOLE_EMAIL": "true"}
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_every_page_carries_the_policy(world) -> None:  # type: ignore[no-untyped-def]
    for response in (world.client(None).get("/accounts/login/"), world.client(Role.MANAGER).get("/")):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        body = response.content.decode()
        assert "<style" not in body and " style=" not in body and "onclick=" not in body
        assert re.search(r"<script(?![^>]*\bsrc=)", body) is None, "inline script"


def test_templates_hold_no_inline_script_or_style() -> None:
    """Browser pages only; documents rendered to PDF by WeasyPrint (pdf_mode) may inline
    their styles (ipvb.pdf fetches nothing), a browser never sees them."""
    offenders = []
    pdf_only = {
        "reporting/evidence_pack.html",
        "reporting/transparency/report_document.html",
        "reporting/programme/report_document.html",
    }
    for path in (ROOT / "templates").rglob("*.html"):
        name = path.relative_to(ROOT / "templates").as_posix()
        text = path.read_text()
        if name in pdf_only:
            continue
        if name == "conversations/package_document.html":
            text = re.sub(r"{% if pdf_mode %}<style>.*?</style>{% else %}", "", text, flags=re.S)
        for pattern in (r"<style", r"\sstyle=", r"\son[a-z]+=", r"javascript:", r"<script(?![^>]*\bsrc=)"):
            if re.search(pattern, text):
                offenders.append(f"{name}: {pattern}")
    assert offenders == []


def test_password_reset_keys_never_reach_a_log_line() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET %s HTTP/1.1" 200',
        ("/accounts/password/reset/key/3-abc123-secretkey/",),
        None,
    )
    assert RedactSecretsFilter().filter(record) is True
    assert "secretkey" not in record.getMessage() and "[verborgen]" in record.getMessage()
    handler = logging.getLogger().handlers[0] if logging.getLogger().handlers else None
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_secrets"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
    del handler
