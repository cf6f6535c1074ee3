"""The roles of the domain page (section 2) and the role groups views refer to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CARE_PROFESSIONAL = "care_professional", _("Zorgprofessional")
    TEAM_LEADER = "team_leader", _("Teamleider")
    FINANCIAL = "financial", _("Financieel medewerker")
    MANAGER = "manager", _("Manager")
    ORG_ADMIN = "org_admin", _("Functioneel beheerder")
    BOARD = "board", _("Raad van bestuur")


ALL_ROLES = frozenset(Role.values)
# Roles that work with client files (the others see aggregates only).
CLIENT_ROLES = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
# Roles limited to the departments of their membership.
DEPARTMENT_BOUND_ROLES = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
