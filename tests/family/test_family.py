"""The family's view (issue 17): isolation, signing, access ending, invitations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import services as client_services
from conversations.models import PackageLine
from conversations.packages import (
    package_draft_get_or_start,
    package_line_add,
    package_line_update,
    package_start_draft,
)
from family import selectors, services
from family.models import FamilyAccess, PackageSignature
from ipvb.models import AccessLogEntry
from ipvb.roles import Role
from tests.family import builders as fb

pytestmark = pytest.mark.django_db


def _without_csrf(response: Any) -> str:
    import re

    main = response.content.decode().split("<main", 1)[1]
    return re.sub(r'csrfmiddlewaretoken" value="[^"]+', "", main)


def _sign(browser: Any, package: Any, **extra: Any) -> Any:
    data = {"content_hash": selectors.content_hash(package), "agree": "on", "signed_name": "Marieke de Jong"}
    data.update(extra)
    return browser.post(reverse("family_package", args=[package.pk]), data)


def test_home_shows_budget_package_and_logs_with_family_channel(world: Any) -> None:
    data = fb.agreed(world)
    browser = fb.family_browser(world)
    response = browser.get(reverse("family_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert data["client"].full_name in page
    assert "Ochtendzorg: wassen en aankleden" in page
    assert "7 keer per week" in page and "25 minuten per keer" in page
    assert "819,73" in page  # the worked example's budget
    assert data["client"].bsn not in page and data["client"].masked_bsn not in page
    row = AccessLogEntry.objects.for_organisation(world.org_a).order_by("-pk").first()
    assert row.channel == "family" and row.action == "read" and row.client_id == data["client"].pk
    assert row.user_id == fb.family_user(world).pk


def test_staff_notes_are_not_shown(world: Any) -> None:
    data = fb.agreed(world)
    conversation = data["package"].conversation
    type(conversation).objects.for_organisation(world.org_a).filter(pk=conversation.pk).update(
        assessment="INTERN-OORDEEL", agreements="Wandelen op dinsdag"
    )
    page = fb.family_browser(world).get(reverse("family_home")).content.decode()
    assert "INTERN-OORDEEL" not in page
    assert "Wandelen op dinsdag" in page


def test_contact_person_sees_exactly_one_client(world: Any) -> None:
    """Another client's package (same organisation or another) answers like a missing one."""
    from tests.conversations.builders import client as make_person

    own = fb.agreed(world)["package"]
    other_b = fb.agreed(world, "b")["package"]
    browser = fb.family_browser(world)
    assert browser.get(reverse("family_package", args=[own.pk])).status_code == 200
    missing = browser.get(reverse("family_package", args=[999999]))
    other = browser.get(reverse("family_package", args=[other_b.pk]))
    assert missing.status_code == other.status_code == 404
    # A second client of the same organisation with an agreed package.
    second = make_person(world.org_a, world.dept_a, family_name="Tweede")
    draft = package_start_draft(client=second, by=world.user(Role.TEAM_LEADER), start_date=own.start_date)
    package_line_add(
        package=draft,
        membership=world.membership(Role.TEAM_LEADER),
        expected_version=draft.lock_version,
        activity=fb.agreed(world)["activities"]["OCH"],
        minutes=20,
        occurrences_per_week=7,
    )
    same_org = browser.get(reverse("family_package", args=[draft.pk]))
    assert same_org.status_code == 404
    assert _without_csrf(same_org) == _without_csrf(missing)
    post = _sign(browser, draft)
    assert post.status_code == 404
    assert "Tweede" not in browser.get(reverse("family_home")).content.decode()


def test_family_user_never_gets_staff_pages(world: Any) -> None:
    fb.agreed(world)
    browser = fb.family_browser(world)
    client_pk = fb.agreed(world)["client"].pk
    for url in (
        reverse("client_list"),
        reverse("client_detail", args=[client_pk]),
        reverse("package_detail", args=[fb.agreed(world)["package"].pk]),
        reverse("accesslog_list"),
    ):
        assert browser.get(url).status_code == 403, url
    assert browser.get("/api/v1/clients/").status_code in (401, 403)
    home = browser.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("family_home")


