"""Dutch names (issue 13.4): the prefix (tussenvoegsel) is its own field, lists sort and search
on the surname ("de Boer" under B, "van Leeuwen" under L), and the full name reads the Dutch way."""

import pytest

from clients.formulas import display_name, sort_name, split_surname
from clients.models import Client
from ipvb.roles import Role
from tests.clients.builders import make_client


@pytest.mark.parametrize(
    ("family", "prefix", "expected"),
    [
        ("de Boer", "", ("de", "Boer")),
        ("van Leeuwen", "", ("van", "Leeuwen")),
        ("van der  Berg", "", ("van der", "Berg")),
        ("in 't Veld", "", ("in 't", "Veld")),
        ("d'Ancona", "", ("d'", "Ancona")),
        ("De Smet", "", ("", "De Smet")),  # Flemish: a capital prefix belongs to the surname
        ("Jansen", "", ("", "Jansen")),
        ("de", "", ("", "de")),
        ("Boer", "de", ("de", "Boer")),
    ],
)
def test_split_surname(family: str, prefix: str, expected: tuple[str, str]) -> None:
    assert split_surname(family, prefix) == expected


def test_display_and_sort_names() -> None:
    assert display_name("Johanna", "de", "Boer") == "Johanna de Boer"
    assert sort_name("Johanna", "de", "Boer") == "Boer, Johanna de"
    assert sort_name("Piet", "", "Jansen") == "Jansen, Piet"


@pytest.mark.django_db
def test_lists_sort_and_search_on_the_surname(world) -> None:  # type: ignore[no-untyped-def]
    for given, family in (
        ("Anna", "de Boer"),
        ("Lex", "van Leeuwen"),
        ("Piet", "Jansen"),
        ("Sien", "De Smet"),
    ):
        make_client(world, given_name=given, family_name=family)
    boer = Client.objects.for_organisation(world.org_a).get(given_name="Anna")
    assert (boer.name_prefix, boer.family_name, boer.full_name) == ("de", "Boer", "Anna de Boer")
    page = world.client(Role.TEAM_LEADER).get("/clienten/").content.decode()
    order = [
        page.index(name) for name in ("Boer, Anna de", "De Smet, Sien", "Jansen, Piet", "Leeuwen, Lex van")
    ]
    assert order == sorted(order)
    found = world.client(Role.TEAM_LEADER).get("/clienten/", {"q": "de Boer"}).content.decode()
    assert "Boer, Anna de" in found and "Jansen" not in found
    api = (
        world.client(Role.TEAM_LEADER).get("/api/v1/clients/", {"ordering": "family_name"}).json()["results"]
    )
    assert [(c["name_prefix"], c["family_name"]) for c in api][:2] == [("de", "Boer"), ("", "De Smet")]
    detail = world.client(Role.TEAM_LEADER).get(f"/clienten/{boer.pk}/").content.decode()
    assert "Anna de Boer" in detail
