from ipvb.roles import Role
from tests.routing import Route

from . import builders as fb

CONTACT_PERSON = "contact_person"  # not a staff role: a user with a FamilyAccess (tests/world.py)
FAMILY = frozenset({CONTACT_PERSON})
STAFF = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
# A user without a membership and without a family access gets the family's "no access" page.
NO_ACCESS = {"without_membership": 403, "family": True}


def _package(w):  # type: ignore[no-untyped-def]
    fb.family_access(w)
    return {"pk": fb.agreed(w)["package"].pk}


def _package_b(w):  # type: ignore[no-untyped-def]
    return {"pk": fb.agreed(w, "b")["package"].pk}


def _token(w):  # type: ignore[no-untyped-def]
    def build(world):  # type: ignore[no-untyped-def]
        from clients import services

        person = services.contact_person_create(
            client=fb.agreed(world)["client"],
            name="Jan de Jong",
            relation="Zoon",
            role="first_contact",
            email="zoon@example.org",
        )
        return fb.invite(world, person=person)[1]

    return {"token": w.get("family_token", build)}


def _invited_access(w, org):  # type: ignore[no-untyped-def]
    """An invited contact person of their own (the scenario's contact may already have access)."""

    def build(world):  # type: ignore[no-untyped-def]
        from clients import services

        person = services.contact_person_create(
            client=fb.agreed(world, org)["client"],
            name="Sanne Bos",
            relation="Kleindochter",
            role="first_contact",
            email=f"kleindochter.{org}@example.org",
        )
        return fb.invite(world, org, person=person)[0]

    return w.get(f"family_invited_{org}", build)


ROUTES = [
    # The contact person's pages
    Route("family_home", roles=FAMILY, extra=NO_ACCESS),
    Route("family_versions", roles=FAMILY, extra=NO_ACCESS),
    Route("family_package", roles=FAMILY, kwargs=_package, other_kwargs=_package_b, extra=NO_ACCESS),
    Route(
        "family_wish",
        roles=FAMILY,
        method="post",
        data=lambda w: {"text": "Graag vaker wandelen"},
        ok_status=302,
        extra=NO_ACCESS,
    ),
    Route("family_large_type", roles=FAMILY, method="post", ok_status=302, extra=NO_ACCESS),
    # The invitation link (no login: the secret link is the key; an unknown one answers 404)
    Route("family_invitation", public=True, kwargs=_token),
    # Staff: invite and end access (consent withdrawn)
    Route(
        "family_invite",
        roles=STAFF,
        kwargs=lambda w: {"client_pk": fb.contact(w).client_id},
        other_kwargs=lambda w: {"client_pk": fb.contact(w, "b").client_id},
    ),
    Route(
        "family_access_end",
        roles=STAFF,
        method="post",
        of=_invited_access,
        ok_status=302,
    ),
]
