import factory

from ipvb.models import Department, Membership, Organisation, User
from ipvb.roles import Role


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Zorgorganisatie {n}")
    agb_code = factory.Sequence(lambda n: f"{70000000 + n:08d}")
    zorgkantoor_code = "5512"
    takes_part_in_reporting = True


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    location_name = "Hoofdlocatie"
    kind = Department.Kind.WITH_GROUP_CARE
    places = 16


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.django.Password("test-password-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    roles = factory.LazyFunction(lambda: [Role.CARE_PROFESSIONAL])

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.departments.set(extracted)


def api_key(user, organisation=None, days: int = 30) -> str:  # type: ignore[no-untyped-def]
    """A personal API key (django-rest-knox) for the user, bound to ``organisation`` (as one
    made in the web application is); returns the key to send as ``Authorization: Token``."""
    from datetime import timedelta

    from ipvb.models import ApiToken

    _token, key = ApiToken.objects.create(
        user=user, expiry=timedelta(days=days), name="test", organisation=organisation
    )
    return key
