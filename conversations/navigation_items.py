from django.utils.translation import gettext_lazy as _

from ipvb.navigation import NavItem
from ipvb.roles import Role

ITEMS = [
    NavItem(
        _("Goedkeuringen"),
        "package_approvals",
        frozenset({Role.TEAM_LEADER}),
        _("Zorgpakketten boven de regelruimte die op uw goedkeuring wachten."),
        order=30,
    ),
]
