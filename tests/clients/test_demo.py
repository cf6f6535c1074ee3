"""The demo clients: enough, plausible, across both departments, idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from clients.models import Client, ContactPerson, Indication
from ipvb.models import Department, Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_clients() -> None:
    """The demo as ``load_demo`` leaves it (the ``demo`` fixture, built once per session)."""
    today = timezone.localdate()
    for org in Organisation.objects.all():
        clients = Client.objects.for_organisation(org)
        assert 25 <= clients.count() <= 75
        departments = Department.objects.for_organisation(org)
        for department in departments:
            assert clients.filter(department=department).count() <= department.places
        assert set(clients.values_list("department", flat=True)) == set(
            departments.values_list("pk", flat=True)
        )
        indications = Indication.objects.for_organisation(org)
        current = indications.filter(start_date__lte=today).exclude(end_date__lt=today)
        assert set(current.values_list("care_profile", flat=True)) <= {"4VV", "5VV", "6VV", "7VV", "8VV"}
        assert len(set(current.values_list("care_profile", flat=True))) >= 4
        assert indications.filter(care_profile__in=["1VV", "2VV", "3VV"]).count() == 1
        assert current.filter(end_date__isnull=False).exists()  # some ending
        assert indications.filter(end_date__lt=today).count() >= 2  # earlier ones
        assert (
            ContactPerson.objects.for_organisation(org).values("client").distinct().count() == clients.count()
        )
        assert clients.filter(status="discharged").count() == 2
        assert any(c.placements.count() == 2 for c in clients)
    before = sum(Client.objects.for_organisation(o).count() for o in Organisation.objects.all())
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
    assert sum(Client.objects.for_organisation(o).count() for o in Organisation.objects.all()) == before
