"""The demo has a contact-person login for a client with an agreed package."""

import io

import pytest
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import reverse

from family.demo import DEMO_EMAIL
from family.models import FamilyAccess
from ipvb import rls
from ipvb.demo import DEMO_PASSWORD
from ipvb.models import Organisation

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("demo")]


def test_demo_family_login() -> None:
    """On the demo (the ``demo`` fixture, built once per session), loaded once more."""
    call_command("load_demo", "--quiet-logins", stdout=io.StringIO())  # idempotent
    org = Organisation.objects.get(agb_code="73730001")
    with rls.organisation_context(org):  # the demo loader leaves no organisation set
        access = FamilyAccess.objects.for_organisation(org).select_related("client").get(email=DEMO_EMAIL)
        assert access.is_live
        assert access.client.packages.filter(status="agreed").exists()
        name = access.client.full_name
    browser = Browser()
    assert browser.login(email=DEMO_EMAIL, password=DEMO_PASSWORD)
    page = browser.get(reverse("family_home"))
    assert page.status_code == 200
    assert name in page.content.decode()
