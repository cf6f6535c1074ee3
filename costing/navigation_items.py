from django.utils.translation import gettext_lazy as _

from ipvb.navigation import NavItem
from ipvb.roles import ALL_ROLES, Role

ITEMS = [
    NavItem(
        _("Kostprijs"),
        "costmodel_list",
        frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN}),
        _("Kostprijsmodellen, functieniveaus en jaarinstellingen."),
        order=50,
    ),
    NavItem(
        _("Groepsgebonden zorg"),
        "groupcare_list",
        frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN, Role.TEAM_LEADER}),
        _("Uren groepsgebonden zorg per afdeling en het groepsdeel per plaats."),
        order=55,
    ),
    NavItem(
        _("Tarieven"),
        "tariff_list",
        ALL_ROLES,
        _("De landelijke tarieventabel per jaar, zorgprofiel en variant."),
        order=60,
    ),
]
