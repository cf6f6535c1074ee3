"""Writes of an organisation's costing settings: staff levels, year settings and group-bound
care. (The versioned cost-price model is in ``cost_models``, the national tariff table in
``tariffs``.) Every function owns its transaction, takes parsed values (Decimals from the form
or serializer) and raises Django's ValidationError with a Dutch message; on error nothing is
saved."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import GroupCare, OrganisationYearSettings, StaffLevel

if TYPE_CHECKING:
    from ipvb.models import Department, Organisation, User

# The values of a year's settings besides the year: Decimals, whole numbers, the reference level.
YearSettingsValues = Mapping[str, Decimal | int | StaffLevel | None]


# Staff levels -------------------------------------------------------------------------------


@transaction.atomic
def staff_level_save(
    *, organisation: Organisation, code: str, name: str, order: int = 0, level: StaffLevel | None = None
) -> StaffLevel:
    code = code.strip().lower()
    clash = StaffLevel.objects.for_organisation(organisation).filter(code=code)
    if level is not None:
        clash = clash.exclude(pk=level.pk)
    if clash.exists():
        raise ValidationError({"code": _("Er is al een functieniveau met deze code.")})
    if level is None:
        level = StaffLevel(organisation=organisation)
    level.code, level.name, level.order = code, name.strip(), order
    level.full_clean()
    level.save()
    return level


# Year settings -----------------------------------------------------------------------------


@transaction.atomic
def year_settings_save(
    *,
    organisation: Organisation,
    user: User | None,
    year: int,
    values: YearSettingsValues,
    settings: OrganisationYearSettings | None = None,
) -> OrganisationYearSettings:
    existing = OrganisationYearSettings.objects.for_organisation(organisation).filter(year=year)
    if settings is not None:
        existing = existing.exclude(pk=settings.pk)
    if existing.exists():
        raise ValidationError({"year": _("Er zijn al jaarinstellingen voor %(year)s.") % {"year": year}})
    reference = values.get("reference_level")
    if isinstance(reference, StaffLevel) and reference.organisation_id != organisation.pk:
        raise ValidationError({"reference_level": _("Dit functieniveau hoort niet bij uw organisatie.")})
    if settings is None:
        settings = OrganisationYearSettings(organisation=organisation)
    settings.year = year
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_by = user
    settings.full_clean()
    settings.save()
    return settings


# Group-bound care ------------------------------------------------------------------------------


@transaction.atomic
def group_care_save(
    *, department: Department, year: int, hours: Mapping[StaffLevel, Decimal | None]
) -> list[GroupCare]:
    """Sets the group-bound hours per week per level of a department and year (0 or empty
    removes the level). All valid or nothing saved."""
    errors: list[str] = []
    clean: dict[StaffLevel, Decimal] = {}
    for level, value in hours.items():
        if level.organisation_id != department.organisation_id:
            errors.append(_("Dit functieniveau hoort niet bij uw organisatie."))
            continue
        if value is None:
            clean[level] = Decimal(0)
            continue
        if value.is_finite() and value >= 0:
            clean[level] = value
            continue
        problem = (
            _("%(label)s is geen getal.") if not value.is_finite() else _("%(label)s kan niet negatief zijn.")
        )
        errors.append(
            _("Uren voor %(level)s: %(error)s")
            % {"level": level.name, "error": problem % {"label": level.name}}
        )
    if errors:
        raise ValidationError(errors)
    rows = []
    scoped = GroupCare.objects.for_organisation(department.organisation_id)
    for level, number in clean.items():
        if number == 0:
            scoped.filter(department=department, year=year, staff_level=level).delete()
            continue
        row, _created = scoped.update_or_create(
            organisation_id=department.organisation_id,
            department=department,
            year=year,
            staff_level=level,
            defaults={"hours_per_week": number},
        )
        rows.append(row)
    return rows
