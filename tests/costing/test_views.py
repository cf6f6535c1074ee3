"""The costing pages: role rules, the transparent build-up, drafting and publishing through
the UI, tariff import with preview, group-bound care and the client waterfall."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from costing import selectors
from costing.models import CostPriceModel, GroupCare, ModelLevel, Tariff
from ipvb.roles import Role
from tests import examples as ex
from tests import factories
from tests.costing import builders as b
from tests.costing.test_services import tariff_csv
from tests.factories import UserFactory

D = Decimal
pytestmark = pytest.mark.django_db


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def test_model_detail_shows_every_step(world) -> None:
    data = b.world_a(world)
    page = text(world.client(Role.MANAGER).get(reverse("costmodel_detail", args=[data["model"].pk])))
    assert "1521,18" in page and "1216,944" in page  # A and C
    for e, d, k in (
        ("54.318,97", "44,64", "54,46"),
        ("58.829,89", "48,34", "58,98"),
        ("67.851,73", "55,76", "68,02"),
        ("53.920,14", "44,31", "54,06"),
    ):
        assert e in page and d in page and f"€ {k}" in page
    # A manager reads but cannot edit or publish.
    assert "Publiceren" not in page and "Nieuwe versie maken" not in page


def test_financial_drafts_levels_and_publishes_through_the_ui(world) -> None:
    lv = factories.staff_levels(world.org_a)
    client = world.client(Role.FINANCIAL)
    response = client.post(
        reverse("costmodel_create"),
        {
            "year": 2026,
            "effective_from": "2026-01-01",
            "change_note": "",
            **{k: str(v) for k, v in ex.MODEL_INPUTS.items()},
        },
    )
    model = CostPriceModel.objects.for_organisation(world.org_a).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "costmodel_levels", args=[model.pk]
    )
    data = {}
    for code, (_n, _o, salary, irregular) in ex.LEVELS.items():
        pk = lv[code].pk
        data.update(
            {
                f"level_{pk}_salary": salary,
                f"level_{pk}_holiday_pct": "8",
                f"level_{pk}_year_end_pct": "8.33",
                f"level_{pk}_irregular_pct": irregular,
                f"level_{pk}_employer_charges_pct": "27",
            }
        )
    assert client.post(reverse("costmodel_levels", args=[model.pk]), data).status_code == 302
    assert client.post(reverse("costmodel_publish", args=[model.pk])).status_code == 302
    model.refresh_from_db()
    assert model.status == "published" and model.published_by == world.user(Role.FINANCIAL)
    card = selectors.rate_card(organisation=world.org_a, on_date=datetime.date(2026, 5, 1))
    assert {lv.level.code: lv.rate for lv in card.levels.values()} == ex.EXPECTED_K
    # Editing the published model is refused with a message and changes nothing.
    response = client.post(
        reverse("costmodel_update", args=[model.pk]),
        {"year": 2026, "effective_from": "2026-01-01", **dict.fromkeys(ex.MODEL_INPUTS, "1")},
        follow=True,
    )
    assert "nooit gewijzigd" in text(response)
    response = client.post(reverse("costmodel_levels", args=[model.pk]), data, follow=True)
    assert "nooit gewijzigd" in text(response)
    model.refresh_from_db()
    assert model.paid_hours_per_fte == D("1878")


def test_levels_form_errors_save_nothing(world) -> None:
    draft = b.draft_a(world)
    ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).delete()
    pk = factories.staff_levels(world.org_a)["helpende"].pk
    response = world.client(Role.FINANCIAL).post(
        reverse("costmodel_levels", args=[draft.pk]),
        {
            f"level_{pk}_salary": "-2890",
            f"level_{pk}_holiday_pct": "8",
            f"level_{pk}_year_end_pct": "8.33",
            f"level_{pk}_irregular_pct": "107",
            f"level_{pk}_employer_charges_pct": "27",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "niet negatief" in page and "tussen 0 en 100" in page
    assert not ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).exists()


def test_create_form_refuses_absence_of_100_percent(world) -> None:
    response = world.client(Role.FINANCIAL).post(
        reverse("costmodel_create"),
        {
            "year": 2026,
            "effective_from": "2026-01-01",
            "paid_hours_per_fte": "1878",
            "leave_pct": "60",
            "sickness_pct": "30",
            "training_pct": "10",
            "client_bound_pct": "80",
            "overhead_pct": "22",
        },
    )
    assert response.status_code == 200
    assert "onder de 100 % blijven" in text(response)
    assert not CostPriceModel.objects.for_organisation(world.org_a).exists()


def test_new_version_compare_and_publish_same_date_refused(world) -> None:
    data = b.world_a(world)
    client = world.client(Role.FINANCIAL)
    response = client.post(
        reverse("costmodel_new_version", args=[data["model"].pk]),
        {"effective_from": "2026-01-01", "change_note": "x"},
    )
    new = CostPriceModel.objects.for_organisation(world.org_a).get(version=2)
    assert response.status_code == 302
    response = client.post(reverse("costmodel_publish", args=[new.pk]), follow=True)
    assert "al een gepubliceerd model" in text(response)
    new.refresh_from_db()
    assert new.status == "draft"
    page = text(client.get(reverse("costmodel_compare", args=[new.pk])))
    assert "Ingangsdatum" in page and "gewijzigd" not in page.split("Modelbrede invoer")[1][:50]


def test_export_is_xlsx(world) -> None:
    data = b.world_a(world)
    response = world.client(Role.MANAGER).get(reverse("costmodel_export", args=[data["model"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_import_levels_page(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from costing import xlsx

    data = b.world_a(world)
    draft = b.draft_a(world)
    ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).delete()
    upload = SimpleUploadedFile("hr.xlsx", xlsx.model_workbook(model=data["model"]))
    response = world.client(Role.FINANCIAL).post(
        reverse("costmodel_import", args=[draft.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert ModelLevel.objects.for_organisation(world.org_a).filter(model=draft).count() == 4
    bad = SimpleUploadedFile("hr.csv", b"code,salaris")
    response = world.client(Role.FINANCIAL).post(reverse("costmodel_import", args=[draft.pk]), {"file": bad})
    assert response.status_code == 400 and "XLSX" in text(response)


def test_tariff_pages(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = text(world.client(Role.CARE_PROFESSIONAL).get(reverse("tariff_list")))
    assert "Alleen een platformbeheerder" in page and "Tarieven importeren" not in page
    staff = UserFactory(is_staff=True, email="staf@example.org")
    client = world.client(None)
    client.force_login(staff)
    assert client.get(reverse("tariff_import")).status_code == 200
    # Problems: listed, nothing saved.
    bad = SimpleUploadedFile("t.csv", tariff_csv(profiles=["4VV", "5VV"]))
    page = text(client.post(reverse("tariff_import"), {"file": bad}))
    assert "ontbreken in het bestand" in page and "niets opgeslagen" in page
    assert not Tariff.objects.exists()
    assert client.post(reverse("tariff_import"), {"confirm": "1"}).status_code == 302
    assert not Tariff.objects.exists()
    # Good file: preview first, then confirm.
    good = SimpleUploadedFile("tarieven_2026_illustratief.csv", tariff_csv())
    page = text(client.post(reverse("tariff_import"), {"file": good}))
    assert "Voorbeeld: 7 tarieven voor 2026" in page and "Illustratief" in page
    assert not Tariff.objects.exists()
    response = client.post(reverse("tariff_import"), {"confirm": "1"})
    assert response.status_code == 302 and Tariff.objects.filter(year=2026).count() == 7
    page = text(client.get(reverse("tariff_list") + "?jaar=2026"))
    assert "€ 238,50" in page and "geen officiële NZa-tarieven" in page


def test_group_care_pages_and_team_leader_scope(world) -> None:
    b.world_a(world)
    page = text(world.client(Role.TEAM_LEADER).get(reverse("groupcare_list") + "?jaar=2026"))
    assert "€ 575,69" in page and "A-zonder" not in page  # own department only
    lv = factories.staff_levels(world.org_a)
    response = world.client(Role.TEAM_LEADER).post(
        reverse("groupcare_edit", args=[world.dept_a.pk, 2026]), {f"hours_{lv['helpende'].pk}": "-3"}
    )
    assert response.status_code == 400 and "niet negatief" in text(response)
    # Another department of the same organisation is not the team leader's.
    assert (
        world.client(Role.TEAM_LEADER)
        .get(reverse("groupcare_edit", args=[world.dept_a2.pk, 2026]))
        .status_code
        == 404
    )
    response = world.client(Role.FINANCIAL).post(
        reverse("groupcare_edit", args=[world.dept_a2.pk, 2026]), {f"hours_{lv['verzorgende-ig'].pk}": "56"}
    )
    assert response.status_code == 302
    assert GroupCare.objects.for_organisation(world.org_a).filter(department=world.dept_a2).count() == 1


def test_client_budget_page_waterfall_and_sources(world) -> None:
    data = b.world_a(world)
    url = reverse("client_budget", args=[data["client"].pk])
    page = text(world.client(Role.CARE_PROFESSIONAL).get(url + "?budgetdatum=2026-03-02"))
    for figure in ("€ 1.619,42", "− € 224,00", "− € 575,69", "€ 819,73", "13,9 uur"):
        assert figure in page
    assert "Tarief 5VV (zonder behandeling, zonder dagbesteding) 2026: € 238,50 per dag" in page
    assert "illustratief" in page and "A-groep, 16 plaatsen" in page
    # Care professionals do not get links to the models; managers do.
    assert reverse("costmodel_detail", args=[data["model"].pk]) not in page
    manager_page = text(world.client(Role.MANAGER).get(url + "?budgetdatum=2026-03-02"))
    assert reverse("costmodel_detail", args=[data["model"].pk]) in manager_page


def test_client_budget_page_names_what_is_missing(world) -> None:
    client_obj = b.client(world.dept_a)
    page = text(world.client(Role.CARE_PROFESSIONAL).get(reverse("client_budget", args=[client_obj.pk])))
    assert "Wat ontbreekt" in page
    assert "Een platformbeheerder (staf) kan de tarieventabel" in page
    assert "Een financieel medewerker kan een model publiceren" in page


def test_client_budget_not_visible_outside_own_departments(world) -> None:
    b.world_a(world)
    other = b.client(world.dept_a2)
    response = world.client(Role.CARE_PROFESSIONAL).get(reverse("client_budget", args=[other.pk]))
    assert response.status_code == 404
    assert world.client(Role.MANAGER).get(reverse("client_budget", args=[other.pk])).status_code == 200


def test_staff_levels_and_year_settings_forms(world) -> None:
    client = world.client(Role.FINANCIAL)
    assert (
        client.post(
            reverse("stafflevel_create"), {"code": "helpende", "name": "Helpende", "order": 1}
        ).status_code
        == 302
    )
    response = client.post(reverse("stafflevel_create"), {"code": "helpende", "name": "Dubbel", "order": 2})
    assert response.status_code == 200 and "al een functieniveau met deze code" in text(response)
    level = selectors.staff_levels(organisation=world.org_a).get()
    base = {
        "year": 2026,
        "contract_percentage": "97",
        "hotel_costs_per_day": "32",
        "overrun_tolerance_pct": "5",
        "reindication_threshold_pct": "10",
        "reindication_weeks": "4",
        "review_interval_months": "6",
        "reference_level": level.pk,
    }
    assert client.post(reverse("yearsettings_create"), base).status_code == 302
    response = client.post(reverse("yearsettings_create"), base)
    assert "al jaarinstellingen voor 2026" in text(response)
    response = client.post(
        reverse("yearsettings_create"), {**base, "year": 2027, "contract_percentage": "120"}
    )
    assert "tussen 0 en 100" in text(response)
    assert selectors.year_settings(organisation=world.org_a, year=2027) is None
    # A foreign reference level is not a choice.
    foreign = factories.staff_levels(world.org_b)["helpende"]
    response = client.post(
        reverse("yearsettings_create"), {**base, "year": 2028, "reference_level": foreign.pk}
    )
    assert (
        response.status_code == 200 and selectors.year_settings(organisation=world.org_a, year=2028) is None
    )


def test_client_page_includes_the_waterfall(world) -> None:
    data = b.world_a(world)
    page = text(world.client(Role.CARE_PROFESSIONAL).get(reverse("client_detail", args=[data["client"].pk])))
    assert 'data-testid="budget-waterfall"' in page
    # Today (2026 demo year) the worked example applies; the figures are on the client page.
    assert "€ 819,73" in page and "13,9 uur" in page and "Wat ontbreekt" not in page
    assert reverse("client_budget", args=[data["client"].pk]) in page
