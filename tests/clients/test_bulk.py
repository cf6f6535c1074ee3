"""Bulk onboarding (issue 16): validated like the services, all or nothing, a fixed number of
queries per batch; the client import takes this path for large files; the synthetic generator
is reproducible from its seed."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients import bulk, importing, synthetic
from clients.models import Client, Indication, Placement
from conversations.models import Package, PackageLine
from ipvb.roles import Role
from tests.factories import next_bsn

from .builders import make_client
from .test_import import GOOD_ROWS, _csv, _upload

pytestmark = pytest.mark.django_db


def _row(world: Any, n: int, **overrides: Any) -> bulk.NewClient:
    values: dict[str, Any] = {
        "department": world.dept_a,
        "given_name": "Johanna",
        "family_name": f"van der Berg {n}",
        "date_of_birth": datetime.date(1938, 5, 17),
        "bsn": next_bsn(),
        "admission_date": datetime.date(2024, 2, 1),
        "indications": [
            bulk.NewIndication(
                decision_number=f"CIZ-{n}",
                care_profile="5VV",
                grondslag="psychogeriatric",
                start_date=datetime.date(2024, 2, 1),
            )
        ],
    }
    values.update(overrides)
    return bulk.NewClient(**values)


def _real(queries: Any) -> int:
    return sum(1 for query in queries.captured_queries if "set_config" not in query["sql"])


def test_bulk_creates_clients_placements_and_indications_like_the_services(world) -> None:  # type: ignore[no-untyped-def]
    rows = [_row(world, n) for n in range(3)]
    result = bulk.clients_bulk_create(organisation=world.org_a, rows=rows)
    assert result.ok and len(result.clients) == 3
    client = Client.objects.for_organisation(world.org_a).with_bsn(rows[0].bsn).get()
    assert (client.name_prefix, client.family_name) == ("van der", "Berg 0")  # split like the service
    assert client.bsn == rows[0].bsn  # encrypted at rest, found by its hash
    assert Placement.objects.for_organisation(world.org_a).get(client=client).department == world.dept_a
    assert Indication.objects.for_organisation(world.org_a).get(client=client).care_profile == "5VV"


def test_queries_do_not_grow_with_the_batch(world) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for start, size in ((0, 5), (100, 60)):
        with CaptureQueriesContext(connection) as queries:
            result = bulk.clients_bulk_create(
                organisation=world.org_a, rows=[_row(world, start + n) for n in range(size)]
            )
        assert result.ok
        counts.append(_real(queries))
    assert counts[0] == counts[1] <= 8


def test_every_bad_row_is_reported_and_nothing_is_saved(world) -> None:  # type: ignore[no-untyped-def]
    existing = make_client(world, bsn="111222333")
    first = _row(world, 1)
    rows = [
        first,
        _row(world, 2, bsn="123456789"),  # fails the 11-check
        _row(world, 3, bsn=existing.bsn),  # already in the organisation
        _row(world, 4, bsn=first.bsn),  # the same BSN as row 0
        _row(world, 5, department=world.dept_b),  # another organisation's department
        _row(world, 6, date_of_birth=datetime.date(2099, 1, 1)),
        _row(
            world,
            7,
            indications=[
                bulk.NewIndication("CIZ-a", "5VV", "psychogeriatric", datetime.date(2024, 1, 1)),
                bulk.NewIndication("CIZ-b", "6VV", "psychogeriatric", datetime.date(2024, 6, 1)),
            ],
        ),  # overlapping indications
        _row(world, 8, indications=[bulk.NewIndication("", "12VV", "x", datetime.date(2024, 1, 1))]),
    ]
    result = bulk.clients_bulk_create(organisation=world.org_a, rows=rows)
    assert not result.ok and result.clients == []
    assert set(result.errors) == {1, 2, 3, 4, 5, 6, 7}
    assert "elfproef" in result.errors[1]["bsn"][0]
    assert "al een cliënt met dit BSN" in result.errors[2]["bsn"][0]
    assert "al een cliënt met dit BSN" in result.errors[3]["bsn"][0]
    assert "hoort niet bij uw organisatie" in result.errors[4]["department"][0]
    assert "toekomst" in result.errors[5]["date_of_birth"][0]
    assert "overlapt" in result.errors[6]["start_date"][0]
    assert {"decision_number", "care_profile", "grondslag"} <= set(result.errors[7])
    assert Client.objects.for_organisation(world.org_a).count() == 1  # only the one made before


def test_a_large_import_goes_through_the_bulk_path(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    called = []
    real = bulk.clients_bulk_create

    def spy(**kwargs: Any) -> Any:
        called.append(len(kwargs["rows"]))
        return real(**kwargs)

    monkeypatch.setattr(importing, "BULK_FROM_ROWS", 2)
    monkeypatch.setattr(bulk, "clients_bulk_create", spy)
    browser = world.client(Role.ORG_ADMIN)
    token = _upload(browser, _csv(*GOOD_ROWS)).context["token"]
    assert browser.post(reverse("client_import_confirm"), {"token": token}).status_code == 302
    assert called == [3]
    clients = Client.objects.for_organisation(world.org_a)
    assert clients.count() == 3
    bakker = clients.with_bsn("123456782").get()
    assert bakker.department == world.dept_a2
    assert list(bakker.indications.order_by("start_date").values_list("care_profile", flat=True)) == [
        "4VV",
        "6VV",
    ]


def _fingerprint(seed: int) -> list[Any]:
    from ipvb.models import Organisation

    org = Organisation.objects.get(agb_code=synthetic.agb_code(seed, 0))
    return [
        sorted(
            (c.family_name, c.given_name, c.bsn, str(c.date_of_birth))
            for c in Client.objects.for_organisation(org)
        ),
        sorted(
            map(
                repr,
                Package.objects.for_organisation(org).values_list(
                    "client__bsn_hash", "version", "status", "start_date", "total", "personal_budget"
                ),
            )
        ),
        sorted(
            map(
                repr,
                PackageLine.objects.for_organisation(org).values_list(
                    "package__client__bsn_hash",
                    "package__version",
                    "position",
                    "minutes",
                    "occurrences_per_week",
                    "cost_per_week",
                    "quantity_per_month",
                ),
            )
        ),
    ]


def test_the_generator_is_reproducible_from_its_seed(db) -> None:  # type: ignore[no-untyped-def]
    today = datetime.date(2026, 11, 30)
    prints = []
    for _ in range(2):
        with transaction.atomic():
            summary = synthetic.generate(organisations=1, clients=8, seed=5, today=today)
            prints.append(_fingerprint(5))
            transaction.set_rollback(True)
    assert summary.clients == 8 and summary.packages >= 8 * 2  # 26 weeks: at least two versions each
    assert prints[0] == prints[1]
    with pytest.raises(ValueError):
        synthetic.generate(organisations=1, clients=1, seed=6, today=today)
        synthetic.generate(organisations=1, clients=1, seed=6, today=today)


def test_generated_history_is_consistent(db) -> None:  # type: ignore[no-untyped-def]
    synthetic.generate(organisations=1, clients=10, seed=8, today=datetime.date(2026, 11, 30))
    org_code = synthetic.agb_code(8, 0)
    from ipvb.models import Department, Organisation

    org = Organisation.objects.get(agb_code=org_code)
    kinds = set(Department.objects.for_organisation(org).values_list("kind", flat=True))
    assert kinds == {Department.Kind.WITH_GROUP_CARE, Department.Kind.WITHOUT_GROUP_CARE}
    for client in Client.objects.for_organisation(org):
        agreed = list(
            Package.objects.for_organisation(org)
            .filter(client=client, status__in=["agreed", "superseded"])
            .order_by("version")
        )
        assert agreed[0].start_date <= datetime.date(2026, 6, 1)  # 26 weeks of history
        assert [p.status for p in agreed][-1] == "agreed"
        for before, after in itertools.pairwise(agreed):
            assert before.end_date == after.start_date - datetime.timedelta(days=1)
        for package in agreed:
            assert package.total == sum(
                (line.cost_per_week for line in package.lines.all() if line.funding == "budget"),
                start=package.total * 0,
            )


def test_the_copy_path_writes_what_the_batches_write(world) -> None:  # type: ignore[no-untyped-def]
    """``copy=True`` (the generator: COPY as the owner role, batched INSERTs for a role under
    row-level security, as here): ids reserved and set, placements, indications, BSN found."""
    rows = [_row(world, n) for n in range(4)]
    result = bulk.clients_bulk_create(organisation=world.org_a, rows=rows, copy=True)
    assert result.ok and all(client.pk for client in result.clients)
    client = Client.objects.for_organisation(world.org_a).with_bsn(rows[2].bsn).get()
    assert client.pk == result.clients[2].pk
    assert (client.name_prefix, client.family_name, client.status) == ("van der", "Berg 2", "active")
    assert client.created_at is not None  # auto_now_add through pre_save
    assert Placement.objects.for_organisation(world.org_a).get(client=client).department == world.dept_a
    indication = Indication.objects.for_organisation(world.org_a).get(client=client)
    assert (indication.decision_number, indication.with_day_activities) == ("CIZ-2", True)


def test_insert_rows_fills_the_model_defaults(world) -> None:  # type: ignore[no-untyped-def]
    from clients.models import ContactPerson

    client = make_client(world)
    ids = bulk.reserve_ids(ContactPerson, 2)
    assert len(set(ids)) == 2
    bulk.insert_rows(
        ContactPerson,
        ("id", "organisation_id", "client_id", "name"),
        [(pk, world.org_a.pk, client.pk, f"Contact {pk}") for pk in ids],
    )
    people = ContactPerson.objects.for_organisation(world.org_a).filter(pk__in=ids)
    assert sorted(p.pk for p in people) == sorted(ids)
    default = ContactPerson._meta.get_field("role").get_default()
    assert {(p.role, p.phone, p.takes_part_in_conversations) for p in people} == {
        (default, "", ContactPerson._meta.get_field("takes_part_in_conversations").get_default())
    }


def test_generated_packages_are_priced_like_the_composer(db) -> None:  # type: ignore[no-untyped-def]
    """Every agreed version, priced again from its lines as a fresh draft by the composer's
    pricing code (budget looked up per package, not from the batch), gives the frozen totals
    and line prices."""
    from conversations.pricing import price_package
    from ipvb.models import Organisation

    synthetic.generate(organisations=1, clients=6, seed=11, today=datetime.date(2026, 11, 30))
    org = Organisation.objects.get(agb_code=synthetic.agb_code(11, 0))
    packages = (
        Package.objects.for_organisation(org)
        .exclude(status="draft")
        .select_related("client__department")
        .prefetch_related("lines")
    )
    assert packages
    for package in packages:
        lines = list(package.lines.all())
        frozen = [(line.rate, line.cost_per_week, line.monthly_cost) for line in lines]
        for line in lines:
            line.rate = line.cost_per_week = line.monthly_cost = None
        draft = Package(
            organisation=org, client=package.client, status="draft", start_date=package.start_date
        )
        again = price_package(package=draft, lines=lines)
        assert (
            again.totals.total,
            again.totals.budget,
            again.totals.private_per_month,
            again.tolerance_pct,
        ) == (
            package.total,
            package.personal_budget,
            package.private_per_month,
            package.tolerance_pct,
        )
        assert [(p.rate, p.cost_per_week, p.monthly_cost) for p in again.lines] == frozen
    drafts = Package.objects.for_organisation(org).filter(status="draft")
    assert all(p.total is None and p.based_on_id for p in drafts)


def test_the_generator_can_create_one_login_per_role(db) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client as Browser

    from ipvb.models import Membership, Organisation

    synthetic.generate(organisations=2, clients=2, seed=12, today=datetime.date(2026, 11, 30), logins=True)
    first = Organisation.objects.get(agb_code=synthetic.agb_code(12, 0))
    emails = synthetic.login_emails()
    assert {role for _email, role in emails} == set(Role.values)
    for email, role in emails:
        membership = Membership.objects.for_organisation(first).get(user__email=email)
        assert (membership.organisation_id, membership.roles) == (first.pk, [role])
    assert Browser().login(email=emails[0][0], password=synthetic.LOGIN_PASSWORD)
    with pytest.raises(ValueError):  # the logins are made once per database
        synthetic.generate(organisations=1, clients=1, seed=13, logins=True)
