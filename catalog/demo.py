"""Demo data of the catalogues: per demo organisation 43 activities over every category
(including group activities such as the daily living-room programme and a music afternoon) and
17 add-on items with a price history (illustrative prices). Idempotent: rows are found by
organisation + code (activities), organisation + name (items) and item + start date (prices).

Activity prices are not demo data: they follow from costing's demo models (2025 and 2026)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from costing.models import StaffLevel
from ipvb.models import Organisation

from .models import Activity, AddOnItem, AddOnPrice

DEMO_AGB = ("73730001", "73730002")
START = datetime.date(2025, 1, 1)
D = Decimal

# code, name, description (plain language), category, minutes, level, wlz, group size (None: individual)
ACTIVITIES: tuple[tuple[str, str, str, str, int, str, bool, int | None], ...] = (
    ("PV-01", "Ochtendzorg: wassen en aankleden", "Hulp bij wassen, aankleden en klaarmaken voor de dag, in uw eigen tempo.", "personal_care", 25, "verzorgende-ig", True, None),
    ("PV-02", "Avondzorg", "Hulp bij uitkleden, wassen en klaarmaken voor de nacht.", "personal_care", 20, "verzorgende-ig", True, None),
    ("PV-03", "Douchen", "Een douchebeurt met hulp, inclusief afdrogen en aankleden.", "personal_care", 30, "verzorgende-ig", True, None),
    ("PV-04", "Haren wassen en föhnen", "Uw haren worden gewassen en gedroogd, los van het douchen.", "personal_care", 15, "helpende", True, None),
    ("PV-05", "Scheren", "Hulp bij scheren, nat of elektrisch, zoals u gewend bent.", "personal_care", 10, "helpende", True, None),
    ("PV-06", "Mondverzorging", "Tanden poetsen of het gebit schoonmaken en verzorgen.", "personal_care", 10, "helpende", True, None),
    ("PV-07", "Hulp bij toiletgang", "Hulp bij naar het toilet gaan, ook met incontinentiemateriaal.", "personal_care", 10, "verzorgende-ig", True, None),
    ("PV-08", "Hulp bij de maaltijd", "Iemand helpt u met eten en drinken en eet zo nodig met u mee aan tafel.", "personal_care", 30, "helpende", True, None),
    ("PV-09", "Steunkousen aan- en uittrekken", "Uw steunkousen worden 's ochtends aan- en 's avonds uitgetrokken.", "personal_care", 10, "verzorgende-ig", True, None),
    ("PV-10", "Handen en nagels verzorgen", "Nagels knippen en vijlen, handen insmeren.", "personal_care", 15, "helpende", True, None),
    ("VP-01", "Medicatie toedienen", "Een verpleegkundige geeft u uw medicijnen op het juiste moment en let op bijwerkingen.", "nursing", 5, "verpleegkundige-4", True, None),
    ("VP-02", "Wondverzorging", "Een wond wordt schoongemaakt, beoordeeld en opnieuw verbonden.", "nursing", 20, "verpleegkundige-4", True, None),
    ("VP-03", "Insuline en bloedsuiker", "Bloedsuiker meten en zo nodig insuline spuiten.", "nursing", 10, "verpleegkundige-4", True, None),
    ("VP-04", "Katheterzorg", "Verzorgen, legen en zo nodig verwisselen van een katheter.", "nursing", 15, "verpleegkundige-4", True, None),
    ("VP-05", "Wisselligging", "U wordt geholpen van houding te veranderen, zodat u geen doorligplekken krijgt.", "nursing", 10, "verzorgende-ig", True, None),
    ("VP-06", "Controle van bloeddruk, pols en temperatuur", "Meten en bijhouden hoe het met uw lichaam gaat.", "nursing", 10, "verpleegkundige-4", True, None),
    ("VP-07", "Complexe verpleegtechnische zorg", "Bijvoorbeeld sondevoeding of zuurstof: zorg die een ervaren verpleegkundige vraagt.", "nursing", 30, "verpleegkundige-5", True, None),
    ("VP-08", "Nachtelijke controle", "Iemand komt 's nachts even kijken of alles goed gaat en helpt waar nodig.", "nursing", 10, "verzorgende-ig", True, None),
    ("WB-01", "Begeleide wandeling", "Samen een wandeling maken, buiten of binnen, met aandacht voor u.", "wellbeing", 45, "welzijnsmedewerker", True, None),
    ("WB-02", "Persoonlijke aandacht: gesprek of voorlezen", "Een half uur met z'n tweeën: praten, voorlezen of samen muziek luisteren.", "wellbeing", 30, "welzijnsmedewerker", True, None),
    ("WB-03", "Samen een hobby doen", "Samen bezig zijn met wat u graag doet: puzzelen, handwerken, tekenen.", "wellbeing", 45, "welzijnsmedewerker", True, None),
    ("WB-04", "Boodschappen of markt, begeleid", "Samen naar de winkel of de markt. Niet uit het Wlz-budget: zelf te betalen.", "wellbeing", 60, "welzijnsmedewerker", False, None),
    ("WB-05", "Snoezelen", "Ontspannen met licht, geluid, geur en aanraking in een rustige ruimte.", "wellbeing", 30, "welzijnsmedewerker", True, None),
    ("WB-06", "Beeldbellen met familie", "Hulp bij beeldbellen met uw familie of vrienden.", "wellbeing", 20, "welzijnsmedewerker", True, None),
    ("WB-07", "Kerk- of moskeebezoek, begeleid", "Iemand gaat met u mee naar de kerk, moskee of een andere plek van bezinning.", "wellbeing", 90, "welzijnsmedewerker", True, None),
    ("HH-01", "Kamer schoonmaken", "Uw kamer wordt gestofzuigd, afgestoft en schoongemaakt.", "household", 30, "helpende", True, None),
    ("HH-02", "Bed verschonen", "Schoon beddengoed op uw bed.", "household", 15, "helpende", True, None),
    ("HH-03", "Kast opruimen", "Samen uw kast opruimen en kleding sorteren.", "household", 20, "helpende", True, None),
    ("HH-04", "Planten verzorgen", "Uw planten krijgen water en aandacht.", "household", 10, "helpende", True, None),
    ("HH-05", "Schone was wegleggen", "Uw schone was wordt gesorteerd en in de kast gelegd.", "household", 15, "helpende", True, None),
    ("BH-01", "Oefenen na fysiotherapie", "Samen de oefeningen van de fysiotherapeut doen.", "treatment", 30, "verzorgende-ig", True, None),
    ("BH-02", "Slikoefeningen", "Oefenen met slikken, zoals de logopedist heeft geadviseerd.", "treatment", 15, "verzorgende-ig", True, None),
    ("BH-03", "Looptraining met rollator", "Oefenen met lopen, zodat u zo lang mogelijk zelf kunt lopen.", "treatment", 20, "verzorgende-ig", True, None),
    ("BH-04", "Begeleiding bij onrust", "Rust en steun als u onrustig of angstig bent, volgens het plan van de psycholoog.", "treatment", 30, "verpleegkundige-4", True, None),
    ("BH-05", "Mee naar de arts", "Voorbereiden op en meegaan naar een afspraak met arts of specialist.", "treatment", 30, "verzorgende-ig", True, None),
    ("GA-01", "Huiskamerprogramma", "Elke dag samen in de huiskamer: koffie, krant, spelletjes en gezelligheid, met een vaste begeleider.", "group", 180, "welzijnsmedewerker", True, 8),
    ("GA-02", "Muziekmiddag", "Samen zingen en luisteren naar muziek van vroeger en nu.", "group", 90, "welzijnsmedewerker", True, 10),
    ("GA-03", "Samen koken en eten", "In een kleine groep koken en daarna samen aan tafel.", "group", 120, "welzijnsmedewerker", True, 6),
    ("GA-04", "Bewegen op muziek", "Gymnastiek op de stoel of staand, op muziek.", "group", 45, "welzijnsmedewerker", True, 10),
    ("GA-05", "Geheugentraining", "Spelletjes en opdrachten om het geheugen te oefenen.", "group", 60, "welzijnsmedewerker", True, 6),
    ("GA-06", "Spelletjesmiddag", "Sjoelen, kaarten, bingo of een bordspel met elkaar.", "group", 90, "welzijnsmedewerker", True, 8),
    ("GA-07", "Tuinieren", "Samen in de tuin of kas: zaaien, planten en oogsten.", "group", 60, "welzijnsmedewerker", True, 6),
    ("GA-08", "Koor", "Zingen in het koor van de locatie.", "group", 60, "welzijnsmedewerker", True, 12),
)  # fmt: skip

# name, description, category, unit, prices ((valid_from, price incl. VAT, VAT %), ...)
ADDONS: tuple[tuple[str, str, str, str, tuple[tuple[datetime.date, str, int], ...]], ...] = (
    ("Kapper: knippen", "De kapper knipt uw haar in de salon in huis.", "hairdresser", "per_time",
     ((START, "23.00", 21), (datetime.date(2026, 1, 1), "24.50", 21))),
    ("Kapper: wassen, knippen en föhnen", "Een volledige behandeling bij de kapper in huis.", "hairdresser", "per_time",
     ((START, "32.50", 21), (datetime.date(2026, 1, 1), "34.50", 21))),
    ("Kapper: permanent", "Permanent of watergolf, inclusief wassen en föhnen.", "hairdresser", "per_time",
     ((START, "62.00", 21),)),
    ("Pedicure", "Voeten verzorgen, nagels knippen en eelt verwijderen.", "pedicure", "per_time",
     ((START, "34.50", 21), (datetime.date(2026, 1, 1), "36.50", 21))),
    ("Medisch pedicure", "Voetzorg bij diabetes of reuma door een medisch pedicure (vrijgesteld van btw).", "pedicure", "per_time",
     ((START, "45.00", 0),)),
    ("Was persoonlijke kleding", "Uw eigen kleding wordt gewassen, gedroogd en zo nodig gestreken.", "laundry", "per_month",
     ((START, "47.50", 21), (datetime.date(2026, 1, 1), "49.50", 21))),
    ("Naamlabels in kleding", "Uw kleding krijgt naamlabels, zodat niets zoekraakt (per 10 stuks).", "laundry", "per_time",
     ((START, "12.50", 21),)),
    ("Stomerij", "Stomen van een kledingstuk, zoals een colbert of jurk (per stuk).", "laundry", "per_time",
     ((START, "9.75", 21),)),
    ("Televisieaansluiting", "Televisie op uw kamer, met de gewone zenders.", "media", "per_month",
     ((START, "14.95", 21), (datetime.date(2027, 1, 1), "15.95", 21))),
    ("Internet op de kamer", "Snel wifi-internet op uw kamer.", "media", "per_month",
     ((START, "9.95", 21),)),
    ("Telefoonaansluiting", "Een eigen telefoonnummer op uw kamer (gesprekskosten apart).", "media", "per_month",
     ((START, "7.50", 21),)),
    ("Dagje uit met begeleiding", "Een uitstapje met begeleiding, bijvoorbeeld naar een museum of de dierentuin (entree inbegrepen).", "outings", "per_time",
     ((START, "45.00", 9),)),
    ("Seizoensuitje met de bus", "Een busreis met de groep, inclusief koffie en lunch.", "outings", "per_time",
     ((START, "37.50", 9), (datetime.date(2026, 1, 1), "39.50", 9))),
    ("Extra zorguren verzorgende", "Extra zorg bovenop uw budget door een verzorgende IG (vrijgesteld van btw).", "extra_care", "per_hour",
     ((START, "59.50", 0), (datetime.date(2026, 1, 1), "61.50", 0))),
    ("Extra begeleiding welzijn", "Extra persoonlijke begeleiding bovenop uw budget (vrijgesteld van btw).", "extra_care", "per_hour",
     ((START, "55.00", 0),)),
    ("Maaltijd voor bezoek", "Een warme maaltijd voor uw bezoek in het restaurant.", "other", "per_time",
     ((START, "9.50", 9),)),
    ("Krant op de kamer", "Elke dag de krant op uw kamer.", "other", "per_week",
     ((START, "8.25", 9),)),
)  # fmt: skip


def _activities(org: Organisation, levels: dict[str, StaffLevel]) -> int:
    count = 0
    for code, name, description, category, minutes, level, wlz, group_size in ACTIVITIES:
        Activity.objects.for_organisation(org).get_or_create(
            organisation=org,
            code=code,
            defaults={
                "name": name,
                "description": description,
                "category": category,
                "default_minutes": minutes,
                "default_level": levels[level],
                "wlz_eligible": wlz,
                "is_group": group_size is not None,
                "group_size": group_size,
                "active_from": START,
            },
        )
        count += 1
    return count


def _addons(org: Organisation) -> int:
    for name, description, category, unit, prices in ADDONS:
        item, _ = AddOnItem.objects.for_organisation(org).get_or_create(
            organisation=org,
            name=name,
            defaults={"description": description, "category": category, "unit": unit, "active_from": START},
        )
        for index, (valid_from, price, vat_rate) in enumerate(prices):
            valid_until = prices[index + 1][0] if index + 1 < len(prices) else None
            AddOnPrice.objects.for_organisation(org).get_or_create(
                organisation=org,
                item=item,
                valid_from=valid_from,
                defaults={"valid_until": valid_until, "price_incl_vat": D(price), "vat_rate": vat_rate},
            )
    return len(ADDONS)


def load(out: Any = None) -> None:
    for org in Organisation.objects.filter(agb_code__in=DEMO_AGB).order_by("agb_code"):
        levels = {level.code: level for level in StaffLevel.objects.for_organisation(org)}
        missing = {level for *_rest, level, _wlz, _group in ACTIVITIES} - set(levels)
        if missing:
            raise RuntimeError(f"catalog demo needs costing's staff levels first; missing: {sorted(missing)}")
        activities = _activities(org, levels)
        addons = _addons(org)
        if out is not None:
            out.write(f"  catalogue {org.name}: {activities} activities, {addons} add-on items\n")
