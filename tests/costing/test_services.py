"""Writes of costing: bad input gets a clear Dutch message and saves nothing; published
models are immutable; versions; the tariff import."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from costing import cost_models, selectors, services, tariffs, xlsx
from costing.models import CostPriceModel, GroupCare, ModelLevel, Tariff, TariffImport
from tests import examples as ex
from tests import factories
from tests.costing import builders as b
from tests.factories import UserFactory

D = Decimal
pytestmark = pytest.mark.django_db
GOOD = dict(ex.MODEL_INPUTS)
LEVEL = {
    "salary": D("3130"),
    "holiday_pct": D("8"),
    "year_end_pct": D("8.33"),
    "irregular_pct": D("7"),
    "employer_charges_pct": D("27"),
}


def _create(world, **inputs):  # type: ignore[no-untyped-def]
    return cost_models.cost_model_create(
        organisation=world.org_a,
        user=world.user("financial"),
        year=2026,
        effective_from=datetime.date(2026, 1, 1),
        inputs={**GOOD, **inputs},
    )


@pytest.mark.parametrize(
    ("inputs", "field", "text"),
    [
        ({"leave_pct": D("101")}, "leave_pct", "tussen 0 en 100"),
        ({"sickness_pct": D("-1")}, "sickness_pct", "tussen 0 en 100"),
        ({"client_bound_pct": D("0")}, "client_bound_pct", "groter zijn dan 0"),
        ({"overhead_pct": D("-5")}, "overhead_pct", "niet negatief"),
        ({"paid_hours_per_fte": D("-1878")}, "paid_hours_per_fte", "niet negatief"),
        (
            {"leave_pct": D("50"), "sickness_pct": D("30"), "training_pct": D("20")},
            "leave_pct",
            "onder de 100 %",
        ),
        # Text is parsed by the form, serializer or import reader; the service refuses what no
        # parser should let through.
        ({"training_pct": D("NaN")}, "training_pct", "geen getal"),
    ],
)
def test_bad_model_inputs_are_refused(world, inputs, field, text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        _create(world, **inputs)
    assert text in " ".join(exc.value.message_dict[field])
    assert not CostPriceModel.objects.for_organisation(world.org_a).exists()


def test_database_refuses_absence_of_100_percent(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CostPriceModel.objects.create(
            organisation=world.org_a,
            year=2026,
            version=1,
            effective_from=datetime.date(2026, 1, 1),
            **{**ex.MODEL_INPUTS, "leave_pct": D("50"), "sickness_pct": D("40"), "training_pct": D("10")},
        )


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"salary": D("-1")}, "salary"),
        ({"holiday_pct": D("120")}, "holiday_pct"),
        ({"employer_charges_pct": D("-3")}, "employer_charges_pct"),
    ],
)
def test_bad_level_inputs_are_refused(world, inputs, field) -> None:  # type: ignore[no-untyped-def]
    model = _create(world)
    level = factories.staff_levels(world.org_a)["helpende"]
    with pytest.raises(ValidationError) as exc:
        cost_models.cost_model_level_set(
            model=model, user=None, staff_level=level, inputs={**LEVEL, **inputs}
        )
    assert field in exc.value.message_dict
    assert not ModelLevel.objects.for_organisation(world.org_a).exists()


def test_levels_replace_is_all_or_nothing(world) -> None:
    model = _create(world)
    lv = factories.staff_levels(world.org_a)
    with pytest.raises(ValidationError) as exc:
        cost_models.cost_model_levels_replace(
            model=model,
            user=None,
            rows=[(lv["helpende"], LEVEL), (lv["verzorgende-ig"], {**LEVEL, "salary": D("-5")})],
        )
    assert "Verzorgende IG" in exc.value.messages[0]
    assert not ModelLevel.objects.for_organisation(world.org_a).exists()


def test_publish_and_immutability(world) -> None:
    fin = world.user("financial")
    model = _create(world)
    with pytest.raises(ValidationError, match="zonder functieniveaus"):
        cost_models.cost_model_publish(model=model, user=fin)
    cost_models.cost_model_level_set(
        model=model, user=fin, staff_level=factories.staff_levels(world.org_a)["verzorgende-ig"], inputs=LEVEL
    )
    published = cost_models.cost_model_publish(model=model, user=fin)
    assert published.status == "published" and published.published_by == fin and published.published_at
    for call in (
        lambda: cost_models.cost_model_update(model=published, user=fin, inputs={"overhead_pct": D("30")}),
        lambda: cost_models.cost_model_level_set(
            model=published,
            user=fin,
            staff_level=factories.staff_levels(world.org_a)["helpende"],
            inputs=LEVEL,
        ),
        lambda: cost_models.cost_model_level_remove(
            model=published, user=fin, staff_level=factories.staff_levels(world.org_a)["verzorgende-ig"]
        ),
        lambda: cost_models.cost_model_publish(model=published, user=fin),
        lambda: cost_models.cost_model_delete_draft(model=published),
    ):
        with pytest.raises(ValidationError, match="nooit gewijzigd"):
            call()
    published.refresh_from_db()
    assert published.overhead_pct == D("22")
    assert published.levels.count() == 1


def test_new_version_copies_and_keeps_history(world) -> None:
    data = b.world_a(world)
    fin = world.user("financial")
    new = cost_models.cost_model_new_version(
        model=data["model"], user=fin, effective_from=datetime.date(2026, 7, 1), change_note="Nieuwe cao"
    )
    assert (new.version, new.status, new.based_on_id, new.created_by) == (2, "draft", data["model"].pk, fin)
    assert new.levels.count() == data["model"].levels.count()
    new = cost_models.cost_model_update(model=new, user=fin, inputs={"overhead_pct": D("25")})
    diff = selectors.model_diff(old=data["model"], new=new)
    changed = {c.label for c in diff["inputs"] if c.changed}
    assert changed == {"Ingangsdatum", "o opslag overhead %"}
    k_changes = [c for lv in diff["levels"] for c in lv["changes"] if c.label == "K"]
    assert all(c.changed and c.new > c.old for c in k_changes)
    data["model"].refresh_from_db()
    assert data["model"].overhead_pct == D("22") and data["model"].status == "published"


def test_effective_date_must_be_in_model_year(world) -> None:
    data = b.world_a(world)
    with pytest.raises(ValidationError, match="modeljaar"):
        cost_models.cost_model_new_version(
            model=data["model"], user=None, effective_from=datetime.date(2027, 1, 1), year=2026
        )


def test_second_published_model_on_same_date_is_refused(world) -> None:
    data = b.world_a(world)
    copy = cost_models.cost_model_new_version(
        model=data["model"], user=None, effective_from=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        cost_models.cost_model_publish(model=copy, user=None)
    assert "al een gepubliceerd model" in exc.value.message_dict["effective_from"][0]
    copy.refresh_from_db()
    assert copy.status == "draft"
    # The database enforces it too.
    copy.status, copy.published_at = "published", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_same_date_in_another_organisation_is_fine(world) -> None:
    b.world_a(world)
    other = factories.cost_model(world.org_b)
    assert other.effective_from == datetime.date(2026, 1, 1)


def test_group_care_save(world) -> None:
    lv = factories.staff_levels(world.org_a)
    services.group_care_save(
        department=world.dept_a, year=2026, hours={lv["helpende"]: D("63"), lv["verzorgende-ig"]: D("98")}
    )
    assert GroupCare.objects.for_organisation(world.org_a).count() == 2
    with pytest.raises(ValidationError, match="niet negatief"):
        services.group_care_save(
            department=world.dept_a, year=2026, hours={lv["helpende"]: D("-1"), lv["verzorgende-ig"]: D("0")}
        )
    assert GroupCare.objects.for_organisation(world.org_a).count() == 2
    services.group_care_save(department=world.dept_a, year=2026, hours={lv["helpende"]: D("0")})
    assert GroupCare.objects.for_organisation(world.org_a).count() == 1
    foreign = factories.staff_levels(world.org_b)["helpende"]
    with pytest.raises(ValidationError):
        services.group_care_save(department=world.dept_a, year=2026, hours={foreign: D("5")})


def test_year_settings_validation(world) -> None:
    lv = factories.staff_levels(world.org_a)
    values = {
        "contract_percentage": D("97"),
        "hotel_costs_per_day": D("32"),
        "reference_level": lv["helpende"],
    }
    services.year_settings_save(organisation=world.org_a, user=None, year=2026, values=values)
    with pytest.raises(ValidationError, match="al jaarinstellingen"):
        services.year_settings_save(organisation=world.org_a, user=None, year=2026, values=values)
    with pytest.raises(ValidationError):
        services.year_settings_save(
            organisation=world.org_a, user=None, year=2027, values={**values, "contract_percentage": D("101")}
        )
    with pytest.raises(ValidationError):
        services.year_settings_save(
            organisation=world.org_a,
            user=None,
            year=2027,
            values={**values, "reference_level": factories.staff_levels(world.org_b)["helpende"]},
        )
    assert selectors.year_settings(organisation=world.org_a, year=2027) is None


# Tariff import -----------------------------------------------------------------------------------

PROFILES = ["4VV", "5VV", "6VV", "7VV", "8VV", "9VV B", "10VV"]
HEADER = "jaar,zorgprofiel,behandeling,dagbesteding,zorgtarief_per_dag,nhc_per_dag,nic_per_dag\n"


def tariff_csv(year: int = 2026, profiles: list[str] = PROFILES, extra: str = "") -> bytes:
    rows = [f"{year},{p},nee,nee,238.50,24.95,6.40" for p in profiles]
    return (HEADER + "\n".join(rows) + "\n" + extra).encode()


def test_tariff_import_preview_then_apply() -> None:
    staff = UserFactory(is_staff=True)
    preview = tariffs.tariff_import_preview(content=tariff_csv(), file_name="tarieven-2026.csv")
    assert preview.is_valid and preview.year == 2026 and len(preview.rows) == 7
    assert not Tariff.objects.exists()  # preview saves nothing
    record = tariffs.tariff_import_apply(preview=preview, user=staff)
    assert record.row_count == 7 and Tariff.objects.filter(year=2026).count() == 7
    assert Tariff.objects.get(care_profile="9VVB").source_import == record
    # Re-import replaces the year, keeps ids of unchanged keys.
    first_id = Tariff.objects.get(care_profile="5VV").pk
    again = tariffs.tariff_import_preview(
        content=tariff_csv().replace(b"238.50", b"240.00"), file_name="t.csv"
    )
    assert again.replaced == 7
    tariffs.tariff_import_apply(preview=again, user=staff)
    assert Tariff.objects.get(care_profile="5VV").pk == first_id
    assert Tariff.objects.get(care_profile="5VV").care_per_day == D("240.00")


def test_tariff_import_xlsx() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for p in PROFILES:
        sheet.append([2025, p, "ja", "nee", 250.10, 24.95, 6.40])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = tariffs.tariff_import_preview(content=buffer.getvalue(), file_name="tarieven.xlsx")
    assert preview.is_valid, preview.errors
    assert preview.rows[0].with_treatment is True and preview.rows[0].care_per_day == D("250.10")


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (tariff_csv(extra="2026,5VV,nee,nee,1.00,1.00,1.00\n"), "dubbel met regel"),
        (tariff_csv(profiles=PROFILES[:-1]), "ontbreken in het bestand: 10VV"),
        (tariff_csv(extra="2026,11VV,nee,nee,1.00,1.00,1.00\n"), "onbekend zorgprofiel"),
        (tariff_csv(extra="2026,4VV,ja,nee,-1.00,1.00,1.00\n"), "niet negatief"),
        (tariff_csv(extra="2026,4VV,misschien,nee,1.00,1.00,1.00\n"), "'ja' of 'nee'"),
        (tariff_csv(extra="2025,4VV,ja,nee,1.00,1.00,1.00\n"), "meerdere jaren"),
        (b"zorgprofiel,tarief\n5VV,1\n", "kolommen ontbreken"),
        (b"", "leeg"),
    ],
)
def test_tariff_import_problems_save_nothing(content: bytes, text: str) -> None:
    staff = UserFactory(is_staff=True)
    preview = tariffs.tariff_import_preview(content=content, file_name="t.csv")
    assert not preview.is_valid
    assert text in " ".join(preview.errors)
    with pytest.raises(ValidationError):
        tariffs.tariff_import_apply(preview=preview, user=staff)
    assert not Tariff.objects.exists() and not TariffImport.objects.exists()


def test_tariff_import_only_by_staff() -> None:
    preview = tariffs.tariff_import_preview(content=tariff_csv(), file_name="t.csv")
    with pytest.raises(ValidationError, match="platformbeheerder"):
        tariffs.tariff_import_apply(preview=preview, user=UserFactory(is_staff=False))
    assert not Tariff.objects.exists()


def test_demo_tariff_files_are_valid_and_labelled_illustrative() -> None:
    from costing.demo import DATA, TARIFF_FILES

    for year, name in TARIFF_FILES.items():
        preview = tariffs.tariff_import_preview(content=(DATA / name).read_bytes(), file_name=name)
        assert preview.is_valid, preview.errors
        assert preview.year == year and preview.is_illustrative
        assert len(preview.rows) == 28


# XLSX export / import of levels ------------------------------------------------------------------


def test_model_export_and_level_import_round_trip(world) -> None:
    data = b.world_a(world)
    content = xlsx.model_workbook(model=data["model"])
    draft = cost_models.cost_model_new_version(
        model=data["model"], user=None, effective_from=datetime.date(2026, 8, 1)
    )
    ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).delete()
    rows = xlsx.level_import_rows(model=draft, content=content)
    cost_models.cost_model_levels_replace(model=draft, user=None, rows=rows)
    card = selectors.rate_card_for_model(model=draft)
    assert {lr.level.code: lr.rate for lr in card.levels.values()} == ex.EXPECTED_K


def test_level_import_problems(world) -> None:
    model = _create(world)
    factories.staff_levels(world.org_a)
    book = Workbook()
    sheet = book.active
    sheet.title = "Niveaus"
    sheet.append(["code", "salaris", "vakantietoeslag", "eindejaarsuitkering", "ort", "werkgeverslasten"])
    sheet.append(["onbekend", 3000, 8, 8.33, 7, 27])
    sheet.append(["helpende", "veel", 8, 8.33, 7, 27])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError) as exc:
        xlsx.level_import_rows(model=model, content=buffer.getvalue())
    text = " ".join(exc.value.messages)
    assert "onbekend functieniveau" in text and "geen getal" in text
    with pytest.raises(ValidationError, match="niet worden gelezen"):
        xlsx.level_import_rows(model=model, content=b"not a workbook")


def test_text_is_parsed_by_the_form_before_the_service(world) -> None:  # type: ignore[no-untyped-def]
    from costing.forms import CostModelForm

    data = {**GOOD, "training_pct": "abc", "year": 2026, "effective_from": "2026-01-01", "change_note": ""}
    form = CostModelForm(data, organisation=world.org_a)
    assert not form.is_valid() and "training_pct" in form.errors
    assert not CostPriceModel.objects.for_organisation(world.org_a).exists()
