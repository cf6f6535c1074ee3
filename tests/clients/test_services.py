"""Client services: BSN rules, discharge, moving with history."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from clients import services
from clients.models import Client

from .builders import make_client

D = datetime.date


@pytest.mark.django_db
def test_wrong_bsn_is_refused_and_nothing_saved(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        make_client(world, bsn="123456789")
    assert "elfproef" in info.value.message_dict["bsn"][0]
    with pytest.raises(ValidationError) as info:
        make_client(world, bsn="12345")
    assert "9 cijfers" in info.value.message_dict["bsn"][0]
    assert not Client.objects.for_organisation(world.org_a).exists()


@pytest.mark.django_db
def test_duplicate_bsn_only_within_the_organisation(world) -> None:  # type: ignore[no-untyped-def]
    make_client(world, bsn="123456782")
    with pytest.raises(ValidationError) as info:
        make_client(world, bsn="123 456 782")
    assert info.value.message_dict["bsn"] == ["Er is al een cliënt met dit BSN in uw organisatie."]
    make_client(world, org="b", bsn="123456782")  # another organisation may have the same person


@pytest.mark.django_db
def test_eight_digit_bsn_is_stored_with_leading_zero(world) -> None:  # type: ignore[no-untyped-def]
    assert make_client(world, bsn="12345684").bsn == "012345684"


@pytest.mark.django_db
def test_create_opens_a_placement(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    placement = client.placements.get()
    assert (placement.department, placement.start_date, placement.end_date) == (
        world.dept_a,
        D(2024, 1, 1),
        None,
    )


@pytest.mark.django_db
def test_department_of_another_organisation_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        make_client(world, department=world.dept_b)
    assert "department" in info.value.message_dict


@pytest.mark.django_db
def test_move_keeps_dated_history(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    services.client_move(client=client, department=world.dept_a2, on_date=D(2024, 6, 1))
    client.refresh_from_db()
    assert client.department == world.dept_a2
    history = list(
        client.placements.order_by("start_date").values_list("department__name", "start_date", "end_date")
    )
    assert history == [("A-groep", D(2024, 1, 1), D(2024, 5, 31)), ("A-zonder", D(2024, 6, 1), None)]
    with pytest.raises(ValidationError):
        services.client_move(client=client, department=world.dept_a, on_date=D(2024, 6, 1))


@pytest.mark.django_db
def test_discharge_before_admission_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    with pytest.raises(ValidationError) as info:
        services.client_discharge(client=client, discharge_date=D(2023, 12, 31), reason="Verhuisd")
    assert "vóór de opnamedatum (01-01-2024)" in info.value.message_dict["discharge_date"][0]
    client.refresh_from_db()
    assert client.status == Client.Status.ACTIVE and client.discharge_date is None


@pytest.mark.django_db
def test_discharge_closes_the_placement(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    services.client_discharge(client=client, discharge_date=D(2025, 3, 1), reason="Overleden")
    client.refresh_from_db()
    assert client.status == Client.Status.DISCHARGED
    assert client.placements.get().end_date == D(2025, 3, 1)
    with pytest.raises(ValidationError):
        services.client_discharge(client=client, discharge_date=D(2025, 3, 2), reason="Nogmaals")


@pytest.mark.django_db
def test_bsn_correction_checks_again(world) -> None:  # type: ignore[no-untyped-def]
    first = make_client(world, bsn="123456782")
    second = make_client(world, bsn="111222333")
    kwargs = {
        "given_name": "A",
        "family_name": "B",
        "date_of_birth": D(1940, 1, 1),
        "admission_date": D(2024, 1, 1),
    }
    with pytest.raises(ValidationError):
        services.client_update(client=second, bsn="123456782", **kwargs)
    services.client_update(client=second, bsn="999999990", **kwargs)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.bsn, second.bsn) == ("123456782", "999999990")
