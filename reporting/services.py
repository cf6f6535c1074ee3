"""Writes of reporting: the actual staffing (formatie) a team leader enters (section 8).
History is kept: every entry is a new row with its effective date."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from costing.models import StaffLevel
from ipvb.models import Department, Membership, Organisation, User

from .models import ActualStaffing

MAX_FTE = Decimal("1000")
MAX_PAST_DAYS = 2 * 366
MAX_FUTURE_DAYS = 366


def validate_staffing(
    *,
    organisation: Organisation,
    membership: Membership,
    department: Department,
    staff_level: StaffLevel,
    fte: Decimal,
    effective_from: datetime.date | None,
    today: datetime.date | None = None,
) -> Decimal:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    org_id = organisation.pk
    if not isinstance(department, Department) or department.organisation_id != org_id:
        errors["department"] = [_("Kies een afdeling van uw eigen organisatie.")]
    elif membership is not None and department.pk not in [
        d.pk for d in membership.restrict_departments(Department.objects.for_organisation(org_id))
    ]:
        errors["department"] = [_("U kunt alleen de formatie van uw eigen afdelingen invoeren.")]
    if not isinstance(staff_level, StaffLevel) or staff_level.organisation_id != org_id:
        errors["staff_level"] = [_("Kies een functieniveau van uw eigen organisatie.")]
    amount = fte
    if not amount.is_finite():
        errors["fte"] = [_("Vul het aantal fte in als getal, bijvoorbeeld 4,5.")]
    elif amount < 0:
        errors["fte"] = [_("De werkelijke formatie kan niet negatief zijn.")]
    elif amount > MAX_FTE:
        errors["fte"] = [
            _("Meer dan 1.000 fte op één niveau van één afdeling is niet aannemelijk; controleer de invoer.")
        ]
    elif amount != amount.quantize(Decimal("0.01")):
        errors["fte"] = [_("Vul de formatie in met hoogstens twee decimalen.")]
    if effective_from is None:
        errors["effective_from"] = [_("Vul de ingangsdatum in.")]
    elif effective_from < today - datetime.timedelta(days=MAX_PAST_DAYS):
        errors["effective_from"] = [_("De ingangsdatum ligt meer dan twee jaar in het verleden.")]
    elif effective_from > today + datetime.timedelta(days=MAX_FUTURE_DAYS):
        errors["effective_from"] = [_("De ingangsdatum ligt meer dan een jaar in de toekomst.")]
    if errors:
        raise ValidationError(errors)
    return amount


@transaction.atomic
def actual_staffing_record(
    *,
    organisation: Organisation,
    membership: Membership,
    department: Department,
    staff_level: StaffLevel,
    fte: Decimal,
    effective_from: datetime.date | None,
    note: str = "",
    by: User | None = None,
) -> ActualStaffing:
    amount = validate_staffing(
        organisation=organisation,
        membership=membership,
        department=department,
        staff_level=staff_level,
        fte=fte,
        effective_from=effective_from,
    )
    return ActualStaffing.objects.create(
        organisation=organisation,
        department=department,
        staff_level=staff_level,
        fte=amount,
        effective_from=effective_from,
        note=note[:300],
        entered_by=by,
    )
