"""A care professional holds an intake conversation with a client and a family member on a
tablet, composes the package while the meter updates without page reloads, agrees it and
downloads the PDF."""

import pytest
from playwright.sync_api import expect

from clients import services as client_services
from ipvb.roles import Role
from tests.conversations import builders

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_intake_compose_agree_and_download(tablet_page, world) -> None:  # type: ignore[no-untyped-def]
    page = tablet_page
    data = builders.setup_a(world)
    client = data["client"]
    client_services.contact_person_create(
        client=client,
        name="Els Jansen",
        relation="dochter",
        role="first_contact",
        takes_part_in_conversations=True,
    )
    care = world.user(Role.CARE_PROFESSIONAL)
    login(page, care.email)

    page.goto(f"/clienten/{client.pk}/")
    page.get_by_role("link", name="Nieuw gesprek").first.click()
    page.get_by_label("Els Jansen").check()
    page.get_by_label("Wensen van de cliënt (in eigen woorden)").fill("Graag 's ochtends uitslapen.")
    page.get_by_label("Uitkomst", exact=True).select_option("agreed")
    page.get_by_role("button", name="Gesprek opslaan").click()
    page.wait_for_url("**/gesprekken/*/")
    assert "Els Jansen" in page.locator("main").inner_text()

    page.get_by_role("button", name="Pakket samenstellen").click()
    page.wait_for_url("**/samenstellen/")
    meter_total = page.get_by_test_id("meter-total")
    assert page.get_by_test_id("meter-budget").inner_text() == "€ 819,73"
    assert meter_total.inner_text() == "€ 0,00"
    page.evaluate("window.__noReload = true")

    add = page.locator("form.add-line").first
    add.get_by_label("Activiteit").select_option(
        label="Persoonlijke verzorging: Ochtendzorg: wassen en aankleden"
    )
    add.get_by_label("Keer per week").fill("7")
    add.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_test_id("meter-total")).to_have_text("€ 172,03")

    add = page.locator("form.add-line").first
    add.get_by_label("Activiteit").select_option(label="Persoonlijke verzorging: Avondzorg")
    add.get_by_label("Keer per week").fill("7")
    add.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_test_id("meter-total")).to_have_text("€ 309,65")
    assert page.get_by_test_id("meter-utilisation").inner_text() == "37,77 %"  # 309.65 / 819.73

    # Changing a line's frequency updates the meter too.
    page.locator("#composer tr[data-testid=line]").nth(1).get_by_label("Keer per week").fill("6")
    page.locator("#composer tr[data-testid=line]").nth(1).get_by_label("Keer per week").dispatch_event(
        "change"
    )
    expect(page.get_by_test_id("meter-total")).to_have_text("€ 289,99")
    assert page.evaluate("window.__noReload") is True  # no page reload happened
    # That answer re-rendered only the row and the meter; the add forms (not re-rendered) got
    # the new version out of band, so adding a line right after it is not a stale edit.
    add = page.locator("form.add-line").first
    add.get_by_label("Activiteit").select_option(label="Persoonlijke verzorging: Avondzorg")
    add.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#composer tr[data-testid=line]")).to_have_count(3)
    assert not page.locator("#composer .errorbox").count()
    assert page.locator("form.add-line").first.get_by_label("Keer per week").input_value() == "1"
    page.locator("#composer tr[data-testid=line]").nth(2).get_by_role("button", name="Verwijderen").click()
    expect(page.locator("#composer tr[data-testid=line]")).to_have_count(2)
    expect(page.get_by_test_id("meter-total")).to_have_text("€ 289,99")
    assert page.evaluate("window.__noReload") is True

    page.get_by_role("link", name="Naar afspreken").click()
    page.wait_for_url("**/afspreken/")
    page.get_by_role("button", name="Pakket afspreken").click()
    page.wait_for_url("**/pakketten/*/")
    assert page.get_by_test_id("package-status").inner_text() == "Afgesproken"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF downloaden").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_team_leader_changes_a_lines_level_in_the_composer(page, world) -> None:  # type: ignore[no-untyped-def]
    from conversations.models import PackageLine

    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    nurse = data["levels"]["verpleegkundige-4"]
    login(page, world.user(Role.TEAM_LEADER).email)
    page.goto(f"/pakketten/{package.pk}/samenstellen/")
    assert page.get_by_test_id("meter-total").inner_text() == "€ 529,08"
    page.evaluate("window.__noReload = true")
    row = page.locator(f"#composer tr#line-{line.pk}")
    row.get_by_label("Niveau").select_option(str(nurse.pk))
    expect(page.get_by_test_id("meter-total")).not_to_have_text("€ 529,08")
    assert page.evaluate("window.__noReload") is True
    assert not page.locator("#composer .errorbox").count()
    assert PackageLine.objects.for_organisation(world.org_a).get(pk=line.pk).staff_level_id == nurse.pk
    # the level select of the re-rendered row shows the new level
    assert page.locator(f"#composer tr#line-{line.pk}").get_by_label("Niveau").input_value() == str(nurse.pk)
    # a stale edit (a colleague changed the package meanwhile) shows the message and the unsaved
    # change; saving it again goes through and the message goes away
    other = package.lines.exclude(pk=line.pk).order_by("position").first()
    from conversations.packages import package_line_update

    package_line_update(
        line=other,
        membership=world.membership(Role.TEAM_LEADER),
        expected_version=PackageLine.objects.for_organisation(world.org_a)
        .get(pk=line.pk)
        .package.lock_version,
        occurrences_per_week=other.occurrences_per_week + 1,
    )
    row.get_by_label("Keer per week").fill("3")
    row.get_by_label("Keer per week").dispatch_event("change")
    expect(page.get_by_test_id("stale")).to_be_visible()
    page.get_by_role("button", name="Mijn wijziging alsnog opslaan").click()
    expect(page.get_by_test_id("stale")).to_have_count(0)
    assert PackageLine.objects.for_organisation(world.org_a).get(pk=line.pk).occurrences_per_week == 3
    assert page.evaluate("window.__noReload") is True
