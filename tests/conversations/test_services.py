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


# full_clean without its queries (issue 16) ------------------------------------------------------


def _line_states(data, draft):  # type: ignore[no-untyped-def]
    """Lines of every shape the two check constraints distinguish, the edges included."""
    activity, addon = data["activities"]["OCH"], data["addon"]
    level = data["levels"]["verpleegkundige-4"]
    base = {"organisation_id": draft.organisation_id, "package": draft}
    activity_line = {**base, "activity": activity, "staff_level": level, "funding": "budget"}
    addon_line = {**base, "addon_item": addon, "funding": "private", "quantity_per_month": D("2")}
    states = []
    for minutes in (None, 0, 1, 25, 1440, 1441, 10080, 10081):
        for occurrences in (None, 1, 6, 7):
            states.append({**activity_line, "minutes": minutes, "occurrences_per_week": occurrences})
    states += [
        {**activity_line, "minutes": 25, "occurrences_per_week": 7, "staff_level": None},
        {**activity_line, "minutes": 25, "occurrences_per_week": 7, "addon_item": addon},
        {**activity_line, "minutes": 25, "occurrences_per_week": 7, "funding": "private"},
        {**addon_line},
        {**addon_line, "funding": "budget"},
        {**addon_line, "quantity_per_month": D("0")},
        {**addon_line, "quantity_per_month": None},
        {**addon_line, "quantity_per_month": D("-1")},
        {**addon_line, "minutes": 30, "occurrences_per_week": 7},
        {**addon_line, "staff_level": level},
        {**base, "funding": "private", "quantity_per_month": D("1")},  # neither activity nor item
        {**base, "funding": "budget", "minutes": 25, "occurrences_per_week": 1},
        {**activity_line, "minutes": 25, "occurrences_per_week": 7, "note": "x" * 301},
        {**activity_line, "minutes": 25, "occurrences_per_week": 7, "funding": "cash"},
    ]
    return [PackageLine(**state) for state in states]


def test_full_clean_without_queries_gives_what_full_clean_gives(world) -> None:  # type: ignore[no-untyped-def]
    """The services' validation without queries refuses exactly what ``full_clean`` (with its
    foreign-key and constraint queries) refuses, with the same messages per field."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conversations.packages import _full_clean

    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    lines = _line_states(data, draft)
    for line in lines:
        try:
            line.full_clean()
            expected = None
        except ValidationError as exc:
            expected = exc.message_dict
        with CaptureQueriesContext(connection) as queries:
            try:
                _full_clean(line)
                got = None
            except ValidationError as exc:
                got = exc.message_dict
        assert got == expected, (line.__dict__, got, expected)
        assert len(queries) == 0
    # Both constraints and the field checks are reached by the states above.
    refused = [line for line in lines if _refused(line)]
    assert 0 < len(refused) < len(lines)


def _refused(line) -> bool:  # type: ignore[no-untyped-def]
    try:
        line.full_clean()
    except ValidationError:
        return True
    return False


def test_line_update_refuses_what_the_constraints_refuse(world) -> None:  # type: ignore[no-untyped-def]
    """What the API may send (no level on an activity, budget funding on an add-on) is refused
    with a message, not a database error, and nothing is saved."""
    leader = world.membership(Role.TEAM_LEADER)
    data, draft = _example_package(world, leader)
    line = draft.lines.get(activity=data["activities"]["DOU"])
    with pytest.raises(ValidationError) as excinfo:
        package_line_update(
            line=line, membership=leader, expected_version=draft.lock_version, staff_level=None
        )
    assert "package_line_activity_or_addon" in str(excinfo.value)
    addon_line = package_line_add(
        package=draft,
        membership=leader,
        expected_version=draft.lock_version,
        addon_item=data["addon"],
        quantity_per_month=D("2"),
    )
    with pytest.raises(ValidationError) as excinfo:
        package_line_update(
            line=addon_line, membership=leader, expected_version=draft.lock_version, funding="budget"
        )
    assert "package_line_activity_or_addon" in str(excinfo.value)
    line.refresh_from_db()
    addon_line.refresh_from_db()
    assert line.staff_level_id is not None and addon_line.funding == PackageLine.Funding.PRIVATE


def test_line_update_reads_no_more_than_it_writes(world) -> None:  # type: ignore[no-untyped-def]
    """A line change on a line read with its package and activity (as the composer reads it):
    one statement, the package's guarded version bump and the line's update, nothing else: no
    lock read, no re-read of the line, no savepoint, no existence or constraint query (issue 16)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    line = draft.lines.select_related("package", "activity", "staff_level").get(
        activity=data["activities"]["DOU"]
    )
    with CaptureQueriesContext(connection) as queries:
        package_line_update(
            line=line, membership=membership, expected_version=draft.lock_version, occurrences_per_week=3
        )
    statements = [q["sql"] for q in queries.captured_queries if "set_config" not in q["sql"]]
    assert len(statements) == 1 and statements[0].startswith("WITH claim AS (UPDATE")
    claim, write = statements[0].split(") UPDATE ")
    assert "lock_version" in claim and "occurrences_per_week" in write
    assert line.package.lock_version == draft.lock_version + 1
    line.refresh_from_db()
    assert line.occurrences_per_week == 3


def test_addon_prices_in_one_query_whatever_the_add_on_lines(world) -> None:  # type: ignore[no-untyped-def]
    """``price_package`` reads the add-on prices of all lines at once, with the prices of
    ``catalog.selectors.addon_price``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.selectors import addon_price
    from conversations.formulas import round2
    from conversations.selectors import lines_of

    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    counts = []
    for quantity in ("1", "2", "3"):
        package_line_add(
            package=draft,
            membership=membership,
            expected_version=draft.lock_version,
            addon_item=data["addon"],
            quantity_per_month=D(quantity),
        )
        lines = lines_of(package=draft)
        with CaptureQueriesContext(connection) as queries:
            pricing = price_package(package=draft, lines=lines)
        counts.append(sum("catalog_addonprice" in q["sql"] for q in queries.captured_queries))
        price = addon_price(item=data["addon"], on_date=draft.start_date)
        assert price is not None
        assert [p.monthly_cost for p in pricing.lines if p.line.is_addon] == [
            round2(price.price_incl_vat * D(q)) for q in ("1", "2", "3")[: len(counts)]
        ]
    assert counts == [1, 1, 1]


def test_rate_card_is_read_in_one_query(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from costing.models import CostPriceModel
    from costing.selectors import model_in_force, rate_card, rate_card_for_model

    builders.setup_a(world)
    in_force = rate_card(organisation=world.org_a, on_date=builders.START)
    assert in_force is not None and in_force.levels
    for on_date in (builders.START, datetime.date(2020, 1, 1)):
        model = model_in_force(organisation=world.org_a, on_date=on_date)
        expected = rate_card_for_model(model=model) if model is not None else None
        with CaptureQueriesContext(connection) as queries:
            card = rate_card(organisation=world.org_a, on_date=on_date)
        if expected is None:
            assert card is None
            continue
        assert len(queries) == 1
        assert card is not None and card.model.pk == expected.model.pk
        assert card.rates == expected.rates and list(card.levels) == list(expected.levels)
        assert card.client_bound_hours() == expected.client_bound_hours()
    # A model in force without levels: the same (empty) card, from the fallback.
    model = CostPriceModel.objects.for_organisation(world.org_a).get(pk=in_force.model.pk)
    model.levels.all().delete()
    card = rate_card(organisation=world.org_a, on_date=builders.START)
    assert card is not None and card.model.pk == model.pk and card.levels == {}
