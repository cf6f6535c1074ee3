"""Indications: no overlap per client (service and database), reversed dates, 9VV B limit,
the indication in force on a date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from clients import rules, services
from clients.models import Indication, Placement
from clients.profiles import COD163, CURRENT, HISTORIC, MEERZORG_PROFILES, CareProfile
from clients.selectors import indication_in_force
from tests import factories

from .builders import make_client

D = datetime.date


def test_profile_reference_data() -> None:
    assert COD163["4VV"] == "753" and COD163["9VVB"] == "191" and COD163["10VV"] == "759"
    assert {"1VV", "2VV", "3VV"} == HISTORIC
    assert {"7VV", "8VV"} == MEERZORG_PROFILES
    assert set(CareProfile.values) == set(COD163) and "9VVB" in CURRENT
    assert "historisch" in str(CareProfile("3VV").label)


@pytest.mark.django_db
def test_overlapping_indication_is_refused_with_a_clear_message(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    factories.indication(client, start=D(2024, 1, 1), end=D(2024, 12, 31))
    with pytest.raises(ValidationError) as info:
        factories.indication(client, start=D(2024, 12, 31), number="CIZ-2")
    message = " ".join(info.value.message_dict["start_date"])
    assert "overlapt met indicatie 5VV van 01-01-2024 tot 31-12-2024" in message
    assert client.indications.count() == 1


@pytest.mark.django_db
def test_open_ended_indication_overlaps_everything_after(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    factories.indication(client, start=D(2024, 1, 1))
    with pytest.raises(ValidationError):
        factories.indication(client, start=D(2030, 1, 1), end=D(2030, 2, 1), number="CIZ-2")
    with pytest.raises(ValidationError):
        factories.indication(client, start=D(2020, 1, 1), number="CIZ-3")  # open: runs into the other


@pytest.mark.django_db
def test_adjacent_indications_are_fine(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    factories.indication(client, start=D(2024, 1, 1), end=D(2024, 6, 30))
    factories.indication(client, profile="6VV", start=D(2024, 7, 1), number="CIZ-2")
    assert client.indications.count() == 2
    other = make_client(world)  # another client may overlap freely
    factories.indication(other, start=D(2024, 1, 1))


@pytest.mark.django_db
def test_update_may_keep_its_own_period_but_not_overlap(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    first = factories.indication(client, start=D(2024, 1, 1), end=D(2024, 6, 30))
    factories.indication(client, start=D(2024, 7, 1), number="CIZ-2")
    services.indication_update(indication=first, end_date=D(2024, 5, 31))
    with pytest.raises(ValidationError):
        services.indication_update(indication=first, end_date=D(2024, 7, 15))
    first.refresh_from_db()
    assert first.end_date == D(2024, 5, 31)


@pytest.mark.django_db
def test_reversed_dates_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    with pytest.raises(ValidationError) as info:
        factories.indication(client, start=D(2024, 5, 1), end=D(2024, 4, 1))
    assert info.value.message_dict["end_date"] == ["De einddatum ligt vóór de ingangsdatum."]
    assert not client.indications.exists()


@pytest.mark.django_db
def test_9vvb_runs_at_most_six_months(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    with pytest.raises(ValidationError) as info:
        factories.indication(client, profile="9VVB", start=D(2024, 1, 1))
    assert "hoogstens 6 maanden" in info.value.message_dict["end_date"][0]
    factories.indication(client, profile="9VVB", start=D(2024, 1, 1), end=D(2024, 6, 30))


@pytest.mark.django_db
def test_indication_in_force(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    old = factories.indication(client, profile="4VV", start=D(2023, 1, 1), end=D(2023, 12, 31))
    new = factories.indication(client, profile="6VV", start=D(2024, 1, 1), number="CIZ-2")
    assert indication_in_force(client=client, on_date=D(2022, 12, 31)) is None
    assert indication_in_force(client=client, on_date=D(2023, 1, 1)) == old
    assert indication_in_force(client=client, on_date=D(2023, 12, 31)) == old
    assert indication_in_force(client=client, on_date=D(2024, 1, 1)) == new
    assert indication_in_force(client=client, on_date=D(2099, 1, 1)) == new


# Database level (PostgreSQL exclusion constraints; the tests run on PostgreSQL) -------------


def _raw_indication(client, start, end, number="RAW"):  # type: ignore[no-untyped-def]
    return Indication(
        organisation=client.organisation,
        client=client,
        decision_number=number,
        care_profile="5VV",
        grondslag="somatic",
        start_date=start,
        end_date=end,
    )


@pytest.mark.django_db
def test_database_refuses_overlapping_indications(world) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    client = make_client(world)
    _raw_indication(client, D(2024, 1, 1), D(2024, 12, 31)).save()
    with pytest.raises(IntegrityError, match="indication_no_overlap_per_client"), transaction.atomic():
        _raw_indication(client, D(2024, 6, 1), None).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_indication(client, D(2023, 1, 1), D(2024, 1, 1)).save()  # touches the first day
    _raw_indication(client, D(2025, 1, 1), None).save()  # adjacent is fine
    assert client.indications.count() == 2


@pytest.mark.django_db
def test_database_refuses_reversed_indication_dates(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    with pytest.raises(IntegrityError, match="indication_end_after_start"), transaction.atomic():
        _raw_indication(client, D(2024, 2, 1), D(2024, 1, 1)).save()


@pytest.mark.django_db
def test_database_refuses_overlapping_placements(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)  # open placement from 2024-01-01
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            organisation=client.organisation,
            client=client,
            department=world.dept_a2,
            start_date=D(2023, 1, 1),
            end_date=D(2024, 2, 1),
        )


@pytest.mark.django_db
def test_service_turns_a_database_overlap_into_a_message(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """If two writes race past the check, the constraint still holds and the user gets Dutch."""
    client = make_client(world)
    factories.indication(client, start=D(2024, 1, 1))
    monkeypatch.setattr(rules, "indications_overlapping", lambda **kwargs: Indication.objects.none())
    with pytest.raises(ValidationError) as info:
        factories.indication(client, start=D(2024, 3, 1), number="CIZ-2")
    assert "overlapt" in info.value.message_dict["start_date"][0]
    assert client.indications.count() == 1
