import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conversations.approvals import package_agree, package_approve, package_send_back
from conversations.models import Conversation, Package, PackageLine
from conversations.packages import package_line_add, package_line_update, package_start_draft
from conversations.pricing import price_package
from conversations.selectors import package_diff, package_in_force
from conversations.services import conversation_save
from conversations.swaps import package_swap_record, swap_warnings
from ipvb.concurrency import StaleEdit
from ipvb.roles import Role
from tests import examples as ex
from tests.conversations import builders

D = Decimal
pytestmark = pytest.mark.django_db


def _conversation(client, by, outcome=Conversation.Outcome.AGREED, reason=""):  # type: ignore[no-untyped-def]
    return conversation_save(
        client=client,
        by=by,
        data={
            "held_at": timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0)),
            "kind": Conversation.Kind.INTAKE,
            "wishes": "Uitslapen",
            "outcome": outcome,
            "outcome_reason": reason,
        },
    )


def _example_package(world, membership):  # type: ignore[no-untyped-def]
    data = builders.setup_a(world)
    draft = package_start_draft(client=data["client"], by=membership.user, start_date=builders.START)
    for code, minutes, occ in ex.EXAMPLE_LINES:
        package_line_add(
            package=draft,
            membership=membership,
            expected_version=draft.lock_version,
            activity=data["activities"][code],
            minutes=minutes,
            occurrences_per_week=occ,
        )
    draft.refresh_from_db()
    return data, draft


