"""Writes that end a draft: agreement in a conversation (prices and totals frozen on the
package), and a team leader's approval or sending back of a package beyond the tolerance."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.selectors import indication_in_force
from ipvb.formatting import money
from ipvb.roles import Role

from . import formulas
from .models import Conversation, Package, PackageLine
from .packages import lock_package
from .pricing import price_package
from .selectors import current_agreed, lines_of
from .services import default_review_date

if TYPE_CHECKING:
    from ipvb.models import Membership, User


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


def _finalise(package: Package, *, agreed_by: User | None) -> None:
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
    membership: Membership,
    conversation: Conversation | None,
    expected_version: int | None,
    start_date: datetime.date | None = None,
    overrun_reason: str = "",
    review_date: datetime.date | None = None,
) -> Package:
    """Agrees a draft in a conversation. Within budget: agreed. Over budget within the
    tolerance: agreed with a written reason. Beyond: sent to a team leader for approval."""
    package = lock_package(package, expected_version)
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


def _check_approver(package: Package, membership: Membership) -> None:
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
    *, package: Package, membership: Membership, expected_version: int | None, note: str = ""
) -> Package:
    """A team leader approves the overrun of the version they reviewed (``expected_version``)."""
    package = lock_package(package, expected_version, editable=False)
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
    *, package: Package, membership: Membership, expected_version: int | None, reason: str
) -> Package:
    package = lock_package(package, expected_version, editable=False)
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
