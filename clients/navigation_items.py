from django.utils.translation import gettext_lazy as _

from ipvb.navigation import NavItem
from ipvb.roles import Role

ITEMS = [
    NavItem(
        _("Cliënten"),
        "client_list",
        frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN}),
        _("Cliënten per afdeling: persoonsgegevens, contactpersonen en indicaties."),
        order=10,
    ),
    NavItem(
        _("Toegangslog"),
        "accesslog_list",
        frozenset({Role.ORG_ADMIN}),
        _("Wie heeft welke cliëntgegevens ingezien of gewijzigd."),
        order=92,
    ),
]