def test_worked_example_package_to_the_cent(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    _data, draft = _example_package(world, membership)
    pricing = price_package(package=draft)
    assert [p.cost_per_week for p in pricing.lines] == [
        D("172.03"),
        D("137.62"),
        D("79.36"),
        D("81.09"),
        D("58.98"),
    ]
    assert pricing.totals.budget == D("819.73")
    assert pricing.totals.total == D("529.08")
    assert pricing.totals.balance == D("290.65")
    assert pricing.totals.utilisation_pct == D("64.54")


def test_agree_within_budget_snapshots_and_versions(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    conversation = _conversation(data["client"], membership.user)
    agreed = package_agree(
        package=draft, membership=membership, conversation=conversation, expected_version=draft.lock_version
    )
    assert agreed.status == Package.Status.AGREED
    assert agreed.total == D("529.08") and agreed.personal_budget == D("819.73")
    assert agreed.review_date == datetime.date(2026, 8, 1)  # the conversation's next review (+6 months)
    assert package_in_force(client=data["client"], on_date=builders.START) == agreed

    second = package_start_draft(
        client=data["client"], by=membership.user, start_date=datetime.date(2026, 3, 2)
    )
    assert second.version == 2 and second.lines.count() == 5
    shower = second.lines.get(activity=data["activities"]["DOU"])
    package_line_update(
        line=shower, membership=membership, expected_version=second.lock_version, occurrences_per_week=3
    )
    second.refresh_from_db()
    package_agree(
        package=second, membership=membership, conversation=conversation, expected_version=second.lock_version
    )
    agreed.refresh_from_db()
    assert agreed.status == Package.Status.SUPERSEDED
    assert agreed.end_date == datetime.date(2026, 3, 1)
    assert package_in_force(client=data["client"], on_date=datetime.date(2026, 2, 20)) == agreed
    changes = package_diff(old=agreed, new=second)
    assert [(c.kind, c.label) for c in changes] == [("changed", "Douchen")]
    assert "× 2/wk" in changes[0].before and "× 3/wk" in changes[0].after


def _add_overrun(data, draft, membership, extra_walks):  # type: ignore[no-untyped-def]
    package_line_add(
        package=draft,
        membership=membership,
        expected_version=draft.lock_version,
        activity=data["activities"]["WAN"],
        minutes=60,
        occurrences_per_week=extra_walks,
    )


def test_overrun_within_tolerance_needs_reason(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    # 529.08 + 60 min × 5 at 54.06 (270.30) = 799.38; add a third: 854.44 = 104.2 % of 819.73
    package_line_add(
        package=draft,
        membership=membership,
        expected_version=draft.lock_version,
        activity=data["activities"]["DOU"],
        minutes=30,
        occurrences_per_week=0 + 1,
    )
    package_line_update(
        line=draft.lines.get(activity=data["activities"]["WAN"]),
        membership=membership,
        expected_version=draft.lock_version,
        minutes=45,
        occurrences_per_week=9,
    )
    draft.refresh_from_db()
    pricing = price_package(package=draft)
    assert pricing.totals.budget < pricing.totals.total <= pricing.tolerance_limit, pricing.totals
    conversation = _conversation(data["client"], membership.user)
    with pytest.raises(ValidationError) as excinfo:
        package_agree(
            package=draft,
            membership=membership,
            conversation=conversation,
            expected_version=draft.lock_version,
        )
    assert "schriftelijke reden" in str(excinfo.value)
    draft.refresh_from_db()
    assert draft.status == Package.Status.DRAFT
    agreed = package_agree(
        package=draft,
        membership=membership,
        conversation=conversation,
        expected_version=draft.lock_version,
        overrun_reason="Meer wandelen helpt",
    )
    assert agreed.status == Package.Status.AGREED


def test_beyond_tolerance_goes_to_another_team_leader(world) -> None:  # type: ignore[no-untyped-def]
    leader = world.membership(Role.TEAM_LEADER)
    data, draft = _example_package(world, leader)
    _add_overrun(data, draft, leader, 10)
    draft.refresh_from_db()
    conversation = _conversation(data["client"], leader.user)
    pending = package_agree(
        package=draft,
        membership=leader,
        conversation=conversation,
        expected_version=draft.lock_version,
        overrun_reason="Onrustig",
    )
    assert pending.status == Package.Status.PENDING_APPROVAL
    with pytest.raises(ValidationError, match="eigen overschrijding"):
        package_approve(package=pending, membership=leader, expected_version=pending.lock_version)
    care = world.membership(Role.CARE_PROFESSIONAL)
    with pytest.raises(ValidationError, match="teamleider"):
        package_approve(package=pending, membership=care, expected_version=pending.lock_version)
    from tests.factories import MembershipFactory, UserFactory

    other = MembershipFactory(
        organisation=world.org_a,
        user=UserFactory(email="tl2@example.org"),
        roles=[Role.TEAM_LEADER],
        departments=[world.dept_a],
    )
    sent = package_send_back(
        package=pending,
        membership=other,
        expected_version=pending.lock_version,
        reason="Eerst overleg met arts",
    )
    assert sent.status == Package.Status.DRAFT and sent.sent_back_reason
    again = package_agree(
        package=sent,
        membership=leader,
        conversation=conversation,
        expected_version=sent.lock_version,
        overrun_reason="Na overleg",
    )
    approved = package_approve(package=again, membership=other, expected_version=again.lock_version)
    assert approved.status == Package.Status.AGREED
    assert approved.approved_by == other.user and approved.agreed_by == leader.user


def test_concurrent_edit_is_refused_with_clear_message(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    loaded_version = draft.lock_version
    line = draft.lines.get(activity=data["activities"]["DOU"])
    package_line_update(
        line=line, membership=membership, expected_version=loaded_version, occurrences_per_week=3
    )
    with pytest.raises(StaleEdit, match="collega"):
        package_line_update(
            line=PackageLine.objects.for_organisation(world.org_a).get(pk=line.pk),
            membership=membership,
            expected_version=loaded_version,
            occurrences_per_week=5,
        )
    line.refresh_from_db()
    assert line.occurrences_per_week == 3


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("minutes", {"minutes": 0, "occurrences_per_week": 2}, "groter dan 0"),
        ("occurrences_per_week", {"minutes": 10, "occurrences_per_week": -1}, "groter dan 0"),
        ("minutes", {"minutes": 1500, "occurrences_per_week": 7}, "168 uur"),
    ],
)
def test_bad_lines_are_refused(world, field, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data = builders.setup_a(world)
    draft = package_start_draft(client=data["client"], by=membership.user, start_date=builders.START)
    with pytest.raises(ValidationError) as excinfo:
        package_line_add(
            package=draft,
            membership=membership,
            expected_version=draft.lock_version,
            activity=data["activities"]["OCH"],
            **kwargs,
        )
    assert message in str(excinfo.value.message_dict[field])
    assert draft.lines.count() == 0


def test_inactive_activity_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data = builders.setup_a(world)
    activity = data["activities"]["OCH"]
    type(activity).objects.for_organisation(world.org_a).filter(pk=activity.pk).update(
        active_until=datetime.date(2026, 1, 31)
    )
    activity.refresh_from_db()
    draft = package_start_draft(client=data["client"], by=membership.user, start_date=builders.START)
    with pytest.raises(ValidationError, match="niet actief"):
        package_line_add(
            package=draft,
            membership=membership,
            expected_version=draft.lock_version,
            activity=activity,
            minutes=25,
            occurrences_per_week=7,
        )


def test_agree_without_conversation_or_before_indication(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    with pytest.raises(ValidationError, match="gesprek"):
        package_agree(
            package=draft, membership=membership, conversation=None, expected_version=draft.lock_version
        )
    postponed = _conversation(data["client"], membership.user, Conversation.Outcome.POSTPONED, "Ziek")
    with pytest.raises(ValidationError, match="afgerond met"):
        package_agree(
            package=draft, membership=membership, conversation=postponed, expected_version=draft.lock_version
        )
    conversation = _conversation(data["client"], membership.user)
    with pytest.raises(ValidationError, match="geen indicatie"):
        package_agree(
            package=draft,
            membership=membership,
            conversation=conversation,
            expected_version=draft.lock_version,
            start_date=datetime.date(2025, 1, 1),
        )
    draft.refresh_from_db()
    assert draft.status == Package.Status.DRAFT and draft.start_date == builders.START


def test_not_agreed_conversation_needs_reason(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data = builders.setup_a(world)
    with pytest.raises(ValidationError, match="reden"):
        _conversation(data["client"], membership.user, Conversation.Outcome.NO_AGREEMENT, "")
    assert not Conversation.objects.for_organisation(world.org_a).exists()


def test_care_professional_cannot_change_level(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data = builders.setup_a(world)
    draft = package_start_draft(client=data["client"], by=membership.user, start_date=builders.START)
    with pytest.raises(ValidationError, match="teamleider"):
        package_line_add(
            package=draft,
            membership=membership,
            expected_version=draft.lock_version,
            activity=data["activities"]["OCH"],
            minutes=25,
            occurrences_per_week=7,
            staff_level=data["levels"]["verpleegkundige-4"],
        )
    leader = world.membership(Role.TEAM_LEADER)
    line = package_line_add(
        package=draft,
        membership=leader,
        expected_version=draft.lock_version,
        activity=data["activities"]["OCH"],
        minutes=25,
        occurrences_per_week=7,
        staff_level=data["levels"]["verpleegkundige-4"],
    )
    assert line.staff_level.code == "verpleegkundige-4"


def test_private_addon_line_monthly_cost(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    package_line_add(
        package=draft,
        membership=membership,
        expected_version=draft.lock_version,
        addon_item=data["addon"],
        quantity_per_month=D("2"),
    )
    package_line_add(
        package=draft,
        membership=membership,
        expected_version=draft.lock_version,
        activity=data["activities"]["WAN"],
        minutes=45,
        occurrences_per_week=1,
        funding=PackageLine.Funding.PRIVATE,
    )
    draft.refresh_from_db()
    pricing = price_package(package=draft)
    assert pricing.totals.total == D("529.08")  # private lines are not paid from the budget
    # 2 × 24.50 + 40.55 per week × 52/12 = 49.00 + 175.72
    assert pricing.totals.private_per_month == D("224.72")


def test_swap_is_recorded(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    conversation = _conversation(data["client"], membership.user)
    agreed = package_agree(
        package=draft, membership=membership, conversation=conversation, expected_version=draft.lock_version
    )
    swap = package_swap_record(
        package=agreed,
        by=membership.user,
        week_of=datetime.date(2026, 2, 11),
        replaced=data["activities"]["DOU"],
        replacement=data["activities"]["WAN"],
        note="Liever wandelen deze week",
    )
    assert swap.week_of == datetime.date(2026, 2, 9)
    with pytest.raises(ValidationError, match="andere activiteit"):
        package_swap_record(
            package=agreed,
            by=membership.user,
            week_of=datetime.date(2026, 2, 11),
            replaced=data["activities"]["WAN"],
            replacement=data["activities"]["WAN"],
        )
    # A week before the package: the message says so, with both dates (issue 13.9).
    with pytest.raises(ValidationError, match="05-01-2026 ligt vóór de ingangsdatum van dit pakket"):
        package_swap_record(
            package=agreed,
            by=membership.user,
            week_of=datetime.date(2026, 1, 5),
            replaced=data["activities"]["DOU"],
            replacement=data["activities"]["WAN"],
        )
    # A week years ahead is not a swap that happened.
    with pytest.raises(ValidationError, match="te ver vooruit"):
        package_swap_record(
            package=agreed,
            by=membership.user,
            week_of=datetime.date(2029, 3, 5),
            replaced=data["activities"]["DOU"],
            replacement=data["activities"]["WAN"],
        )
    assert agreed.swaps.count() == 1
    # Medication for a walk: another kind of activity at another level is flagged.
    warnings = swap_warnings(
        package=agreed, replaced=data["activities"]["MED"], replacement=data["activities"]["WAN"]
    )
    assert any("ander soort activiteit" in w for w in warnings)
    assert (
        swap_warnings(
            package=agreed, replaced=data["activities"]["DOU"], replacement=data["activities"]["DOU"]
        )
        == []
    )


def test_approvals_list_shows_what_a_team_leader_decides_on(world) -> None:  # type: ignore[no-untyped-def]
    """Department, utilisation, overrun in € and %, who submitted and when (issue 13.11)."""
    from ipvb.formatting import money, percent

    leader = world.membership(Role.TEAM_LEADER)
    leader.user.first_name, leader.user.last_name = "Tess", "Leider"
    leader.user.save()
    data, pending = _pending_approval(world, leader)
    page = world.client(Role.TEAM_LEADER).get("/goedkeuringen/").content.decode()
    row = page.split('data-testid="approval-row"', 1)[1].split("</tr>", 1)[0]
    assert pending.overrun_amount > 0
    for expected in (
        data["client"].department.name,
        money(pending.personal_budget),
        money(pending.total),
        percent(pending.utilisation_pct),
        money(pending.overrun_amount),
        percent(pending.overrun_pct),
        "Tess Leider",
        "Onrustig",
    ):
        assert expected in row, expected
    assert pending.utilisation_pct == (pending.total / pending.personal_budget * 100).quantize(
        Decimal("0.01")
    )


def test_approved_package_page_says_who_approved_not_that_approval_is_needed(world) -> None:  # type: ignore[no-untyped-def]
    leader = world.membership(Role.TEAM_LEADER)
    data, pending = _pending_approval(world, leader)
    page = world.client(Role.TEAM_LEADER).get(f"/pakketten/{pending.pk}/").content.decode()
    assert "wacht op goedkeuring door een teamleider" in page
    from tests.factories import MembershipFactory, UserFactory

    second = MembershipFactory(
        organisation=world.org_a,
        user=UserFactory(email="tl2@example.org"),
        roles=[Role.TEAM_LEADER],
        departments=[data["client"].department],
    )
    approved = package_approve(package=pending, membership=second, expected_version=pending.lock_version)
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(second.user)
    page = browser.get(f"/pakketten/{approved.pk}/").content.decode()
    assert "een teamleider moet goedkeuren" not in page
    assert "goedgekeurd door teamleider" in page


def _pending_approval(world, leader):  # type: ignore[no-untyped-def]
    """The example package with an overrun beyond the latitude, agreed by ``leader``: it waits
    for another team leader's approval."""
    data, draft = _example_package(world, leader)
    _add_overrun(data, draft, leader, 10)
    draft.refresh_from_db()
    conversation = _conversation(data["client"], leader.user)
    pending = package_agree(
        package=draft,
        membership=leader,
        conversation=conversation,
        expected_version=draft.lock_version,
        overrun_reason="Onrustig",
    )
    return data, pending
