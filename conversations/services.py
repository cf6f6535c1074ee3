"""Writes of the conversation record: a conversation held (or prepared) with a client and the
next review date. The package writes live in ``packages`` (the composer), ``approvals``
(agreement, approval) and ``swaps``. Every service owns its transaction and raises
ValidationError (Dutch messages) for input that cannot be accepted; nothing is half-saved."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.formulas import add_months
from costing.selectors import year_settings
from ipvb.validators import validate_care_date

from .models import Conversation

if TYPE_CHECKING:
    from clients.models import Client, ContactPerson
    from ipvb.models import Organisation, User


class ConversationData(TypedDict, total=False):
    """The fields of a conversation a form or the API may set (a PATCH sends some of them)."""

    held_at: datetime.datetime
    kind: str
    client_present: bool
    wishes: str
    assessment: str
    agreements: str
    outcome: str
    outcome_reason: str
    next_review_date: datetime.date | None


DEFAULT_REVIEW_MONTHS = 6


def default_review_date(*, organisation: Organisation | int, on_date: datetime.date) -> datetime.date:
    settings = year_settings(organisation=organisation, year=on_date.year)
    months = getattr(settings, "review_interval_months", None) or DEFAULT_REVIEW_MONTHS
    return add_months(on_date, int(months))


def _check_participants(
    *, client: Client, contact_persons: list[ContactPerson], professionals: list[User]
) -> None:
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
    client: Client,
    by: User,
    data: ConversationData,
    contact_persons: Iterable[ContactPerson] = (),
    professionals: Iterable[User] = (),
) -> Conversation:
    """Creates or updates a conversation. With an outcome it is completed: an outcome other
    than agreement needs a reason; the next review date defaults from the settings."""
    contacts, staff = list(contact_persons), list(professionals)
    _check_participants(client=client, contact_persons=contacts, professionals=staff)
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
    conversation.contact_persons.set(contacts)
    conversation.professionals.set(staff or [by])
    return conversation
