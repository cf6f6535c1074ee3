"""The one spreadsheet reader (ipvb.spreadsheets): every import refuses spreadsheet bombs
before parsing them, with a message that states the limit, and saves nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from catalog.models import Activity
from clients.models import Client
from costing.models import ModelLevel, Tariff, TariffImport
from costing.views.platform import SESSION_TARIFF_PREVIEW
from ipvb import spreadsheets
from ipvb.roles import Role
from tests.costing import builders as b
from tests.factories import UserFactory

from .spreadsheet_bombs import CSV_BOMBS, HEADER_ROW, XLSX_BOMBS, base_workbook, many_rows, sheet, with_parts

XLSX_CASES = [pytest.param(build, words, id=name) for name, (build, words) in XLSX_BOMBS.items()]
CSV_CASES = [pytest.param(build, words, id=name) for name, (build, words) in CSV_BOMBS.items()]


def _workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The reader itself -------------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "words"), XLSX_CASES)
def test_reader_refuses_xlsx_bombs(build, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        list(spreadsheets.read_rows(content=build(), name="x.xlsx"))
    assert words in " ".join(exc.value.messages)


@pytest.mark.parametrize(("build", "words"), CSV_CASES)
def test_reader_refuses_csv_bombs(build, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        list(spreadsheets.read_rows(content=build(), name="x.csv", formats=("csv", "xlsx")))
    assert words in " ".join(exc.value.messages)


def test_reader_reads_a_full_size_workbook_lazily() -> None:
    header = [f"kolom {n}" for n in range(14)]
    rows = [header] + [[f"r{r}", r, *(["tekst"] * 12)] for r in range(5000)]
    reader = spreadsheets.read_rows(content=_workbook(rows), name="ok.xlsx")
    assert next(reader) == tuple(header)
    rest = list(reader)
    assert len(rest) == 5000 and rest[-1][:2] == ("r4999", 4999)


def test_reader_picks_the_named_sheet_and_keeps_formulas_as_text_when_asked() -> None:
    book = Workbook()
    book.active.append(["eerste"])
    other = book.create_sheet("Niveaus")
    other.append(["code", "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = list(spreadsheets.read_rows(content=buffer.getvalue(), sheet_name="Niveaus", data_only=False))
    assert rows == [("code", "=1+1")]
    assert list(spreadsheets.read_rows(content=buffer.getvalue(), sheet_name="Onbekend")) == [("eerste",)]


def test_limits_come_from_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SPREADSHEET_MAX_ROWS = 3
    settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="meer dan 3 regels"):
        list(spreadsheets.read_rows(content=_workbook([["a"]] * 5), name="x.xlsx"))
    with pytest.raises(ValidationError, match="uitgepakt te groot \\(meer dan 1 MB"):
        list(spreadsheets.read_rows(content=many_rows(60_000), name="x.xlsx"))
    settings.SPREADSHEET_MAX_ZIP_ENTRIES = 3
    with pytest.raises(ValidationError, match="meer dan 3 onderdelen"):
        spreadsheets.read_rows(content=base_workbook(), name="x.xlsx")


def test_sheet_formatting_beyond_reason_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SPREADSHEET_MAX_COMPRESSION_RATIO = 10_000
    columns = "<cols>" + '<col min="1" max="1" width="9"/>' * 100_001 + "</cols>"
    content = with_parts(sheet(columns + HEADER_ROW))
    with pytest.raises(ValidationError, match="te veel opmaak"):
        spreadsheets.read_rows(content=content, name="x.xlsx")


def test_broken_and_wrong_files_get_a_clear_message() -> None:
    damaged = bytearray(many_rows(2000))
    start = damaged.index(b"xl/worksheets/sheet1.xml") + 100
    damaged[start : start + 200] = b"\xff" * 200  # the deflated sheet no longer inflates
    broken_xml = with_parts({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    for content in (b"nope", broken_xml, bytes(damaged)):
        with pytest.raises(ValidationError, match="geen geldig Excel-bestand"):
            list(spreadsheets.read_rows(content=content, name="x.xlsx"))
    with pytest.raises(ValidationError, match="Kies een Excel-bestand"):
        spreadsheets.read_rows(content=b"x", name="x.pdf")
    with pytest.raises(ValidationError, match="niet in UTF-8"):
        spreadsheets.read_rows(content="é;a\n".encode("latin-1"), name="x.csv", formats=("csv",))
    rows = spreadsheets.read_rows(
        content="é;a\n".encode("latin-1"), name="x.csv", formats=("csv",), csv_fallback_encoding="latin-1"
    )
    assert list(rows) == [("é", "a")]


class _Upload:
    """An upload that must be refused by its size without being read."""

    size = 5 * 1024 * 1024 + 1
    name = "groot.xlsx"

    def read(self, *args: Any) -> bytes:  # pragma: no cover - must not be called
        raise AssertionError("read before the size check")


def test_upload_is_refused_by_its_size_before_reading() -> None:
    with pytest.raises(ValidationError, match="groter dan 5 MB"):
        spreadsheets.read_upload(_Upload())
    small = SimpleUploadedFile("x.csv", b"a" * 10)
    assert spreadsheets.read_upload(small) == b"a" * 10


# Every import entry point ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "words"), XLSX_CASES + CSV_CASES)
def test_client_import_refuses_bombs(world, build, words, request) -> None:  # type: ignore[no-untyped-def]
    name = "export.csv" if "csv" in request.node.callspec.id else "export.xlsx"
    response = world.client(Role.ORG_ADMIN).post(
        reverse("client_import"), {"file": SimpleUploadedFile(name, build())}
    )
    assert response.status_code == 200
    assert words in " ".join(response.context["preview"].file_errors)
    assert response.context["token"] == ""
    assert not Client.objects.for_organisation(world.org_a).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "words"), XLSX_CASES)
def test_catalogue_import_refuses_bombs(world, build, words) -> None:  # type: ignore[no-untyped-def]
    before = Activity.objects.for_organisation(world.org_a).count()
    response = world.client(Role.FINANCIAL).post(
        reverse("catalog_activity_import"), {"file": SimpleUploadedFile("a.xlsx", build())}
    )
    assert response.status_code == 200
    assert words in " ".join(response.context["import_errors"])
    assert words in response.content.decode()
    assert Activity.objects.for_organisation(world.org_a).count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "words"), XLSX_CASES)
def test_cost_model_level_import_refuses_bombs(world, build, words) -> None:  # type: ignore[no-untyped-def]
    draft = b.draft_a(world)
    levels = set(
        ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).values_list("pk", "salary")
    )
    response = world.client(Role.FINANCIAL).post(
        reverse("costmodel_import", args=[draft.pk]), {"file": SimpleUploadedFile("hr.xlsx", build())}
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    after = set(
        ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).values_list("pk", "salary")
    )
    assert after == levels


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "words"), XLSX_CASES + CSV_CASES)
def test_tariff_import_refuses_bombs(world, build, words, request) -> None:  # type: ignore[no-untyped-def]
    name = "tarieven.csv" if "csv" in request.node.callspec.id else "tarieven.xlsx"
    client = world.client(None)
    client.force_login(UserFactory(is_staff=True, email="staf@example.org"))
    response = client.post(reverse("tariff_import"), {"file": SimpleUploadedFile(name, build())})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert SESSION_TARIFF_PREVIEW not in client.session
    assert client.post(reverse("tariff_import"), {"confirm": "1"}).status_code == 302
    assert not Tariff.objects.exists() and not TariffImport.objects.exists()
