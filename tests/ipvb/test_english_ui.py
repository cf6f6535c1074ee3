"""The English UI is English throughout, and each language is offered in its own name."""

import pytest
from django.conf import settings

from ipvb.roles import Role

pytestmark = pytest.mark.django_db


def _english(client):  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_home_role_description_follows_the_language(world) -> None:  # type: ignore[no-untyped-def]
    page = _english(world.client(Role.CARE_PROFESSIONAL)).get("/").content.decode()
    assert "You see the clients of your departments" in page
    assert "U ziet de cliënten van uw afdelingen" not in page
    dutch = world.client(Role.CARE_PROFESSIONAL).get("/").content.decode()
    assert "U ziet de cliënten van uw afdelingen" in dutch


def test_language_picker_names_each_language_in_itself(world) -> None:  # type: ignore[no-untyped-def]
    dutch = world.client(Role.MANAGER).get("/").content.decode()
    assert ">English</option>" in dutch and ">Engels<" not in dutch
    english = _english(world.client(Role.MANAGER)).get("/").content.decode()
    assert ">Nederlands</option>" in english and ">Dutch<" not in english