def test_signature_hash_changes_when_version_content_changes(world: Any) -> None:
    package = fb.agreed(world)["package"]
    before = selectors.content_hash(package)
    assert before == selectors.content_hash(package)  # stable
    line = PackageLine.objects.for_organisation(world.org_a).filter(package=package).first()
    PackageLine.objects.for_organisation(world.org_a).filter(pk=line.pk).update(minutes=line.minutes + 5)
    assert selectors.content_hash(package) != before
    PackageLine.objects.for_organisation(world.org_a).filter(pk=line.pk).update(minutes=line.minutes)
    assert selectors.content_hash(package) == before
    PackageLine.objects.for_organisation(world.org_a).filter(pk=line.pk).update(necessary=not line.necessary)
    assert selectors.content_hash(package) != before


def test_sign_records_who_when_where_and_hash(world: Any) -> None:
    package = fb.agreed(world)["package"]
    browser = fb.family_browser(world)
    response = _sign(browser, package, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    signature = PackageSignature.objects.for_organisation(world.org_a).get(package=package)
    assert signature.signed_name == "Marieke de Jong"
    assert signature.user_id == fb.family_user(world).pk
    assert signature.content_hash == selectors.content_hash(package)
    assert signature.signed_at is not None
    row = AccessLogEntry.objects.for_organisation(world.org_a).filter(action="create").order_by("-pk").first()
    assert row.channel == "family" and row.object_type == "family.PackageSignature"
    # Staff see it on the package page, the versions list and the PDF.
    leader = world.client(Role.TEAM_LEADER)
    assert "Marieke de Jong" in leader.get(reverse("package_detail", args=[package.pk])).content.decode()
    versions = leader.get(reverse("package_versions", args=[package.client_id])).content.decode()
    assert "ondertekend door Marieke de Jong" in versions
    # Signing twice: refused, nothing changes.
    again = _sign(browser, package)
    assert again.status_code == 400
    assert PackageSignature.objects.for_organisation(world.org_a).filter(package=package).count() == 1


def test_pdf_shows_the_signature(world: Any) -> None:
    package = fb.agreed(world)["package"]
    assert _sign(fb.family_browser(world), package).status_code == 302
    from django.template.loader import render_to_string

    html = render_to_string(
        "conversations/package_document.html",
        {"package": package, "client": package.client, "pricing": None, "printed_at": timezone.now()},
    )
    assert "Ondertekend door Marieke de Jong" in html
    digest = selectors.content_hash(package)
    assert digest[:32] in html
    pdf = world.client(Role.TEAM_LEADER).get(reverse("package_pdf", args=[package.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"agree": ""}, "Vink aan dat u akkoord gaat"),
        ({"signed_name": " "}, "Typ uw volledige naam"),
        ({"content_hash": "0" * 64}, "gewijzigd sinds u het opende"),
    ],
)
def test_bad_signatures_are_refused(world: Any, data: dict[str, str], message: str) -> None:
    package = fb.agreed(world)["package"]
    response = _sign(fb.family_browser(world), package, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PackageSignature.objects.for_organisation(world.org_a).exists()


def test_signing_a_version_that_is_no_longer_the_latest_is_refused(world: Any) -> None:
    data = fb.agreed(world)
    old = data["package"]
    browser = fb.family_browser(world)
    shown_hash = selectors.content_hash(old)
    # A new version is agreed while the page was open.
    leader = world.membership(Role.TEAM_LEADER)
    draft, _created = package_draft_get_or_start(client=data["client"], by=leader.user)
    line = draft.lines.order_by("position").first()
    assert line is not None
    package_line_update(
        line=line, membership=leader, expected_version=draft.lock_version, minutes=30, occurrences_per_week=7
    )
    draft.refresh_from_db()
    new = fb.agree(world, draft)
    assert new.status == "agreed"
    response = _sign(browser, old, content_hash=shown_hash)
    assert response.status_code == 400
    assert "niet meer de geldende versie" in response.content.decode()
    assert not PackageSignature.objects.for_organisation(world.org_a).exists()
    # The new version needs (and gets) its own signature.
    assert _sign(browser, new).status_code == 302
    assert PackageSignature.objects.for_organisation(world.org_a).get().package_id == new.pk


def test_wish_is_saved_for_the_professional(world: Any) -> None:
    data = fb.agreed(world)
    browser = fb.family_browser(world)
    assert browser.post(reverse("family_wish"), {"text": ""}).status_code == 302
    assert not data["client"].family_wishes.exists()
    assert browser.post(reverse("family_wish"), {"text": "Graag vaker wandelen"}).status_code == 302
    page = world.client(Role.CARE_PROFESSIONAL).get(reverse("client_detail", args=[data["client"].pk]))
    assert "Graag vaker wandelen" in page.content.decode()


def test_access_ends_on_discharge_and_last_package_stays_readable_three_months(world: Any) -> None:
    data = fb.agreed(world)
    browser = fb.family_browser(world)
    today = timezone.localdate()
    client_services.client_discharge(client=data["client"], discharge_date=today, reason="Verhuisd")
    access = FamilyAccess.objects.for_organisation(world.org_a).get(pk=fb.family_access(world).pk)
    assert access.end_reason == "discharged" and access.read_until is not None
    home = browser.get(reverse("family_home"))
    assert home.status_code == 200
    assert "laatst afgesproken zorgpakket nog inzien" in home.content.decode()
    assert browser.get(reverse("family_package", args=[data["package"].pk])).status_code == 200
    assert browser.post(reverse("family_wish"), {"text": "nog iets"}).status_code == 404
    assert _sign(browser, data["package"]).status_code == 400
    # Within three months readable, after that not.
    later = access.read_until
    assert selectors.access_for_user(access.user, today=later) is not None
    assert selectors.access_for_user(access.user, today=later + datetime.timedelta(days=1)) is None
    assert later >= today + datetime.timedelta(days=89)


def test_access_ends_on_consent_withdrawal(world: Any) -> None:
    access = fb.family_access(world)
    browser = fb.family_browser(world)
    assert browser.get(reverse("family_home")).status_code == 200
    staff = world.client(Role.CARE_PROFESSIONAL)
    response = staff.post(reverse("family_access_end", args=[access.pk]))
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.end_reason == "consent_withdrawn" and access.read_until is None
    assert browser.get(reverse("family_home")).status_code == 403
    assert browser.get(reverse("family_package", args=[fb.agreed(world)["package"].pk])).status_code == 403


def test_access_ends_when_contact_person_is_removed(world: Any) -> None:
    access = fb.family_access(world)
    client_services.contact_person_delete(contact=fb.contact(world))
    access.refresh_from_db()
    assert access.end_reason == "contact_removed"
    assert fb.family_browser(world).get(reverse("family_home")).status_code == 403


def test_invitation_sets_password_once(world: Any) -> None:
    _access, token = fb.invite(world)
    message = mail.outbox[-1]
    assert "English below" in message.body and "familiepagina" in message.body
    anonymous = world.client(None)
    url = reverse("family_invitation", args=[token])
    assert anonymous.get(url).status_code == 200
    bad = anonymous.post(url, {"password1": fb.PASSWORD, "password2": "anders"})
    assert bad.status_code == 400
    response = anonymous.post(url, {"password1": fb.PASSWORD, "password2": fb.PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("family_home")
    # The link works once.
    second = world.client(None).post(url, {"password1": fb.PASSWORD, "password2": fb.PASSWORD})
    unknown = world.client(None).get(reverse("family_invitation", args=["onbekend"]))
    assert second.status_code == unknown.status_code == 404
    assert "ongeldig, al gebruikt of verlopen" in second.content.decode()


def test_expired_link_is_refused(world: Any) -> None:
    access, token = fb.invite(world)
    FamilyAccess.objects.for_organisation(world.org_a).filter(pk=access.pk).update(
        token_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    url = reverse("family_invitation", args=[token])
    response = world.client(None).post(url, {"password1": fb.PASSWORD, "password2": fb.PASSWORD})
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.family_accept(token=token, password=fb.PASSWORD)
    access.refresh_from_db()
    assert access.user_id is None and access.activated_at is None


def test_invitation_for_client_of_other_department_or_organisation_is_refused(world: Any) -> None:
    from tests.conversations.builders import client as make_person

    other_dept = make_person(world.org_a, world.dept_a2, family_name="Elders")
    person = client_services.contact_person_create(
        client=other_dept, name="Kees", relation="Zoon", role="first_contact"
    )
    staff = world.client(Role.CARE_PROFESSIONAL)  # works on dept_a only
    data = {
        "contact_person": person.pk,
        "email": "kees@example.org",
        "consent_by": "client",
        "consent_confirmed": "on",
    }
    other_org = fb.contact(world, "b")
    missing = staff.post(reverse("family_invite", args=[999999]), data)
    assert staff.post(reverse("family_invite", args=[other_dept.pk]), data).status_code == 404
    assert staff.post(reverse("family_invite", args=[other_org.client_id]), data).status_code == 404
    assert missing.status_code == 404
    # A contact person of another client posted to an own client: a clear form error.
    own = fb.contact(world).client
    response = staff.post(reverse("family_invite", args=[own.pk]), data)
    assert response.status_code == 400
    assert "Kies een contactpersoon van deze cliënt" in response.content.decode()
    # The service refuses too.
    with pytest.raises(ValidationError):
        services.family_invite(
            membership=world.membership(Role.CARE_PROFESSIONAL),
            client=other_dept,
            contact_person=person,
            email="kees@example.org",
            consent_by="client",
        )
    assert not FamilyAccess.objects.for_organisation(world.org_a).exists()
    assert not mail.outbox


def test_invite_via_web_records_consent_and_mails(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = fb.contact(world)
    staff = world.client(Role.TEAM_LEADER)
    page = staff.get(reverse("client_detail", args=[person.client_id])).content.decode()
    assert reverse("family_invite", args=[person.client_id]) in page
    without_consent = staff.post(
        reverse("family_invite", args=[person.client_id]),
        {"contact_person": person.pk, "email": "dochter@example.org", "consent_by": "client"},
    )
    assert without_consent.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("family_invite", args=[person.client_id]),
            {
                "contact_person": person.pk,
                "email": "dochter@example.org",
                "consent_by": "client",
                "consent_note": "Mondeling",
                "consent_confirmed": "on",
            },
        )
    assert response.status_code == 302
    access = FamilyAccess.objects.for_organisation(world.org_a).get()
    assert access.consent_by == "client" and access.invited_by == world.user(Role.TEAM_LEADER)
    assert mail.outbox[-1].to == ["dochter@example.org"]
    # Managers see the panel without the invite button.
    manager_page = world.client(Role.MANAGER).get(reverse("client_detail", args=[person.client_id]))
    assert reverse("family_invite", args=[person.client_id]) not in manager_page.content.decode()


def test_staff_account_cannot_take_family_access(world: Any) -> None:
    person = fb.contact(world)
    staff_user = world.user(Role.MANAGER)
    _access, token = fb.invite(world, person=person, email=staff_user.email)
    browser = world.client(Role.MANAGER)
    response = browser.post(reverse("family_invitation", args=[token]))
    assert response.status_code == 400
    assert "kan geen familietoegang krijgen" in response.content.decode()


def test_org_admin_filters_access_log_on_family_channel(world: Any) -> None:
    fb.family_browser(world).get(reverse("family_home"))
    admin = world.client(Role.ORG_ADMIN)
    admin.get(reverse("client_list"))  # a web row too
    page = admin.get(reverse("accesslog_list"), {"channel": "family"}).content.decode()
    assert "Familie" in page
    assert fb.family_user(world).email in page
    web_only = admin.get(reverse("accesslog_list"), {"channel": "web"}).content.decode()
    assert fb.family_user(world).email not in web_only


def test_mfa_is_required_for_a_contact_person(world: Any, settings: Any) -> None:
    settings.IPVB_REQUIRE_MFA = True
    response = fb.family_browser(world).get(reverse("family_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_large_type_toggle(world: Any) -> None:
    browser = fb.family_browser(world)
    browser.post(reverse("family_large_type"), {"next": "https://evil.example/"})
    assert "family-large" in browser.get(reverse("family_home")).content.decode()
