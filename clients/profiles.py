"""Reference data of indications (domain page section 3): the iWlz care profiles (code list
COD163), the grondslag of an indication and the profile groups other apps rely on."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class CareProfile(models.TextChoices):
    """Care profiles VV (verpleging en verzorging). 1VV-3VV are historic."""

    VV1 = "1VV", _("1VV (historisch)")
    VV2 = "2VV", _("2VV (historisch)")
    VV3 = "3VV", _("3VV (historisch)")
    VV4 = "4VV", "4VV"
    VV5 = "5VV", "5VV"
    VV6 = "6VV", "6VV"
    VV7 = "7VV", "7VV"
    VV8 = "8VV", "8VV"
    VV9B = "9VVB", "9VV B"
    VV10 = "10VV", "10VV"


# iWlz code list COD163: profile -> code.
COD163: dict[str, str] = {
    "1VV": "750",
    "2VV": "751",
    "3VV": "752",
    "4VV": "753",
    "5VV": "754",
    "6VV": "755",
    "7VV": "756",
    "8VV": "757",
    "9VVB": "191",
    "10VV": "759",
}

HISTORIC: set[str] = {"1VV", "2VV", "3VV"}
CURRENT: set[str] = set(COD163) - HISTORIC
# The low profiles 1VV-3VV ended with the AWBZ: since the Wlz (1 January 2015) the CIZ no longer
# grants them, and only indications in force on 31 December 2014 carried over (transitional
# law). A new indication with a historic profile therefore starts on this date at the latest;
# the NZa publishes no tariff for them after 2014 (the tariff importer refuses such rows).
HISTORIC_LAST_START = datetime.date(2014, 12, 31)
HISTORIC_LAST_TARIFF_YEAR = HISTORIC_LAST_START.year


def historic_profile_ended(profile: str, on_date: datetime.date) -> bool:
    """True when ``profile`` is historic and no longer granted on ``on_date``."""
    return profile in HISTORIC and on_date > HISTORIC_LAST_START


MEERZORG_PROFILES: set[str] = {"7VV", "8VV"}
# 9VV B (herstelgerichte behandeling) indications run at most 6 months.
MAX_MONTHS: dict[str, int] = {"9VVB": 6}


class Grondslag(models.TextChoices):
    """The ground (grondslag) of a Wlz indication."""

    SOMATIC = "somatic", _("Somatische aandoening")
    PSYCHOGERIATRIC = "psychogeriatric", _("Psychogeriatrische aandoening")
    PSYCHIATRIC = "psychiatric", _("Psychiatrische aandoening")
    PHYSICAL = "physical", _("Lichamelijke handicap")
    INTELLECTUAL = "intellectual", _("Verstandelijke handicap")
    SENSORY = "sensory", _("Zintuiglijke handicap")


def profile_from_text(value: str) -> str | None:
    """A profile value from what people type or an ECD exports: "4VV", "4 VV", "9VV B",
    "9vvb" or the COD163 code "753". None when it is not a known profile."""
    text = "".join(str(value).split()).upper()
    if text in COD163:
        return text
    for profile, code in COD163.items():
        if text == code:
            return profile
    return None
