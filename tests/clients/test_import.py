"""Import from CSV/XLSX: a preview with every row's errors, nothing saved before the
confirmation, and then all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from clients import import_reading, importing
from clients.models import Client, Indication
from ipvb.models import AccessLogEntry
from ipvb.roles import Role

from .builders import make_client

pytestmark = pytest.mark.django_db

HEADER = "voornaam;achternaam;geboortedatum;bsn;afdeling;opnamedatum;besluitnummer;zorgprofiel;met behandeling;met dagbesteding;grondslag;ingangsdatum;einddatum"
GOOD_ROWS = [
    "Johanna;de Jong;17-05-1938;111222333;A-groep;01-02-2024;CIZ-1;5VV;nee;ja;psychogeriatrisch;01-02-2024;",
    "Cornelis;Bakker;1935-03-02;123456782;a-zonder;2023-06-01;CIZ-2;4VV;nee;ja;somatisch;2023-06-01;2024-05-31",
    "Cornelis;Bakker;1935-03-02;123456782;a-zonder;2023-06-01;CIZ-3;6VV;ja;ja;somatisch;2024-06-01;",
    "Maria;Smit;01-01-1940;999999990;A-groep;01-01-2025;;;;;;;",
]


def _csv(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def _upload(browser, content: bytes, name: str = "export.csv"):  # type: ignore[no-untyped-def]
    return browser.post(reverse("client_import"), {"file": SimpleUploadedFile(name, content)})


def test_good_file_previews_then_saves_everything(world) -> None:  # type: ignore[no-untyped-def]
    browser = world.client(Role.ORG_ADMIN)
    response = _upload(browser, _csv(*GOOD_ROWS))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alle regels zijn in orde: 3 cliënten en 3 indicaties" in page
    assert "******333" in page and "111222333" not in page
    assert not Client.objects.for_organisation(world.org_a).exists()  # nothing saved yet
    token = response.context["token"]
    response = browser.post(reverse("client_import_confirm"), {"token": token})
    assert response.status_code == 302
    clients = Client.objects.for_organisation(world.org_a)
    assert clients.count() == 3
    bakker = clients.with_bsn("123456782").get()
    assert bakker.department == world.dept_a2
    assert list(bakker.indications.order_by("start_date").values_list("care_profile", flat=True)) == [
        "4VV",
        "6VV",
    ]
    assert AccessLogEntry.objects.for_organisation(world.org_a).filter(action="create").count() == 3


def test_every_row_error_is_shown_and_nothing_saved(world) -> None:  # type: ignore[no-untyped-def]
    make_client(world, bsn="222222220")
    rows = [
        GOOD_ROWS[0],
        "Piet;Fout;01-01-1940;123456789;A-groep;01-01-2024;;;;;;;",  # 11-check
        "Kees;Dubbel;01-01-1940;222222220;A-groep;01-01-2024;;;;;;;",  # exists already
        "Anna;Datum;31-02-1940;111111110;Nergens;01-01-2024;;;;;;;",  # bad date, unknown department
        "Els;Overlap;01-01-1940;012345684;A-groep;01-01-2020;C-1;5VV;nee;ja;pg;01-01-2020;",
        "Els;Overlap;01-01-1940;012345684;A-groep;01-01-2020;C-2;6VV;nee;ja;pg;01-01-2021;",  # overlaps C-1
        "Jan;Omgekeerd;01-01-1940;200000007;A-groep;01-01-2020;C-3;5VV;nee;ja;pg;01-05-2024;01-04-2024",
        "Tom;Profiel;01-01-1940;200000019;A-groep;01-01-2020;C-4;11VV;misschien;ja;pg;01-05-2024;",
    ]
    browser = world.client(Role.ORG_ADMIN)
    response = _upload(browser, _csv(*rows))
    page = response.content.decode()
    preview = response.context["preview"]
    assert not preview.ok and response.context["token"] == ""
    errors = {row.number: " ".join(row.errors) for row in preview.rows}
    assert errors[2] == ""
    assert "voldoet niet aan de elfproef" in errors[3]
    assert "Er is al een cliënt met dit BSN" in errors[4]
    assert "'31-02-1940' is geen datum" in errors[5] and "Afdeling 'Nergens' bestaat niet" in errors[5]
    assert errors[6] == "" and "overlapt met een andere indicatie" in errors[7]
    assert "De einddatum ligt vóór de ingangsdatum" in errors[8]
    assert "Zorgprofiel '11VV' is onbekend" in errors[9] and "gebruik ja of nee" in errors[9]
    assert "Er wordt niets opgeslagen" in page
    assert "Bevestigen en alles opslaan" not in page
    assert Client.objects.for_organisation(world.org_a).count() == 1


def test_wrong_columns(world) -> None:  # type: ignore[no-untyped-def]
    response = _upload(
        world.client(Role.ORG_ADMIN), _csv("Jan;Jansen;x", header="voornaam;familienaam;geboortedatum")
    )
    errors = response.context["preview"].file_errors
    assert "Verplichte kolommen ontbreken: achternaam, bsn, afdeling, opnamedatum." in errors[0]
    assert "Onbekende kolommen: familienaam." in errors[0]
    assert not Client.objects.for_organisation(world.org_a).exists()


def test_wrong_encoding(world) -> None:  # type: ignore[no-untyped-def]
    content = _csv("Zoë;Müller;01-01-1940;111222333;A-groep;01-01-2024;;;;;;;", encoding="latin-1")
    response = _upload(world.client(Role.ORG_ADMIN), content)
    message = response.context["preview"].file_errors[0]
    assert "niet in UTF-8 opgeslagen (regel 2" in message
    assert not Client.objects.for_organisation(world.org_a).exists()


def test_utf8_with_bom_and_comma_separator(world) -> None:  # type: ignore[no-untyped-def]
    content = "\ufeffvoornaam,achternaam,geboortedatum,bsn,afdeling,opnamedatum\nZoë,Müller,01-01-1940,111222333,A-groep,01-01-2024\n"
    preview = importing.import_preview(
        organisation=world.org_a, name="x.csv", content=content.encode("utf-8")
    )
    assert preview.ok, [r.errors for r in preview.rows] + preview.file_errors
    assert preview.rows[0].data["family_name"] == "Müller"


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+31612345678", "-2+3", "@SUM(A1)"])
def test_formula_like_cells_are_refused(world, cell) -> None:  # type: ignore[no-untyped-def]
    row = f"{cell};de Jong;17-05-1938;111222333;A-groep;01-02-2024;;;;;;;"
    preview = importing.import_preview(organisation=world.org_a, name="x.csv", content=_csv(row))
    assert not preview.ok
    assert "lijkt op een formule" in preview.rows[0].errors[0]


def test_other_file_types_and_empty_files(world) -> None:  # type: ignore[no-untyped-def]
    assert (
        "CSV- of XLSX"
        in importing.import_preview(organisation=world.org_a, name="x.pdf", content=b"%PDF").file_errors[0]
    )
    assert (
        "geen geldig XLSX"
        in importing.import_preview(organisation=world.org_a, name="x.xlsx", content=b"nope").file_errors[0]
    )
    assert (
        "geen cliënten"
        in importing.import_preview(organisation=world.org_a, name="x.csv", content=_csv()).file_errors[0]
    )
    assert importing.import_preview(organisation=world.org_a, name="x.csv", content=b"").file_errors


def test_xlsx_with_real_dates_numbers_and_a_formula(world) -> None:  # type: ignore[no-untyped-def]
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "Johanna",
            "de Jong",
            datetime.datetime(1938, 5, 17),
            111222333,
            "A-groep",
            datetime.date(2024, 2, 1),
            "CIZ-1",
            "753",
            "nee",
            "ja",
            "Psychogeriatrische aandoening",
            datetime.date(2024, 2, 1),
            None,
        ]
    )
    sheet.append(["Piet", "=1+1", datetime.date(1938, 5, 17), 12345684, "A-groep", datetime.date(2024, 2, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = importing.import_preview(
        organisation=world.org_a, name="export.XLSX", content=buffer.getvalue()
    )
    first, second = preview.rows
    assert first.ok, first.errors
    assert first.data["bsn"] == "111222333" and first.data["indication"]["care_profile"] == "4VV"
    assert first.data["indication"]["grondslag"] == "psychogeriatric"
    assert "lijkt op een formule" in second.errors[0]


def test_confirm_is_all_or_nothing(world) -> None:  # type: ignore[no-untyped-def]
    """A row that became invalid after the preview (someone added that BSN) stops everything."""
    browser = world.client(Role.ORG_ADMIN)
    response = _upload(browser, _csv(*GOOD_ROWS))
    token = response.context["token"]
    make_client(world, bsn="999999990")  # the last row of the file now exists
    response = browser.post(reverse("client_import_confirm"), {"token": token})
    assert response.status_code == 200
    assert "Er is al een cliënt met dit BSN" in response.content.decode()
    assert Client.objects.for_organisation(world.org_a).count() == 1
    assert not Indication.objects.for_organisation(world.org_a).exists()


def test_confirm_rolls_back_when_saving_fails_halfway(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from clients import services

    real = services.indication_create
    calls = {"n": 0}

    def failing(**kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise ValidationError({"start_date": "Kapot"})
        return real(**kwargs)

    rows = import_reading.raw_rows(name="x.csv", content=_csv(*GOOD_ROWS))
    monkeypatch.setattr(services, "indication_create", failing)
    preview, created = importing.import_confirm(organisation=world.org_a, rows=rows)
    assert created == [] and "Kapot" in preview.rows[2].errors
    assert not Client.objects.for_organisation(world.org_a).exists()
    assert not Indication.objects.for_organisation(world.org_a).exists()


def test_token_is_bound_to_user_and_organisation(world) -> None:  # type: ignore[no-untyped-def]
    response = _upload(world.client(Role.ORG_ADMIN), _csv(*GOOD_ROWS))
    token = response.context["token"]
    other_admin = world.client(Role.ORG_ADMIN, "b")
    response = other_admin.post(reverse("client_import_confirm"), {"token": token}, follow=True)
    assert "hoort niet bij u of deze organisatie" in response.content.decode()
    response = other_admin.post(reverse("client_import_confirm"), {"token": token + "x"}, follow=True)
    assert "ongeldig" in response.content.decode()
    assert not Client.objects.for_organisation(world.org_a).exists()
    assert not Client.objects.for_organisation(world.org_b).exists()
