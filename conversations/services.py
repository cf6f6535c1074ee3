"""Writes of the conversations app: conversations, the package composer, agreement,
approval, swaps. Every service owns its transaction and raises ValidationError (Dutch
messages) for input that cannot be accepted; nothing is half-saved."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.formulas import add_months
from clients.selectors import indication_in_force
from costing.selectors import year_settings
from ipvb.concurrency import StaleEdit as StaleEdit  # re-exported: views and API catch services.StaleEdit
from ipvb.concurrency import apply_changes, bump_version, lock_for_update, save_changed
from ipvb.formatting import money
from ipvb.validators import validate_care_date

from . import formulas
from .models import Conversation, Package, PackageLine, PackageSwap
from .selectors import current_agreed, lines_of, open_package, price_package

DEFAULT_REVIEW_MONTHS = 6


def default_review_date(*, organisation: Any, on_date: datetime.date) -> datetime.date:
    settings = year_settings(organisation=organisation, year=on_date.year)
    months = getattr(settings, "review_interval_months", None) or DEFAULT_REVIEW_MONTHS
    return add_months(on_date, int(months))


# Conversations ------------------------------------------------------------------------------


def _check_participants(*, client: Any, contact_persons: list[Any], professionals: list[Any]) -> None:
    if any(person.client_id != client.pk for person in contact_persons):
        raise ValidationError({"contact_persons": _("Deze contactpersoon hoort niet bij deze cliënt.")})
    from ipvb.models import Membership

    member_ids = set(
        Membership.objects.for_organisation(client.organisation_id)
        .filter(is_active=True)
        .values_list("user_id", flat=True)
    )
    if any(user.pk not in member_ids for user in professionals):
        raise ValidationError({"professionals": _("Deze professional werkt niet bij uw organisatie.")})


@transaction.atomic
def conversation_save(
    *,
    conversation: Conversation | None = None,
    client: Any,
    by: Any,
    data: dict[str, Any],
    contact_persons: list[Any] = (),  # type: ignore[assignment]
    professionals: list[Any] = (),  # type: ignore[assignment]
) -> Conversation:
    """Creates or updates a conversation. With an outcome it is completed: an outcome other
    than agreement needs a reason; the next review date defaults from the settings."""
    contact_persons, professionals = list(contact_persons), list(professionals)
    _check_participants(client=client, contact_persons=contact_persons, professionals=professionals)
    if conversation is None:
        conversation = Conversation(organisation_id=client.organisation_id, client=client, created_by=by)
    elif conversation.client_id != client.pk:
        raise ValidationError(_("Dit gesprek hoort bij een andere cliënt."))
    for name, value in data.items():
        setattr(conversation, name, value)
    for name in (
        "held_at",
        "next_review_date",
    ):  # the plausible range (ipvb.validators), before date arithmetic
        try:
            validate_care_date(getattr(conversation, name))
        except ValidationError as exc:
            raise ValidationError({name: exc.messages}) from exc
    errors: dict[str, str] = {}
    if conversation.outcome:
        if conversation.outcome != Conversation.Outcome.AGREED and not conversation.outcome_reason.strip():
            errors["outcome_reason"] = _("Geef een reden als er (nog) geen volledige overeenstemming is.")
        conversation.status = Conversation.Status.COMPLETED
        if conversation.next_review_date is None:
            held = timezone.localdate(conversation.held_at)
            conversation.next_review_date = default_review_date(
                organisation=client.organisation_id, on_date=held
            )
    else:
        conversation.status = Conversation.Status.PREPARED
    if conversation.next_review_date and conversation.next_review_date < timezone.localdate(
        conversation.held_at
    ):
        errors["next_review_date"] = _("De volgende evaluatie ligt na de datum van het gesprek.")
    if errors:
        raise ValidationError(errors)
    conversation.full_clean(exclude=["contact_persons", "professionals"])
    conversation.save()
    conversation.contact_persons.set(contact_persons)
    conversation.professionals.set(professionals or [by])
    return conversation


# The composer ------------------------------------------------------------------------------


def _lock(package: Package, expected_version: int | None, *, editable: bool = True) -> Package:
    """Re-reads the package under ``select_for_update`` and checks nobody changed it since
    ``expected_version`` (required: without it a colleague's change could be lost)."""
    locked = lock_for_update(
        Package,
        pk=package.pk,
        organisation=package.organisation_id,
        expected_version=expected_version,
        message=_(
            "Een collega heeft dit pakket intussen gewijzigd. Uw wijziging is niet opgeslagen maar staat "
            "hieronder nog klaar: bekijk het bijgewerkte pakket en sla uw wijziging opnieuw op."
        ),
    )
    if editable and not locked.is_editable:
        raise ValidationError(_("Dit pakket is geen concept meer en kan niet worden gewijzigd."))
    return locked


def _bump(package: Package, *seen_by: Package) -> None:
    """Increments the locked package's version; the caller's copies follow, so a caller making
    several changes in a row sends the version its own last change produced."""
    bump_version(package)
    for copy in seen_by:
        copy.lock_version = package.lock_version


def package_start_draft(*, client: Any, by: Any, start_date: datetime.date | None = None) -> Package:
    """Opens a draft that starts from the agreed package (or empty), or returns the client's
    open package. One open package per client."""
    return package_draft_get_or_start(client=client, by=by, start_date=start_date)[0]


@transaction.atomic
def package_draft_get_or_start(
    *, client: Any, by: Any, start_date: datetime.date | None = None
) -> tuple[Package, bool]:
    """The client's open package and False, or a new draft and True. The client row is locked
    first, so concurrent starts for one client queue up and all get the same draft."""
    from clients.models import Client

    client = Client.objects.for_organisation(client.organisation_id).select_for_update().get(pk=client.pk)
    existing = open_package(client=client)
    if existing is not None:
        return existing, False
    if not client.is_active:
        raise ValidationError(_("Deze cliënt is uitgeschreven; er kan geen nieuw pakket worden gemaakt."))
    base = current_agreed(client=client)
    last = (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client)
        .aggregate(m=Max("version"))["m"]
        or 0
    )
    start = start_date or timezone.localdate()
    if base is not None and start <= base.start_date:
        start = base.start_date + datetime.timedelta(days=1)
    draft = Package.objects.create(
        organisation_id=client.organisation_id,
        client=client,
        version=last + 1,
        based_on=base,
        start_date=start,
        created_by=by,
    )
    if base is not None:
        PackageLine.objects.bulk_create(
            [
                PackageLine(
                    organisation_id=client.organisation_id,
                    package=draft,
                    activity_id=line.activity_id,
                    addon_item_id=line.addon_item_id,
                    minutes=line.minutes,
                    occurrences_per_week=line.occurrences_per_week,
                    staff_level_id=line.staff_level_id,
                    quantity_per_month=line.quantity_per_month,
                    funding=line.funding,
                    wanted=line.wanted,
                    necessary=line.necessary,
                    wlz_eligible=line.wlz_eligible,
                    note=line.note,
                    position=line.position,
                )
                for line in lines_of(package=base)
            ]
        )
    return draft, True


