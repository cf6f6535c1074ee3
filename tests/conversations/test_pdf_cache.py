"""The package PDF rendered once per agreed version (issue 16, reporting.stored_pdf): served
again without WeasyPrint while the document is the same, rendered again when what it shows
changes; drafts rendered on every request; access control and the access log unchanged."""

from __future__ import annotations

import datetime
import subprocess
from typing import Any

import pytest
from django.utils import timezone

from clients import services as client_services
from conversations.models import Package
from conversations.packages import package_start_draft
from ipvb.models_accesslog import AccessLogEntry
from ipvb.roles import Role
from reporting import stored_pdf
from reporting.models import PackagePdf
from tests.conversations import builders
from tests.family.builders import agree

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates WeasyPrint rendered (every call of the one PDF helper)."""
    calls: list[str] = []
    original = stored_pdf.render_pdf

    def counting(template_name: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(template_name)
        return original(template_name, *args, **kwargs)

    monkeypatch.setattr(stored_pdf, "render_pdf", counting)
    return calls


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _exports(world: Any, package: Package) -> int:
    return (
        AccessLogEntry.objects.for_organisation(world.org_a)
        .filter(action=AccessLogEntry.Action.EXPORT, client_id=package.client_id)
        .count()
    )


def _get(world: Any, package: Package, role: str = Role.CARE_PROFESSIONAL) -> Any:
    response = world.client(role).get(f"/pakketten/{package.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response


def test_agreed_version_is_rendered_once_and_served_identically(world, renders) -> None:  # type: ignore[no-untyped-def]
    package = agree(world, builders.scenario(world)["package"])
    first = _get(world, package)
    assert len(renders) == 1
    second = _get(world, package, Role.TEAM_LEADER)
    assert len(renders) == 1, "the second request rendered the PDF again"
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    stored = PackagePdf.objects.for_organisation(world.org_a).get(package=package)
    assert bytes(stored.pdf) == first.content and stored.language == "nl"
    # "Printed at" is the moment of the one rendering, as a fresh rendering then would show.
    printed = timezone.localtime(stored.rendered_at)
    assert f"Afgedrukt op {printed:%d-%m-%Y %H:%M}" in _text(second.content)
    assert _exports(world, package) == 2  # every download is logged, stored or not


def test_a_new_version_gets_its_own_pdf_and_the_old_one_shows_superseded(world, renders) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    first_version = agree(world, data["package"])
    v1 = _get(world, first_version).content
    leader = world.membership(Role.TEAM_LEADER)
    draft = package_start_draft(
        client=data["client"],
        by=leader.user,
        start_date=first_version.start_date + datetime.timedelta(days=14),
    )
    second_version = agree(world, draft)
    assert second_version.version == 2
    v2 = _get(world, second_version).content
    assert len(renders) == 2 and v2 != v1
    assert "versie 2 (Afgesproken)" in _text(v2)
    stored = PackagePdf.objects.for_organisation(world.org_a)
    assert sorted(stored.values_list("package_id", flat=True)) == sorted(
        [first_version.pk, second_version.pk]
    )
    # Version 1 is now superseded: its document says so, so it is rendered again, once.
    v1_again = _get(world, first_version).content
    assert len(renders) == 3
    assert "versie 1 (Vervangen)" in _text(v1_again) and "versie 1 (Vervangen)" not in _text(v1)
    assert _get(world, first_version).content == v1_again
    assert len(renders) == 3
    assert stored.count() == 2


def test_a_changed_document_is_rendered_again(world, renders) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = agree(world, data["package"])
    before = _get(world, package).content
    client_services.contact_person_create(
        client=data["client"], name="Marieke de Jong", relation="Dochter", role="legal_representative"
    )
    after = _get(world, package).content
    assert len(renders) == 2
    assert "Marieke de Jong" in _text(after) and "Marieke de Jong" not in _text(before)
    stored = PackagePdf.objects.for_organisation(world.org_a).get(package=package)
    assert bytes(stored.pdf) == after
    _get(world, package)
    assert len(renders) == 2


def test_a_draft_is_rendered_on_every_request_and_not_stored(world, renders) -> None:  # type: ignore[no-untyped-def]
    package = builders.scenario(world)["package"]
    assert package.status == Package.Status.DRAFT
    _get(world, package)
    _get(world, package)
    assert len(renders) == 2
    assert not PackagePdf.objects.for_organisation(world.org_a).exists()


def test_each_language_has_its_own_pdf(world, renders) -> None:  # type: ignore[no-untyped-def]
    package = agree(world, builders.scenario(world)["package"])
    browser = world.client(Role.CARE_PROFESSIONAL)
    dutch = browser.get(f"/pakketten/{package.pk}/pdf/").content
    english = browser.get(f"/pakketten/{package.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="en").content
    assert sorted(
        PackagePdf.objects.for_organisation(world.org_a)
        .filter(package=package)
        .values_list("language", flat=True)
    ) == ["en", "nl"]
    assert english != dutch
    assert browser.get(f"/pakketten/{package.pk}/pdf/").content == dutch
    assert len(renders) == 2


def test_access_control_is_unchanged_for_a_stored_pdf(world, renders) -> None:  # type: ignore[no-untyped-def]
    package = agree(world, builders.scenario(world)["package"])
    _get(world, package)
    builders.setup_b(world)
    other = world.client(Role.CARE_PROFESSIONAL, "b")
    assert other.get(f"/pakketten/{package.pk}/pdf/").status_code == 404
    assert _exports(world, package) == 1
    assert len(renders) == 1
