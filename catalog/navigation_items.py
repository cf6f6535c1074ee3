from django.utils.translation import gettext_lazy as _

from ipvb.navigation import NavItem
from ipvb.roles import Role

FINANCIAL = frozenset({Role.FINANCIAL})

ITEMS = [
    NavItem(
        _("Catalogus"),
        "catalog_browse",
        description=_("Wat een cliënt kan kiezen: zorg- en welzijnsactiviteiten en bijkoop, met prijzen."),
        order=40,
    ),
    NavItem(
        _("Activiteitenbeheer"),
        "catalog_activity_list",
        FINANCIAL,
        _("De activiteitencatalogus beheren: minuten, niveau, groepen; prijzen uit het kostprijsmodel."),
        order=45,
    ),
    NavItem(
        _("Bijkoopbeheer"),
        "catalog_addon_list",
        FINANCIAL,
        _("De bijkoopcatalogus beheren: artikelen, eenheden, prijzen en btw."),
        order=46,
    ),
]