def _validate_activity_line(
    *,
    package: Package,
    activity: Any,
    minutes: int | None,
    occurrences: int | None,
    staff_level: Any,
    funding: str,
) -> None:
    errors: dict[str, str] = {}
    if activity is None:
        errors["activity"] = _("Kies een activiteit uit de catalogus.")
    elif activity.organisation_id != package.organisation_id:
        errors["activity"] = _("Deze activiteit bestaat niet.")
    elif not activity.is_active_on(package.start_date):
        errors["activity"] = _("%(activity)s is niet actief op %(date)s.") % {
            "activity": activity,
            "date": package.start_date.strftime("%d-%m-%Y"),
        }
    if minutes is None or minutes <= 0:
        errors["minutes"] = _("Het aantal minuten moet groter dan 0 zijn.")
    if occurrences is None or occurrences <= 0:
        errors["occurrences_per_week"] = _("Het aantal keer per week moet groter dan 0 zijn.")
    if not errors and minutes * occurrences > formulas.MINUTES_PER_WEEK:
        errors["minutes"] = _("%(minutes)s minuten × %(times)s keer is meer dan de 168 uur van een week.") % {
            "minutes": minutes,
            "times": occurrences,
        }
    if staff_level is not None and staff_level.organisation_id != package.organisation_id:
        errors["staff_level"] = _("Dit niveau bestaat niet.")
    if funding not in PackageLine.Funding.values:
        errors["funding"] = _("Kies budget of eigen betaling.")
    if errors:
        raise ValidationError(errors)


def _can_change_level(membership: Any) -> bool:
    from ipvb.roles import Role

    return membership.has_role(Role.TEAM_LEADER)


