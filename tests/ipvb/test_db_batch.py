"""ipvb.db_batch: several querysets in one round trip give exactly what each gives on its own,
and a BatchTemplate reuses its compiled SQL with new values (issue 16)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations.composer_pricing import _COMPOSER, composer_data
from conversations.models import Package, PackageLine
from conversations.packages import package_line_add
from conversations.pricing import price_package
from conversations.selectors import lines_of
from costing.models import ModelLevel, OrganisationYearSettings, StaffLevel
from ipvb.db_batch import BatchTemplate, fetch_together
from ipvb.roles import Role

from .. import examples as ex
from ..conversations.test_services import _example_package


def _fields(obj: object) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}  # type: ignore[attr-defined]


def _same(a: list, b: list) -> None:
    assert [type(x) for x in a] == [type(y) for y in b]
    assert [_fields(x) for x in a] == [_fields(y) for y in b]


def test_fetch_together_equals_each_queryset_in_one_query(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    data, draft = _example_package(world, membership)
    organisation = draft.organisation_id
    querysets = [
        PackageLine.objects.for_organisation(organisation)
        .filter(package=draft)
        .select_related("activity", "activity__default_level", "staff_level", "package")
        .order_by("position", "pk"),
        OrganisationYearSettings.objects.for_organisation(organisation).select_related("reference_level"),
        ModelLevel.objects.for_organisation(organisation)
        .select_related("model", "staff_level")
        .order_by("pk"),
        StaffLevel.objects.for_organisation(organisation).filter(code="no such level"),  # empty
        StaffLevel.objects.for_organisation(organisation).none(),  # evaluated on its own
        Package.objects.for_organisation(organisation).filter(pk=draft.pk).values("pk", "start_date"),
        Package.objects.for_organisation(organisation).filter(pk=draft.pk).values_list("pk", "start_date"),
        Package.objects.for_organisation(organisation).filter(pk=draft.pk).values_list("pk", flat=True),
    ]
    with CaptureQueriesContext(connection) as queries:
        together = fetch_together(*querysets)
    sql = [q["sql"] for q in queries.captured_queries if "set_config" not in q["sql"]]
    assert len(sql) == 1 and "json_agg" in sql[0]
    separately = [list(qs.all()) for qs in querysets]
    for got, expected in zip(together[:5], separately[:5], strict=True):
        _same(got, expected)
    assert together[5] == separately[5] == [{"pk": draft.pk, "start_date": draft.start_date}]
    assert together[6] == separately[6] == [(draft.pk, draft.start_date)]
    assert together[7] == separately[7] == [draft.pk]
    lines, settings, levels = together[0], together[1], together[2]
    assert len(lines) == len(ex.EXAMPLE_LINES) and all(line.activity is not None for line in lines)
    # Types as psycopg gives them: dates, Decimals, related objects.
    assert isinstance(lines[0].package.start_date, datetime.date)
    assert isinstance(settings[0].contract_percentage, Decimal)
    assert all(isinstance(level.salary, Decimal) and level.model.pk for level in levels)
    assert together[3] == [] and together[4] == []
    assert data["client"].pk == draft.client_id


def test_batch_template_reuses_its_sql_with_new_values(world) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(Role.CARE_PROFESSIONAL)
    _data, draft = _example_package(world, membership)
    organisation = draft.organisation_id

    def build(shape: str, *, organisation: int, package: int, on_date: datetime.date) -> list:
        return [
            PackageLine.objects.for_organisation(organisation).filter(package_id=package).order_by("pk"),
            Package.objects.for_organisation(organisation).filter(pk=package, start_date__lte=on_date),
        ]

    template = BatchTemplate(build)
    empty = template.fetch(
        "x", organisation=organisation, package=draft.pk, on_date=datetime.date(2000, 1, 1)
    )
    assert len(empty[0]) == draft.lines.count() and empty[1] == []
    with CaptureQueriesContext(connection) as queries:
        full = template.fetch("x", organisation=organisation, package=draft.pk, on_date=draft.start_date)
    assert [p.pk for p in full[1]] == [draft.pk]
    assert len([q for q in queries.captured_queries if "set_config" not in q["sql"]]) == 1
    assert template._templates["x"] is not False  # compiled once, reused

    def computed(shape: str, *, organisation: int, package: int, on_date: datetime.date) -> list:
        # A value used in Python (the year) instead of as a parameter: never cached.
        return [
            Package.objects.for_organisation(organisation).filter(pk=package, start_date__year=on_date.year)
        ]

    unsafe = BatchTemplate(computed)
    got = unsafe.fetch("y", organisation=organisation, package=draft.pk, on_date=draft.start_date)
    assert unsafe._templates["y"] is False and [p.pk for p in got[0]] == [draft.pk]


def test_composer_data_prices_like_price_package(world) -> None:  # type: ignore[no-untyped-def]
    """The composer's one-query pricing gives the figures of price_package with its own lookups,
    for a draft with activity lines and an add-on, and for a client without a department."""
    membership = world.membership(Role.TEAM_LEADER)
    data, draft = _example_package(world, membership)
    addon = data["addon"]
    package_line_add(
        package=draft,
        membership=membership,
        expected_version=draft.lock_version,
        addon_item=addon,
        quantity_per_month=Decimal("2"),
    )
    draft = (
        Package.objects.for_organisation(draft.organisation_id)
        .select_related("client__department")
        .get(pk=draft.pk)
    )
    expected = price_package(package=draft, lines=lines_of(package=draft))
    with CaptureQueriesContext(connection) as queries:
        got = composer_data(package=draft, staff_levels=True)
    assert len([q for q in queries.captured_queries if "set_config" not in q["sql"]]) == 1
    assert got.pricing.totals == expected.totals
    assert got.pricing.budget is not None and expected.budget is not None
    assert got.pricing.budget.personal_budget == expected.budget.personal_budget
    assert [(p.line.pk, p.rate, p.cost_per_week, p.monthly_cost, p.problem) for p in got.pricing.lines] == [
        (p.line.pk, p.rate, p.cost_per_week, p.monthly_cost, p.problem) for p in expected.lines
    ]
    assert (
        any(p.line.addon_item_id for p in got.pricing.lines)
        and got.pricing.tolerance_pct == expected.tolerance_pct
    )
    assert [level.pk for level in got.staff_levels] == list(
        StaffLevel.objects.for_organisation(draft.organisation_id)
        .order_by("order", "name")
        .values_list("pk", flat=True)
    )
    assert _COMPOSER._templates[(True, True, False)] is not False  # compiled once, reused

    # Without a department: the budget says what is missing, as price_package does.
    client = draft.client
    client.department = None
    draft.client = client
    expected = price_package(package=draft, lines=lines_of(package=draft))
    got = composer_data(package=draft, staff_levels=False)
    assert got.pricing.budget is not None and expected.budget is not None
    assert got.pricing.budget.missing == expected.budget.missing and got.pricing.budget.missing
    assert got.staff_levels == []
