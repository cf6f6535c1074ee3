"""Demo conversations and packages: for most demo clients an intake conversation and an agreed
package, some under budget, some just over within the tolerance (with a reason), a few well
over (awaiting approval or approved by another team leader), some reviews overdue.
Idempotent: a client that already has a package is left alone."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Activity
from catalog.selectors import quote_with_card
from clients.models import Client
from clients.selectors import indication_in_force
from costing.budget import budget_for_client
from costing.selectors import RateCard, rate_card
from ipvb.models import Membership, Organisation
from ipvb.roles import Role

from .approvals import package_agree, package_approve
from .models import Conversation, Package
from .packages import package_line_add, package_start_draft
from .services import conversation_save

DEMO_AGB = ("73730001", "73730002")
CORE = (("PV-01", 7), ("PV-02", 7), ("VP-01", 14))
FILLERS = ("WB-02", "WB-01", "PV-03", "GA-01", "GA-02", "HH-01", "PV-06", "BH-03")


def _member(org: Organisation, role: str) -> Membership | None:
    return (
        Membership.objects.for_organisation(org)
        .filter(is_active=True)
        .select_related("user")
        .order_by("pk")
        .filter(user__email__startswith={"care_professional": "zorg@", "team_leader": "teamleider@"}[role])
        .first()
    )


# Core care per week for a client whose budget is 0 (structural deficit).
STRUCTURAL_DEFICIT_PACKAGE = Decimal("420.00")


def _plan(rng: random.Random, index: int) -> tuple[str, Decimal]:
    """(kind, target utilisation): mostly under budget, some within tolerance, a few beyond."""
    if index % 11 == 3:
        return "pending", Decimal("1.18")
    if index % 11 == 7:
        return "approved", Decimal("1.12")
    if index % 5 == 1:
        return "tolerance", Decimal("1.03")
    return "under", Decimal(str(round(rng.uniform(0.62, 0.95), 2)))


def _compose(
    package: Package,
    membership: Membership,
    activities: dict[str, Activity],
    target: Decimal,
    card: RateCard | None,
) -> None:
    """Core care every day, then wellbeing and other activities until the target is reached.
    Candidate lines are priced from the one rate card; the package itself is priced on agree."""

    def cost(activity: Activity, times: int, minutes: int | None = None) -> Decimal:
        quote = quote_with_card(
            activity=activity, card=card, on_date=package.start_date, minutes=minutes, occurrences=times
        )
        return quote.price if quote else Decimal("0")

    def add(**line: Any) -> None:
        added = package_line_add(
            package=package, membership=membership, expected_version=package.lock_version, **line
        )
        package.lock_version = added.package.lock_version

    total = Decimal("0")
    for code, times in CORE:
        add(activity=activities[code], occurrences_per_week=times)
        total += cost(activities[code], times)
    for code in FILLERS:
        activity = activities.get(code)
        if activity is None:
            continue
        once = cost(activity, 1)
        if once <= 0 or target - total < once:
            continue
        times = min(int((target - total) / once), 14)
        add(activity=activity, occurrences_per_week=times)
        total += cost(activity, times)
    attention = activities.get("WB-02")
    if attention is not None and total < target:
        # Top up with a short moment of personal attention to land close to the target.
        per_minute = cost(attention, 1, minutes=60) / 60
        minutes = max(5, int((target - total) / per_minute)) if per_minute else 5
        add(activity=attention, minutes=minutes, occurrences_per_week=1)


def _load_org(org: Organisation) -> int:
    care = _member(org, Role.CARE_PROFESSIONAL)
    leader = _member(org, Role.TEAM_LEADER)
    if care is None or leader is None:
        return 0
    activities = {a.code: a for a in Activity.objects.for_organisation(org)}
    if not all(code in activities for code, _ in CORE):
        return 0
    today = timezone.localdate()
    made = 0
    clients = (
        Client.objects.for_organisation(org)
        .filter(status=Client.Status.ACTIVE)
        .select_related("department", "organisation")
        .order_by("pk")
    )
    for index, client in enumerate(clients):
        if index % 8 == 5:  # some clients have no package yet
            continue
        if Package.objects.for_organisation(org).filter(client=client).exists():
            continue
        rng = random.Random(f"ipvb-demo-package-{org.agb_code}-{client.bsn}")
        overdue = index % 6 == 2
        start = today - datetime.timedelta(days=rng.randint(200, 300) if overdue else rng.randint(10, 120))
        start = max(start, client.admission_date + datetime.timedelta(days=7))
        indication = indication_in_force(client=client, on_date=start)
        if indication is None:
            continue
        budget = budget_for_client(client=client, on_date=start)
        if not budget.is_complete:
            continue
        kind, utilisation = _plan(rng, index)
        # A profile that does not carry the department's group-bound care leaves no budget
        # (B shown as 0): the core care is still agreed, beyond tolerance, awaiting approval.
        target = (budget.personal_budget or Decimal(0)) * utilisation  # complete: set
        if not budget.personal_budget:
            kind, target = "deficit", STRUCTURAL_DEFICIT_PACKAGE
        held = timezone.make_aware(
            datetime.datetime.combine(start - datetime.timedelta(days=2), datetime.time(10, 30))
        )
        contacts = list(client.contact_persons.filter(takes_part_in_conversations=True))
        try:
            conversation = conversation_save(
                client=client,
                by=care.user,
                contact_persons=contacts,
                professionals=[care.user],
                data={
                    "held_at": held,
                    "kind": Conversation.Kind.INTAKE,
                    "client_present": True,
                    "wishes": client.wishes or "Zo zelfstandig mogelijk blijven.",
                    "assessment": "Zorgvraag past bij het profiel; aandacht voor mobiliteit.",
                    "agreements": "Ochtend- en avondzorg zoals gewend; dagelijkse persoonlijke aandacht.",
                    "outcome": Conversation.Outcome.AGREED,
                    "next_review_date": start + datetime.timedelta(days=182),
                },
            )
            draft = package_start_draft(client=client, by=care.user, start_date=start)
            card = rate_card(organisation=org, on_date=start)
            _compose(draft, care, activities, target, card)
            draft.refresh_from_db()
            reason = {
                "tolerance": "Extra persoonlijke aandacht helpt bij onrust in de middag.",
                "pending": "Intensieve zorg na ziekenhuisopname; herindicatie wordt aangevraagd.",
                "approved": "Tijdelijk meer zorg na een val; besproken met de familie.",
                "deficit": "Profiel draagt de groepsgebonden zorg van De Hoeve niet; herindicatie aangevraagd.",
            }.get(kind, "")
            agreed = package_agree(
                package=draft,
                membership=care,
                conversation=conversation,
                expected_version=draft.lock_version,
                overrun_reason=reason,
            )
            if kind == "approved" and agreed.status == Package.Status.PENDING_APPROVAL:
                package_approve(
                    package=agreed,
                    membership=leader,
                    expected_version=agreed.lock_version,
                    note="Akkoord, evaluatie over 3 maanden.",
                )
        except ValidationError:
            continue
        made += 1
    return made


def load(out: Any = None) -> None:
    for agb_code in DEMO_AGB:
        org = Organisation.objects.filter(agb_code=agb_code).first()
        if org is not None:
            made = _load_org(org)
            if out is not None and made:
                out.write(f"  {org.name}: {made} demo packages")
