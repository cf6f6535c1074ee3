"""Every served file gets a Content-Disposition built by Django: a family name with quotes, a
semicolon or CR/LF gives one well-formed header with one file name, never a second parameter
or a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_header_parameters

from ipvb.downloads import attachment
from ipvb.roles import Role
from tests.conversations import builders
from tests.costing import builders as costing_builders

pytestmark = pytest.mark.django_db

NASTY = 'O"Brien; filename="evil.exe"\r\nX-Injected: 1\\'


def _disposition(response) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    return parse_header_parameters(header)


@pytest.mark.parametrize(
    ("family_name", "expected"),
    [
        (NASTY, "zorgpakket-O-Brien-filename-evil.exe-X-Injected-1-v1.pdf"),
        ("van der Berg-Müller", "zorgpakket-van-der-Berg-Müller-v1.pdf"),
    ],
)
def test_package_pdf_header_is_safe_for_any_family_name(world, family_name, expected) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    client = data["client"]
    client.family_name = family_name
    client.save(update_fields=["family_name"])
    package = data["package"]
    response = world.client(Role.CARE_PROFESSIONAL).get(f"/pakketten/{package.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    kind, params = _disposition(response)
    assert kind == "attachment"
    assert params == {"filename": expected.replace("-v1", f"-v{package.version}")}
    assert "X-Injected" not in response.headers


def test_attachment_header_is_django_s_and_drops_control_characters() -> None:
    assert attachment("a\r\nb.pdf") == 'attachment; filename="a-b.pdf"'
    assert attachment('x"; filename=y.exe') == 'attachment; filename="x-filename-y.exe"'
    assert attachment("Zoë.pdf") == "attachment; filename*=utf-8''Zo%C3%AB.pdf"
    assert attachment("\r\n") == 'attachment; filename="download"'


def test_other_downloads_have_one_well_formed_header(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    model = costing_builders.world_a(world)["model"]
    cases = [
        (Role.MANAGER, reverse("client_export"), "clienten.csv"),
        (Role.FINANCIAL, reverse("catalog_activity_export"), None),
        (Role.FINANCIAL, reverse("catalog_addon_export"), None),
        (
            Role.MANAGER,
            reverse("costmodel_export", args=[model.pk]),
            f"kostprijsmodel-{model.year}-v{model.version}.xlsx",
        ),
    ]
    for role, url, expected in cases:
        response = world.client(role).get(url)
        assert response.status_code == 200, url
        kind, params = _disposition(response)
        assert kind == "attachment" and list(params) == ["filename"], url
        if expected is None:
            assert params["filename"].endswith(f"-{today:%Y-%m-%d}.xlsx")
        else:
            assert params["filename"] == expected
