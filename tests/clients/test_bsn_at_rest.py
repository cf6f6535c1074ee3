"""The BSN at rest (issue 14 item 3): encrypted with a key from the environment, found through
a keyed hash, unique per organisation on that hash, never searched through a URL, searched
only by the roles that may reveal it; existing rows are encrypted by a data migration and the
keys rotate with a command."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import importlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from clients import bsn_crypto, services
from clients.models import Client
from ipvb.models import AccessLogEntry
from ipvb.roles import Role

from .builders import make_client

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def raw_rows() -> list[tuple[int, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, bsn, bsn_hash FROM clients_client ORDER BY id")
        return list(cursor.fetchall())


class TestStorage:
    def test_column_holds_ciphertext_and_keyed_hash_only(self, world) -> None:  # type: ignore[no-untyped-def]
        client = make_client(world, bsn="123456782")
        [(pk, stored, digest)] = raw_rows()
        assert pk == client.pk
        assert "123456782" not in stored and stored.startswith("gAAAAA")
        expected = hmac.new(settings.IPVB_BSN_HASH_KEY.encode(), b"123456782", hashlib.sha256).hexdigest()
        assert digest == expected
        assert Client.objects.for_organisation(world.org_a).get(pk=pk).bsn == "123456782"

    def test_same_bsn_encrypts_differently_but_hashes_alike(self, world) -> None:  # type: ignore[no-untyped-def]
        make_client(world, bsn="123456782")
        make_client(world, org="b", bsn="123456782")
        (_a, stored_a, hash_a), (_b, stored_b, hash_b) = raw_rows()
        assert stored_a != stored_b and hash_a == hash_b

    def test_lookup_goes_through_the_hash_and_plain_filters_fail_loudly(self, world) -> None:  # type: ignore[no-untyped-def]
        client = make_client(world, bsn="123456782")
        scoped = Client.objects.for_organisation(world.org_a)
        assert list(scoped.with_bsn("12345 6782")) == [client]
        assert not scoped.with_bsn("111222333").exists()
        with pytest.raises(FieldError):
            list(scoped.filter(bsn="123456782"))
        with pytest.raises(FieldError):
            list(scoped.filter(bsn__contains="782"))

    def test_uniqueness_per_organisation_on_the_hash(self, world) -> None:  # type: ignore[no-untyped-def]
        make_client(world, bsn="123456782")
        with pytest.raises(ValidationError, match="al een cliënt met dit BSN"):
            services.client_create(
                organisation=world.org_a,
                department=world.dept_a,
                given_name="Twee",
                family_name="Keer",
                date_of_birth=datetime.date(1940, 1, 1),
                bsn="123456782",
                admission_date=datetime.date(2024, 1, 1),
            )
        make_client(world, org="b", bsn="123456782")  # another organisation: fine

    def test_wrong_key_fails_closed(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        client = make_client(world, bsn="123456782")
        settings.IPVB_BSN_KEYS = [Fernet.generate_key().decode()]
        with pytest.raises(bsn_crypto.BsnDecryptionError):
            Client.objects.for_organisation(world.org_a).get(pk=client.pk)


class TestMigrationAndRotation:
    def test_data_migration_encrypts_existing_plain_rows(self, world) -> None:  # type: ignore[no-untyped-def]
        one = make_client(world, bsn="123456782")
        two = make_client(world, bsn="111222333")
        with connection.cursor() as cursor:  # the state before the migration: plain BSNs
            for client, filler in ((one, "0"), (two, "1")):
                cursor.execute(
                    "UPDATE clients_client SET bsn = %s, bsn_hash = %s WHERE id = %s",
                    [client.bsn, filler * 64, client.pk],
                )
        migration = importlib.import_module("clients.migrations.0005_bsn_encrypt_rows")
        with connection.schema_editor(atomic=False) as editor:
            migration.encrypt_rows(django_apps, editor)
            migration.encrypt_rows(django_apps, editor)  # a re-run changes nothing visible
        rows = raw_rows()
        for _pk, stored, digest in rows:
            assert stored.startswith("gAAAAA") and not any(b in stored for b in ("123456782", "111222333"))
            assert digest not in ("0" * 64, "1" * 64)
        scoped = Client.objects.for_organisation(world.org_a)
        assert scoped.with_bsn("123456782").get() == one
        assert scoped.get(pk=two.pk).bsn == "111222333"

    def test_key_rotation_command(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        client = make_client(world, bsn="123456782")
        old_keys = list(settings.IPVB_BSN_KEYS)
        new_key = Fernet.generate_key().decode()
        settings.IPVB_BSN_KEYS = [new_key, *old_keys]
        settings.IPVB_BSN_HASH_KEY = "een-nieuwe-hash-sleutel"
        out = io.StringIO()
        call_command("rotate_bsn_keys", "--batch-size", "1", stdout=out)
        assert "1 BSN" in out.getvalue()
        settings.IPVB_BSN_KEYS = [new_key]  # the old key is gone: every row still decrypts
        scoped = Client.objects.for_organisation(world.org_a)
        assert scoped.get(pk=client.pk).bsn == "123456782"
        assert scoped.with_bsn("123456782").get() == client  # hashes recomputed with the new key


class TestSearch:
    def test_care_professional_finds_by_bsn_in_a_post_body(self, world) -> None:  # type: ignore[no-untyped-def]
        mine = make_client(world, bsn="123456782", family_name="Eigen")
        make_client(world, department=world.dept_a2, bsn="111222333", family_name="Ander")
        web = world.client(Role.CARE_PROFESSIONAL)
        page = web.post(reverse("client_bsn_search"), {"bsn": "123456782"})
        assert page.status_code == 200 and "Eigen" in page.content.decode()
        assert mine.bsn not in page.content.decode()  # neither echoed nor revealed
        other = web.post(reverse("client_bsn_search"), {"bsn": "111222333"}).content.decode()
        assert "Ander" not in other and "Geen cliënt met dit BSN gevonden" in other  # not my department
        entry = AccessLogEntry.objects.for_organisation(world.org_a).order_by("-pk").first()
        assert (entry.action, entry.client_id, entry.criteria) == ("search", None, '{"bsn": "•••••••••"}')

    @pytest.mark.parametrize(
        ("value", "message"),
        [("", "Vul een BSN in"), ("12345", "9 cijfers"), ("123456789", "elfproef"), ("1" * 30, "9 cijfers")],
    )
    def test_bad_bsn_is_refused_clearly(self, world, value, message) -> None:  # type: ignore[no-untyped-def]
        response = world.client(Role.TEAM_LEADER).post(reverse("client_bsn_search"), {"bsn": value})
        assert response.status_code == 400
        assert message in response.content.decode()

    @pytest.mark.parametrize("role", [Role.MANAGER, Role.FINANCIAL, Role.BOARD])
    def test_roles_that_may_not_reveal_may_not_search(self, world, role) -> None:  # type: ignore[no-untyped-def]
        make_client(world, bsn="123456782")
        assert world.client(role).post(reverse("client_bsn_search"), {"bsn": "123456782"}).status_code == 403
        api = world.client(role).post(
            "/api/v1/clients/bsn-search/", {"bsn": "123456782"}, content_type="application/json"
        )
        assert api.status_code == 403
        # The list no longer confirms a BSN either.
        assert world.client(role).get("/api/v1/clients/?bsn=123456782").status_code in (400, 403)

    def test_api_search_in_the_body(self, world) -> None:  # type: ignore[no-untyped-def]
        mine = make_client(world, bsn="123456782", family_name="Eigen")
        api = world.client(Role.ORG_ADMIN)
        body = api.post(
            "/api/v1/clients/bsn-search/", {"bsn": "123456782"}, content_type="application/json"
        ).json()
        assert body["count"] == 1 and body["results"][0]["id"] == mine.pk
        assert body["results"][0]["bsn_masked"] == "******782" and "123456782" not in str(body)
        bad = api.post("/api/v1/clients/bsn-search/", {"bsn": "123"}, content_type="application/json")
        assert bad.status_code == 400 and "9 cijfers" in bad.json()["bsn"][0]
        missing = api.post("/api/v1/clients/bsn-search/", {}, content_type="application/json")
        assert missing.status_code == 400
        entry = AccessLogEntry.objects.for_organisation(world.org_a).order_by("-pk").first()
        assert (entry.action, entry.client_id, entry.channel) == ("search", mine.pk, "api")
        assert "123456782" not in entry.criteria

    def test_bsn_in_a_url_is_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        make_client(world, bsn="123456782")
        response = world.client(Role.ORG_ADMIN).get("/api/v1/clients/?bsn=123456782")
        assert response.status_code == 400
        assert "niet via de URL" in response.json()["bsn"][0]


def test_production_refuses_to_start_without_bsn_keys() -> None:
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x" * 50,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    for extra, message in (
        ({}, "IPVB_BSN_KEYS must be set"),
        ({"IPVB_BSN_KEYS": Fernet.generate_key().decode()}, "IPVB_BSN_HASH_KEY must be set"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", "import ipvb.settings.production"],
            cwd=ROOT,
            env={**base, **extra},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0 and message in result.stderr