@transaction.atomic
def package_line_add(
    *,
    package: Package,
    membership: Any,
    expected_version: int | None,
    activity: Any = None,
    addon_item: Any = None,
    minutes: int | None = None,
    occurrences_per_week: int | None = None,
    staff_level: Any = None,
    quantity_per_month: Decimal | None = None,
    funding: str = PackageLine.Funding.BUDGET,
    wanted: bool = True,
    necessary: bool = True,
    wlz_eligible: bool | None = None,
    note: str = "",
) -> PackageLine:
    loaded = package
    package = _lock(package, expected_version)
    position = (package.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    if addon_item is not None:
        if addon_item.organisation_id != package.organisation_id or not addon_item.is_active_on(
            package.start_date
        ):
            raise ValidationError(
                {"addon_item": _("Dit bijkoopartikel is niet beschikbaar op de ingangsdatum.")}
            )
        if quantity_per_month is None or quantity_per_month <= 0:
            raise ValidationError({"quantity_per_month": _("Het aantal per maand moet groter dan 0 zijn.")})
        line = PackageLine(
            organisation_id=package.organisation_id,
            package=package,
            addon_item=addon_item,
            quantity_per_month=quantity_per_month,
            funding=PackageLine.Funding.PRIVATE,
            wanted=True,
            necessary=False,
            wlz_eligible=False,
            note=note,
            position=position,
        )
    else:
        if activity is not None and (minutes is None or minutes == ""):
            minutes = activity.default_minutes
        if staff_level is None and activity is not None:
            staff_level = activity.default_level
        elif (
            activity is not None
            and staff_level.pk != activity.default_level_id
            and not _can_change_level(membership)
        ):
            raise ValidationError({"staff_level": _("Alleen een teamleider kan het niveau wijzigen.")})
        _validate_activity_line(
            package=package,
            activity=activity,
            minutes=minutes,
            occurrences=occurrences_per_week,
            staff_level=staff_level,
            funding=funding,
        )
        line = PackageLine(
            organisation_id=package.organisation_id,
            package=package,
            activity=activity,
            minutes=minutes,
            occurrences_per_week=occurrences_per_week,
            staff_level=staff_level,
            funding=funding,
            wanted=wanted,
            necessary=necessary,
            wlz_eligible=activity.wlz_eligible if wlz_eligible is None else wlz_eligible,
            note=note,
            position=position,
        )
    line.full_clean()
    line.save()
    _bump(package, loaded)
    return line


@transaction.atomic
def package_line_update(
    *, line: PackageLine, membership: Any, expected_version: int | None, **changes: Any
) -> PackageLine:
    """Changes fields of one line. The package is locked at the version the editor read, the line
    is re-read under the lock and only the fields that really change are saved."""
    loaded = line.package
    package = _lock(loaded, expected_version)
    line = (
        PackageLine.objects.for_organisation(package.organisation_id)
        .select_for_update(of=("self",))
        .select_related("activity", "staff_level")
        .get(pk=line.pk, package=package)
    )
    if "staff_level" in changes and changes["staff_level"] is not None and line.activity is not None:
        new_level = changes["staff_level"]
        if new_level.pk != line.staff_level_id and not _can_change_level(membership):
            raise ValidationError({"staff_level": _("Alleen een teamleider kan het niveau wijzigen.")})
    changed = apply_changes(line, changes)
    if not changed:
        return line
    if line.activity is not None:
        _validate_activity_line(
            package=package,
            activity=line.activity,
            minutes=line.minutes,
            occurrences=line.occurrences_per_week,
            staff_level=line.staff_level,
            funding=line.funding,
        )
    elif line.quantity_per_month is None or line.quantity_per_month <= 0:
        raise ValidationError({"quantity_per_month": _("Het aantal per maand moet groter dan 0 zijn.")})
    line.full_clean()
    save_changed(line, changed)
    _bump(package, loaded)
    return line


@transaction.atomic
def package_line_remove(*, line: PackageLine, expected_version: int | None) -> None:
    package = _lock(line.package, expected_version)
    PackageLine.objects.for_organisation(package.organisation_id).filter(pk=line.pk, package=package).delete()
    _bump(package, line.package)


@transaction.atomic
def package_set_start(
    *, package: Package, expected_version: int | None, start_date: datetime.date
) -> Package:
    loaded = package
    package = _lock(package, expected_version)
    save_changed(package, apply_changes(package, {"start_date": start_date}))
    _bump(package, loaded)
    return package


# Agreement and approval ---------------------------------------------------------------------


def _snapshot(package: Package) -> formulas.Totals:
    """Freezes line prices and totals on the package (history never changes)."""
    pricing = price_package(package=package)
    if pricing.problems:
        raise ValidationError(pricing.problems)
    for priced in pricing.lines:
        priced.line.rate = priced.rate
        priced.line.cost_per_week = priced.cost_per_week
        priced.line.monthly_cost = priced.monthly_cost
    PackageLine.objects.for_organisation(package.organisation_id).bulk_update(
        [p.line for p in pricing.lines], ["rate", "cost_per_week", "monthly_cost"]
    )
    package.personal_budget = pricing.totals.budget
    package.total = pricing.totals.total
    package.private_per_month = pricing.totals.private_per_month
    package.tolerance_pct = pricing.tolerance_pct
    return pricing.totals


def _finalise(package: Package, *, agreed_by: Any) -> None:
    previous = current_agreed(client=package.client)
    if previous is not None and previous.pk != package.pk:
        if package.start_date <= previous.start_date:
            raise ValidationError(
                {
                    "start_date": _(
                        "De ingangsdatum moet na de ingangsdatum (%(date)s) van het huidige pakket liggen."
                    )
                    % {"date": previous.start_date.strftime("%d-%m-%Y")}
                }
            )
        previous.status = Package.Status.SUPERSEDED
        previous.end_date = package.start_date - datetime.timedelta(days=1)
        previous.save(update_fields=["status", "end_date", "updated_at"])
    package.status = Package.Status.AGREED
    package.agreed_by = agreed_by
    package.agreed_at = timezone.now()


@transaction.atomic
def package_agree(
    *,
    package: Package,
    membership: Any,
    conversation: Conversation | None,
    expected_version: int | None,
    start_date: datetime.date | None = None,
    overrun_reason: str = "",
    review_date: datetime.date | None = None,
) -> Package:
    """Agrees a draft in a conversation. Within budget: agreed. Over budget within the
    tolerance: agreed with a written reason. Beyond: sent to a team leader for approval."""
    package = _lock(package, expected_version)
    user = membership.user
    if conversation is None:
        raise ValidationError(
            {"conversation": _("Een pakket wordt afgesproken in een gesprek: kies het gesprek.")}
        )
    if conversation.client_id != package.client_id or conversation.organisation_id != package.organisation_id:
        raise ValidationError({"conversation": _("Dit gesprek hoort niet bij deze cliënt.")})
    if not conversation.supports_agreement:
        raise ValidationError(
            {
                "conversation": _(
                    "Het gesprek moet zijn afgerond met (gedeeltelijke) overeenstemming voordat het pakket wordt "
                    "afgesproken."
                )
            }
        )
    if start_date is not None:
        package.start_date = start_date
    if not lines_of(package=package):
        raise ValidationError(_("Het pakket heeft nog geen regels."))
    indication = indication_in_force(client=package.client, on_date=package.start_date)
    if indication is None:
        raise ValidationError(
            {
                "start_date": _(
                    "Op de ingangsdatum %(date)s is geen indicatie van kracht; het pakket kan niet eerder ingaan dan de "
                    "indicatie."
                )
                % {"date": package.start_date.strftime("%d-%m-%Y")}
            }
        )
    pricing = price_package(package=package)
    if pricing.budget is None or not pricing.budget.is_complete:
        missing = pricing.budget.missing if pricing.budget else []
        raise ValidationError([_("Het budget kan niet worden berekend.")] + [str(m) for m in missing])
    state = pricing.latitude
    reason = overrun_reason.strip()
    if state is not formulas.Latitude.WITHIN_BUDGET and not reason:
        raise ValidationError(
            {
                "overrun_reason": _(
                    "Het pakket is %(over)s per week duurder dan het budget: geef een schriftelijke reden."
                )
                % {"over": money(pricing.totals.overrun_amount)}
            }
        )
    package.conversation = conversation
    package.overrun_reason = reason
    package.review_date = (
        review_date
        or conversation.next_review_date
        or default_review_date(organisation=package.organisation_id, on_date=package.start_date)
    )
    if package.review_date <= package.start_date:
        raise ValidationError({"review_date": _("De evaluatiedatum ligt na de ingangsdatum.")})
    _snapshot(package)
    package.submitted_by = user
    package.submitted_at = timezone.now()
    package.sent_back_reason = ""
    if state is formulas.Latitude.BEYOND_TOLERANCE:
        package.status = Package.Status.PENDING_APPROVAL
    else:
        _finalise(package, agreed_by=user)
    package.lock_version += 1
    package.save()
    return package


def _check_approver(package: Package, membership: Any) -> None:
    from ipvb.roles import Role

    if package.status != Package.Status.PENDING_APPROVAL:
        raise ValidationError(_("Dit pakket wacht niet op goedkeuring."))
    if not membership.has_role(Role.TEAM_LEADER):
        raise ValidationError(_("Alleen een teamleider kan een overschrijding goedkeuren."))
    if package.submitted_by_id == membership.user_id:
        raise ValidationError(
            _("U kunt uw eigen overschrijding niet goedkeuren; vraag een andere teamleider.")
        )


@transaction.atomic
def package_approve(
    *, package: Package, membership: Any, expected_version: int | None, note: str = ""
) -> Package:
    """A team leader approves the overrun of the version they reviewed (``expected_version``)."""
    package = _lock(package, expected_version, editable=False)
    _check_approver(package, membership)
    _finalise(package, agreed_by=package.submitted_by)
    package.approved_by = membership.user
    package.approved_at = timezone.now()
    if note:
        package.overrun_reason = f"{package.overrun_reason}\n{note}".strip()
    package.lock_version += 1
    package.save()
    return package


@transaction.atomic
def package_send_back(
    *, package: Package, membership: Any, expected_version: int | None, reason: str
) -> Package:
    package = _lock(package, expected_version, editable=False)
    _check_approver(package, membership)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom het pakket wordt teruggestuurd.")})
    package.status = Package.Status.DRAFT
    package.sent_back_reason = reason.strip()
    package.sent_back_by = membership.user
    PackageLine.objects.for_organisation(package.organisation_id).filter(package=package).update(
        rate=None, cost_per_week=None, monthly_cost=None
    )
    package.personal_budget = package.total = package.private_per_month = None
    package.lock_version += 1
    package.save()
    return package


@transaction.atomic
def package_swap_record(
    *, package: Package, by: Any, week_of: datetime.date, replaced: Any, replacement: Any, note: str = ""
) -> PackageSwap:
    """Records that an activity was swapped for another within one week (no new conversation)."""
    if package.status not in (Package.Status.AGREED, Package.Status.SUPERSEDED):
        raise ValidationError(_("Ruilen kan alleen binnen een afgesproken pakket."))
    in_package = {line.activity_id for line in lines_of(package=package) if line.activity_id}
    if replaced.pk not in in_package:
        raise ValidationError({"replaced": _("Deze activiteit staat niet in het pakket.")})
    if replacement.organisation_id != package.organisation_id or not replacement.is_active_on(week_of):
        raise ValidationError({"replacement": _("Deze activiteit is niet beschikbaar in die week.")})
    if replacement.pk == replaced.pk:
        raise ValidationError({"replacement": _("Kies een andere activiteit dan de vervallen activiteit.")})
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    this_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    if monday > this_monday + datetime.timedelta(days=7):
        raise ValidationError(
            {
                "week_of": _(
                    "Een ruil legt u vast voor deze week, de komende week of een voorbije week; de week van "
                    "%(week)s ligt te ver vooruit."
                )
                % {"week": monday.strftime("%d-%m-%Y")}
            }
        )
    if week_of < package.start_date:
        raise ValidationError(
            {
                "week_of": _(
                    "De week van %(week)s ligt vóór de ingangsdatum van dit pakket (%(start)s); kies een week "
                    "waarin dit pakket gold."
                )
                % {"week": monday.strftime("%d-%m-%Y"), "start": package.start_date.strftime("%d-%m-%Y")}
            }
        )
    if package.end_date and week_of > package.end_date:
        raise ValidationError(
            {
                "week_of": _(
                    "De week van %(week)s ligt na de einddatum van dit pakket (%(end)s); leg de ruil vast in "
                    "het pakket dat toen gold."
                )
                % {"week": monday.strftime("%d-%m-%Y"), "end": package.end_date.strftime("%d-%m-%Y")}
            }
        )
    swap = PackageSwap(
        organisation_id=package.organisation_id,
        package=package,
        week_of=week_of - datetime.timedelta(days=week_of.weekday()),
        replaced=replaced,
        replacement=replacement,
        note=note,
        recorded_by=by,
    )
    swap.full_clean()
    swap.save()
    return swap


def swap_warnings(*, package: Package, replaced: Any, replacement: Any) -> list[str]:
    """What a professional should double-check: a swap for an activity of another kind, or one
    delivered at another staff level (medication for a living-room programme)."""
    warnings = []
    if replaced.category != replacement.category:
        warnings.append(
            _(
                "Let op: %(new)s is een ander soort activiteit (%(new_kind)s) dan %(old)s (%(old_kind)s). "
                "Controleer of de zorg die vervalt echt niet nodig is."
            )
            % {
                "new": replacement.name,
                "new_kind": replacement.get_category_display(),
                "old": replaced.name,
                "old_kind": replaced.get_category_display(),
            }
        )
    old_levels = {
        line.staff_level_id for line in lines_of(package=package) if line.activity_id == replaced.pk
    }
    if replacement.default_level_id not in old_levels:
        warnings.append(
            _("Let op: %(new)s wordt op een ander functieniveau gegeven dan %(old)s.")
            % {"new": replacement.name, "old": replaced.name}
        )
    return warnings
