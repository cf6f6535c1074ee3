import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations.models import Package, PackageLine
from ipvb.models_accesslog import AccessLogEntry
from ipvb.roles import Role
from tests.conversations import builders

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def test_composer_add_line_returns_updated_meter(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    client = world.client(Role.CARE_PROFESSIONAL)
    html = client.get(f"/pakketten/{package.pk}/samenstellen/").content.decode()
    assert "€ 529,08" in html and "€ 819,73" in html and "64,54 %" in html
    response = client.post(
        f"/pakketten/{package.pk}/regels/",
        {
            "activity": data["activities"]["WAN"].pk,
            "minutes": "45",
            "occurrences_per_week": "3",
            "funding": "budget",
            "version": package.lock_version,
        },
        **HX,
    )
    assert response.status_code == 200
    partial = response.content.decode()
    assert partial.lstrip().startswith('<div id="composer"')
    # 529.08 + 45 min × 3 at 54.06 (121.64) = 650.72
    assert "€ 650,72" in partial
    assert "Binnen het budget" in partial


def _line_form(line, version, **changes):  # type: ignore[no-untyped-def]
    form = {
        "minutes": str(line.minutes),
        "occurrences_per_week": str(line.occurrences_per_week),
        "funding": line.funding,
        "wanted": "on",
        "necessary": "on",
        "wlz_eligible": "on",
        "version": version,
    }
    form.update(changes)
    return form


def _version(package) -> int:  # type: ignore[no-untyped-def]
    return Package.objects.for_organisation(package.organisation_id).get(pk=package.pk).lock_version


def test_line_change_answers_with_its_row_the_meter_and_the_new_version(world) -> None:  # type: ignore[no-untyped-def]
    """htmx: a line change re-renders only what changed (issue 16): the row (retargeted), the
    meter and the new version in every other form, out of band; not the add forms."""
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    others = list(package.lines.exclude(pk=line.pk).values_list("pk", flat=True))
    assert others
    client = world.client(Role.TEAM_LEADER)
    old = _version(package)
    response = client.post(
        f"/pakketregels/{line.pk}/",
        _line_form(line, old, occurrences_per_week=str(line.occurrences_per_week + 1)),
        **HX,
    )
    assert response.status_code == 200
    new = _version(package)
    assert new == old + 1
    assert response["HX-Retarget"] == f"#line-{line.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.split("<tr", 1)[0].strip() == ""  # the row first: it is what the swap puts in
    assert html.count('data-testid="line"') == 1
    assert f'id="line-{line.pk}"' in html
    assert f'value="{line.occurrences_per_week + 1}"' in html
    assert '<section class="meter' in html and 'id="meter" hx-swap-oob="true"' in html
    assert '<div id="composer-messages" hx-swap-oob="true"></div>' in html
    for pk in others:
        for kind in ("line", "remove"):
            assert (
                f'<input type="hidden" name="version" value="{new}" id="version-{kind}-{pk}" hx-swap-oob="true">'
                in html
            )
    for form in ("add-line-version", "add-addon-version"):
        assert f'value="{new}" id="{form}" hx-swap-oob="true"' in html
    assert 'name="activity"' not in html and 'name="addon_item"' not in html  # add forms untouched
    assert f'name="version" value="{old}"' not in html
    # the team leader's level select is in the re-rendered row, with the line's level selected
    assert f'id="level-{line.pk}"' in html


def test_line_change_meter_matches_a_full_render(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    client = world.client(Role.CARE_PROFESSIONAL)
    response = client.post(
        f"/pakketregels/{line.pk}/", _line_form(line, _version(package), occurrences_per_week="1"), **HX
    )
    partial = response.content.decode()
    page = client.get(f"/pakketten/{package.pk}/samenstellen/").content.decode()

    def meter(html: str) -> str:
        start = html.index('<section class="meter')
        return html[start : html.index("</section>", start)].replace(' hx-swap-oob="true"', "")

    assert meter(partial) == meter(page)
    # a care professional sees the level, cannot choose it
    assert f'id="level-{line.pk}"' not in partial and 'class="level"' in partial


def test_failed_line_change_re_renders_the_whole_composer(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    client = world.client(Role.CARE_PROFESSIONAL)
    version = _version(package)
    response = client.post(f"/pakketregels/{line.pk}/", _line_form(line, version, minutes="0"), **HX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="composer">')
    assert 'class="errorbox" role="alert"' in html
    assert html.count('data-testid="line"') == package.lines.count()
    assert f'value="{line.minutes}"' in html  # the saved value back in the row
    assert _version(package) == version
    # the add forms keep what the user typed; only their version inputs are refreshed
    assert f'value="{version}" id="add-line-version" hx-swap-oob="true"' in html
    assert 'name="activity"' not in html


def test_adding_a_line_re_renders_the_add_forms_and_removing_one_does_not(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    client = world.client(Role.TEAM_LEADER)
    response = client.post(
        f"/pakketten/{package.pk}/regels/",
        {"addon_item": data["addon"].pk, "quantity_per_month": "2", "version": _version(package)},
        **HX,
    )
    html = response.content.decode()
    version = _version(package)
    assert '<div id="composer-add" class="add-forms" hx-swap-oob="true">' in html
    assert html.count(f'name="version" value="{version}"') == 2 * package.lines.count() + 2
    assert '<option value="" selected>Kies een activiteit</option>' in html
    assert 'id="id_staff_level"' in html  # a team leader may choose the level
    added = package.lines.get(addon_item=data["addon"])
    response = client.post(f"/pakketregels/{added.pk}/verwijderen/", {"version": version}, **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="composer">')
    assert f'id="line-{added.pk}"' not in html
    assert 'name="activity"' not in html
    assert f'value="{version + 1}" id="add-addon-version" hx-swap-oob="true"' in html


def test_composer_add_forms_are_rendered_like_the_form_classes(world) -> None:  # type: ignore[no-untyped-def]
    """The selects are plain loops over precomputed options: the same labels, values, order,
    ids and initial state as the Django forms they replace, and only for roles that may use them."""
    from conversations.forms import AddonAddForm, LineAddForm

    data = builders.scenario(world)
    package = data["package"]
    leader = world.membership(Role.TEAM_LEADER)
    html = world.client(Role.TEAM_LEADER).get(f"/pakketten/{package.pk}/samenstellen/").content.decode()
    add = html[html.index('<div id="composer-add"') :]
    form = LineAddForm(organisation=world.org_a, package=package, can_change_level=True)
    addon_form = AddonAddForm(organisation=world.org_a, package=package)
    for field, bound in (("activity", form["activity"]), ("staff_level", form["staff_level"])):
        for value, label in bound.field.choices:
            selected = " selected" if value == "" else ""
            assert f'<option value="{value}"{selected}>{label}</option>' in add, (field, label)
    for value, label in addon_form["addon_item"].field.choices:
        assert f'<option value="{value}"{" selected" if value == "" else ""}>{label}</option>' in add
    labels = [f'<label for="{f.id_for_label}">{f.label}</label>' for f in form.visible_fields()]
    labels += [f'<label for="{f.id_for_label}">{f.label}</label>' for f in addon_form.visible_fields()]
    for label in labels:
        assert label in add, label
    assert '<option value="budget" selected>' in add
    assert 'name="occurrences_per_week" value="1" required id="id_occurrences_per_week"' in add
    assert 'aria-describedby="id_minutes_helptext"' in add and 'id="id_minutes_helptext"' in add
    assert leader.has_role(Role.TEAM_LEADER)
    care = world.client(Role.CARE_PROFESSIONAL).get(f"/pakketten/{package.pk}/samenstellen/").content.decode()
    assert 'id="id_activity"' in care and 'id="id_staff_level"' not in care
    assert 'name="staff_level"' not in care  # neither in the add form nor in the rows


def test_without_javascript_a_line_change_redirects_and_the_detail_page_keeps_the_add_forms(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    client = world.client(Role.CARE_PROFESSIONAL)
    response = client.post(
        f"/pakketregels/{line.pk}/", _line_form(line, _version(package), occurrences_per_week="2")
    )
    assert response.status_code == 302 and response["Location"] == f"/pakketten/{package.pk}/samenstellen/"
    line.refresh_from_db()
    assert line.occurrences_per_week == 2
    response = client.post(f"/pakketregels/{line.pk}/", _line_form(line, _version(package), minutes="0"))
    assert response.status_code == 302  # the error is a message on the composer page
    page = client.get(response["Location"]).content.decode()
    assert '<p class="message error">Het aantal minuten moet groter dan 0 zijn.</p>' in page
    detail = client.get(f"/pakketten/{package.pk}/").content.decode()
    assert '<div id="composer-add" class="add-forms">' in detail and 'id="id_activity"' in detail
    manager = world.client(Role.MANAGER).get(f"/pakketten/{package.pk}/").content.decode()
    assert '<div id="composer-add">' in manager and 'name="activity"' not in manager


def test_composer_stale_edit_keeps_the_users_change(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    stale_version = package.lock_version
    first = world.client(Role.CARE_PROFESSIONAL)
    second = world.client(Role.TEAM_LEADER)
    form = {
        "minutes": "25",
        "occurrences_per_week": "6",
        "funding": "budget",
        "wanted": "on",
        "necessary": "on",
        "wlz_eligible": "on",
    }
    assert (
        first.post(f"/pakketregels/{line.pk}/", {**form, "version": stale_version}, **HX).status_code == 200
    )
    response = second.post(
        f"/pakketregels/{line.pk}/", {**form, "occurrences_per_week": "5", "version": stale_version}, **HX
    )
    html = response.content.decode()
    assert "Een collega heeft dit pakket intussen gewijzigd" in html
    assert "occurrences_per_week=5" in html  # the unsaved change is still on screen
    line.refresh_from_db()
    assert line.occurrences_per_week == 6


def test_bad_line_input_shows_message_and_saves_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    before = PackageLine.objects.for_organisation(world.org_a).count()
    response = world.client(Role.CARE_PROFESSIONAL).post(
        f"/pakketten/{package.pk}/regels/",
        {
            "activity": data["activities"]["WAN"].pk,
            "minutes": "0",
            "occurrences_per_week": "3",
            "funding": "budget",
            "version": package.lock_version,
        },
        **HX,
    )
    assert "groter dan 0" in response.content.decode()
    assert PackageLine.objects.for_organisation(world.org_a).count() == before


def test_foreign_activity_id_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    other = builders.scenario(world, "b")
    package = data["package"]
    response = world.client(Role.CARE_PROFESSIONAL).post(
        f"/pakketten/{package.pk}/regels/",
        {
            "activity": other["activities"]["WAN"].pk,
            "occurrences_per_week": "3",
            "funding": "budget",
            "version": package.lock_version,
        },
        **HX,
    )
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert package.lines.count() == 5


def test_agree_via_web_and_download_pdf(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    client = world.client(Role.CARE_PROFESSIONAL)
    response = client.post(
        f"/pakketten/{package.pk}/afspreken/",
        {
            "conversation": data["conversation"].pk,
            "start_date": "2026-02-02",
            "version": package.lock_version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    package.refresh_from_db()
    assert package.status == Package.Status.AGREED
    pdf = client.get(f"/pakketten/{package.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    entry = (
        AccessLogEntry.objects.for_organisation(world.org_a).filter(action=AccessLogEntry.Action.EXPORT).get()
    )
    assert entry.client_id == data["client"].pk


def test_pdf_content_and_no_resource_errors(world) -> None:  # type: ignore[no-untyped-def]
    from conversations.pricing import price_package
    from ipvb.pdf import render_pdf

    data = builders.scenario(world)
    package = data["package"]
    rendered = render_pdf(
        "conversations/package_document.html",
        {
            "package": package,
            "client": package.client,
            "pricing": price_package(package=package),
            "organisation": world.org_a,
            "printed_at": datetime.datetime(2026, 2, 2, 12, 0),
        },
    )
    assert rendered.pdf.startswith(b"%PDF") and len(rendered.pdf) > 5000
    assert rendered.problems == []
    for text in [
        "Persoonlijk budget per week",
        "€ 819,73",
        "€ 529,08",
        "Ochtendzorg: wassen en aankleden",
        "Wat u zelf betaalt",
        "Handtekeningen",
        "Gewenst",
    ]:
        assert text in rendered.html, text


def test_print_page_is_logged_as_print(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    html = world.client(Role.MANAGER).get(f"/pakketten/{data['package'].pk}/afdrukken/").content.decode()
    assert "Handtekeningen" in html
    assert (
        AccessLogEntry.objects.for_organisation(world.org_a)
        .filter(action=AccessLogEntry.Action.PRINT, client_id=data["client"].pk)
        .exists()
    )


def test_composer_query_count_is_bounded(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package = data["package"]
    client = world.client(Role.CARE_PROFESSIONAL)
    url = f"/pakketten/{package.pk}/samenstellen/"
    client.get(url)
    with CaptureQueriesContext(connection) as five_lines:
        client.get(url)
    for code in ("WAN", "DOU", "AVO", "OCH", "MED"):
        client.post(
            f"/pakketten/{package.pk}/regels/",
            {
                "activity": data["activities"][code].pk,
                "occurrences_per_week": "1",
                "funding": "private",
                "version": Package.objects.for_organisation(world.org_a).get(pk=package.pk).lock_version,
            },
        )
    assert package.lines.count() == 10
    with CaptureQueriesContext(connection) as ten_lines:
        client.get(url)
    assert len(ten_lines) == len(five_lines), "composer queries grow with the number of lines"
    assert len(ten_lines) <= 40


def test_department_overview_query_count_is_bounded(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    client = world.client(Role.MANAGER)
    url = f"/afdelingen/{world.dept_a.pk}/overzicht/"
    client.get(url)
    with CaptureQueriesContext(connection) as one_client:
        html = client.get(url).content.decode()
    assert data["client"].full_name in html
    for _ in range(4):
        builders.client(world.org_a, world.dept_a)
    with CaptureQueriesContext(connection) as five_clients:
        html = client.get(url).content.decode()
    assert html.count('data-testid="overview-row"') == 5
    assert len(five_clients) == len(one_client), "department overview queries grow per client"


def test_overview_shows_budget_total_and_utilisation(world) -> None:  # type: ignore[no-untyped-def]
    from conversations.approvals import package_agree

    data = builders.scenario(world)
    leader = world.membership(Role.TEAM_LEADER)
    package_agree(
        package=data["package"],
        membership=leader,
        conversation=data["conversation"],
        expected_version=data["package"].lock_version,
    )
    html = world.client(Role.TEAM_LEADER).get(f"/afdelingen/{world.dept_a.pk}/overzicht/").content.decode()
    assert "€ 819,73" in html and "€ 529,08" in html and "64,54 %" in html
    assert Decimal("529.08") == Package.objects.for_organisation(world.org_a).get(pk=data["package"].pk).total


def test_overview_pages_show_every_client_once_and_log_only_the_page(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: a page of rows at a time (50; 2 here), in name order with namesakes by key,
    each page logging only the clients it showed, the figures formatted for the language."""
    import re

    from conversations.views import overview

    monkeypatch.setattr(overview, "OVERVIEW_PAGE", 2)
    data = builders.scenario(world)
    namesakes = [builders.client(world.org_a, world.dept_a, family_name="Aalders") for _ in range(2)]
    last = builders.client(world.org_a, world.dept_a, family_name="Zwart")
    client = world.client(Role.MANAGER)
    url = f"/afdelingen/{world.dept_a.pk}/overzicht/"
    shown: list[int] = []
    for page in (1, 2):
        log = AccessLogEntry.objects.for_organisation(world.org_a)
        before = log.count()
        html = client.get(f"{url}?page={page}").content.decode()
        ids = [
            int(pk) for pk in re.findall(r'data-testid="overview-row"><td><a href="/clienten/(\d+)/">', html)
        ]
        assert len(ids) == 2 and f"Pagina {page} van 2" in html
        assert log.count() == before + 2
        assert sorted(entry.client_id for entry in log.order_by("-pk")[:2]) == sorted(ids)
        shown += ids
    assert shown == [namesakes[0].pk, namesakes[1].pk, data["client"].pk, last.pk]
    dutch = client.get(f"{url}?page=2").content.decode()
    english = client.get(f"{url}?page=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€ 819,73" in dutch and "onbekend" not in dutch
    assert "€819.73" in english and "€ 819,73" not in english


def test_present_professionals_are_care_staff_with_the_current_user_ticked(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 13.9: not everyone in the organisation, and the person recording is pre-ticked."""
    import re

    from tests.conversations.builders import scenario

    data = scenario(world)
    for role in (Role.FINANCIAL, Role.ORG_ADMIN, Role.MANAGER, Role.TEAM_LEADER):
        world.membership(role)
    me = world.user(Role.CARE_PROFESSIONAL)
    page = (
        world.client(Role.CARE_PROFESSIONAL)
        .get(f"/clienten/{data['client'].pk}/gesprekken/nieuw/")
        .content.decode()
    )
    options = dict(re.findall(r'name="professionals" value="(\d+)"([^>]*)>', page))
    leader = world.user(Role.TEAM_LEADER)
    assert set(options) == {str(me.pk), str(leader.pk)}
    assert "checked" in options[str(me.pk)] and "checked" not in options[str(leader.pk)]


def test_agree_page_offers_to_complete_the_prepared_conversation(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 13.9: with only a prepared conversation, link to completing it, not to a new one."""
    import datetime

    from django.utils import timezone

    from conversations.packages import package_start_draft
    from conversations.services import conversation_save
    from tests.conversations.builders import setup_a

    data = setup_a(world)
    user = world.user(Role.TEAM_LEADER)
    prepared = conversation_save(
        client=data["client"],
        by=user,
        data={"held_at": timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0)), "kind": "intake"},
    )
    assert prepared.status == "prepared"
    draft = package_start_draft(client=data["client"], by=user, start_date=datetime.date(2026, 3, 2))
    page = world.client(Role.TEAM_LEADER).get(f"/pakketten/{draft.pk}/afspreken/").content.decode()
    assert f"/gesprekken/{prepared.pk}/wijzigen/" in page
    assert "Het voorbereide gesprek afronden" in page


def test_package_document_identifies_client_and_has_a_real_signature_block(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 13.12: date of birth, organisation, the representative's name and date lines; the
    PDF's amounts never wrap."""
    from clients import services as client_services
    from tests.conversations.builders import scenario

    data = scenario(world)
    world.org_a.address, world.org_a.postal_code, world.org_a.city = "Dorpsstraat 1", "1234 AB", "Ede"
    world.org_a.save()
    client_services.contact_person_create(
        client=data["client"],
        name="Marieke de Jong",
        relation="Dochter",
        role="legal_representative",
        phone="0612345678",
    )
    page = world.client(Role.TEAM_LEADER).get(f"/pakketten/{data['package'].pk}/afdrukken/").content.decode()
    assert f"geboren {data['client'].date_of_birth:%d-%m-%Y}" in page
    assert world.org_a.name in page and world.org_a.agb_code in page
    assert "Dorpsstraat 1, 1234 AB Ede" in page
    assert "Naam: Marieke de Jong (wettelijk vertegenwoordiger)" in page
    assert page.count("Datum: ") == 2 and page.count("Handtekening<") == 2
    pdf = world.client(Role.TEAM_LEADER).get(f"/pakketten/{data['package'].pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/document.css").read_text()
    assert "td.num, th.num { white-space: nowrap; }" in css


def test_agree_and_send_back_are_written_to_the_access_log(world) -> None:  # type: ignore[no-untyped-def]
    """A write of a client's package is logged with the client, also when the view answers with
    a redirect and its object is the package (NEN 7513: who changed which client's record)."""
    data = builders.scenario(world)
    package = data["package"]
    log = AccessLogEntry.objects.for_organisation(world.org_a)
    response = world.client(Role.CARE_PROFESSIONAL).post(
        f"/pakketten/{package.pk}/afspreken/",
        {
            "conversation": data["conversation"].pk,
            "start_date": "2026-02-02",
            "version": package.lock_version,
        },
    )
    assert response.status_code == 302
    agreed = log.filter(action=AccessLogEntry.Action.UPDATE, client_id=data["client"].pk)
    assert agreed.count() == 1

    other = builders.scenario(world)["package"]
    Package.objects.for_organisation(world.org_a).filter(pk=other.pk).update(status="pending_approval")
    other.refresh_from_db()
    updates = log.filter(action=AccessLogEntry.Action.UPDATE, client_id=other.client_id)
    before = updates.count()
    response = world.client(Role.TEAM_LEADER).post(
        f"/pakketten/{other.pk}/terugsturen/", {"reason": "Eerst overleg", "version": other.lock_version}
    )
    assert response.status_code == 302
    assert updates.count() == before + 1
    assert Role.TEAM_LEADER in updates.order_by("-pk").first().roles
