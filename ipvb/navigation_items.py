from django.utils.translation import gettext_lazy as _

from .navigation import NavItem
from .roles import Role

ITEMS = [
    NavItem(_("Start"), "home", description=_("Uw overzicht en wat u kunt doen."), order=0),
    NavItem(
        _("Afdelingen"),
        "department_list",
        frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.TEAM_LEADER, Role.CARE_PROFESSIONAL}),
        _("Afdelingen met per cliënt het budget, het pakket, de benutting en de evaluatie."),
        order=80,
    ),
    NavItem(
        _("Gebruikers"),
        "member_list",
        frozenset({Role.ORG_ADMIN}),
        _("Gebruikers, rollen en afdelingen van uw organisatie beheren."),
        order=90,
    ),
    NavItem(
        _("Organisatie"),
        "organisation_edit",
        frozenset({Role.ORG_ADMIN}),
        _("Naam, AGB-code en zorgkantoor van uw organisatie."),
        order=95,
    ),
]
