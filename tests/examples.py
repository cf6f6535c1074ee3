"""The worked examples of the domain page (../shared/domain/ipvb.md, sections 4-6) as constants:
the one place tests and builders take them from."""

from __future__ import annotations

import datetime
from decimal import Decimal

D = Decimal

# Section 4: the cost-price model of 2026 ---------------------------------------------------------

MODEL_INPUTS = {
    "paid_hours_per_fte": D("1878"),
    "leave_pct": D("10.5"),
    "sickness_pct": D("6.5"),
    "training_pct": D("2.0"),
    "client_bound_pct": D("80"),
    "overhead_pct": D("22"),
}
# Holiday allowance h, year-end payment y and employer charges e: the same for every level.
LEVEL_INPUTS = {"holiday_pct": D("8"), "year_end_pct": D("8.33"), "employer_charges_pct": D("27")}
# code: (name, order, salary S, irregular-hours allowance r)
LEVELS = {
    "helpende": ("Helpende niveau 2", 10, D("2890"), D("7")),
    "verzorgende-ig": ("Verzorgende IG niveau 3", 20, D("3130"), D("7")),
    "verpleegkundige-4": ("Verpleegkundige niveau 4", 30, D("3610"), D("7")),
    "welzijnsmedewerker": ("Welzijnsmedewerker", 40, D("2990"), D("2")),
}
# code: the integral hourly rate K of the worked example
EXPECTED_K = {
    "helpende": D("54.46"),
    "verzorgende-ig": D("58.98"),
    "verpleegkundige-4": D("68.02"),
    "welzijnsmedewerker": D("54.06"),
}
JAN_2026 = datetime.date(2026, 1, 1)

# Section 5: from the ZZP to the personal budget ------------------------------------------------

CARE_PER_DAY = D("238.50")  # 5VV without treatment, 2026 (illustrative)
NHC_PER_DAY = D("24.95")
NIC_PER_DAY = D("6.40")
CONTRACT_PCT = D("97.0")
HOTEL_PER_DAY = D("32.00")
PLACES = 16  # De Boomgaard
GROUP_CARE_HOURS = {"verzorgende-ig": D("98"), "helpende": D("63")}
REFERENCE_LEVEL = "verzorgende-ig"
EXPECTED_R = D("1619.42")
EXPECTED_H = D("224.00")
EXPECTED_G = D("575.69")
EXPECTED_B = D("819.73")

# Section 6: the example package -----------------------------------------------------------------

# code: (name, minutes, level code, category value of catalog.models.ActivityCategory)
ACTIVITIES = {
    "OCH": ("Ochtendzorg: wassen en aankleden", 25, "verzorgende-ig", "personal_care"),
    "AVO": ("Avondzorg", 20, "verzorgende-ig", "personal_care"),
    "MED": ("Medicatie toedienen", 5, "verpleegkundige-4", "nursing"),
    "WAN": ("Wandeling onder begeleiding", 45, "welzijnsmedewerker", "wellbeing"),
    "DOU": ("Douchen", 30, "verzorgende-ig", "personal_care"),
}
# (activity code, minutes, occurrences per week)
EXAMPLE_LINES = [("OCH", 25, 7), ("AVO", 20, 7), ("MED", 5, 14), ("WAN", 45, 2), ("DOU", 30, 2)]
EXPECTED_TOTAL = D("529.08")
EXPECTED_BALANCE = D("290.65")
EXPECTED_UTILISATION_PCT = D("64.54")
