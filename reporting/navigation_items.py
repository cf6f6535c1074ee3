from django.utils.translation import gettext_lazy as _

from ipvb.navigation import NavItem
from ipvb.roles import Role

ITEMS = [
    NavItem(
        _("Organisatie in één oogopslag"),
        "reporting_board",
        frozenset({Role.BOARD, Role.MANAGER}),
        _("Cliënten op iPVB, budget tegenover pakket per afdeling, signalen, formatie en de trend."),
        order=5,
    ),
    NavItem(
        _("Dashboard"),
        "reporting_management",
        frozenset({Role.MANAGER, Role.FINANCIAL}),
        _(
            "Per afdeling en zorgprofiel: budget, pakket, benutting, bijkoop en het effect van een "
            "concept-kostprijsmodel."
        ),
        order=6,
    ),
    NavItem(
        _("Werklijst teamleider"),
        "reporting_team",
        frozenset({Role.TEAM_LEADER}),
        _("Goedkeuringen, evaluaties, herindicatie- en meerzorgkandidaten en de formatie van uw afdeling."),
        order=7,
    ),
    NavItem(
        _("Mijn werklijst"),
        "reporting_care",
        frozenset({Role.CARE_PROFESSIONAL}),
        _("Cliënten met een evaluatie, concepten in bewerking en cliënten zonder afgesproken pakket."),
        order=8,
    ),
    NavItem(
        _("Formatie"),
        "reporting_formatie",
        frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.FINANCIAL, Role.BOARD}),
        _("Benodigde tegenover werkelijke fte per niveau en afdeling."),
        order=70,
    ),
    NavItem(
        _("Transparantie (Vilans)"),
        "reporting_transparency",
        frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD}),
        _("De deelnameovereenkomst, de maandrapporten zoals Vilans ze ziet en hun bouwgeschiedenis."),
        order=75,
    ),
    NavItem(
        _("Programma iPVB-proof"),
        "programme_home",
        frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD}),
        _("Screening, zelf-betaal-pakket, pilotstatus en de betrokkenheid van alle niveaus."),
        order=76,
    ),
    NavItem(
        _("Benchmark"),
        "programme_benchmark",
        frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD, Role.FINANCIAL}),
        _("Uw positie tegenover de andere deelnemende organisaties, zonder namen."),
        order=77,
    ),
]
