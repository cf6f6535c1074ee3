"""The default screening questionnaire of domain page section 10 (loaded on install by
migration ``reporting.0003_programme``, which keeps its own frozen copy of this content)."""

from __future__ import annotations

from typing import Any

TITLE = "iPVB-screening"
READY_PCT = 75
CONDITIONS_PCT = 50
AREA_MIN_PCT = 50

AREAS: list[dict[str, Any]] = [
    {
        "code": "A",
        "title": "Betrokkenheid van de raad van bestuur",
        "questions": [
            {"code": "A1", "text": "De raad van bestuur heeft tot deelname besloten en draagt dat uit."},
            {"code": "A2", "text": "De raad van bestuur maakt tijd en middelen vrij voor het programma."},
        ],
    },
    {
        "code": "B",
        "title": "Financiële administratie",
        "questions": [
            {"code": "B1", "text": "De salarissen zijn per functieniveau beschikbaar."},
            {"code": "B2", "text": "Er zijn kostenplaatsen per afdeling."},
            {"code": "B3", "text": "De organisatie kan zelf kostprijzen vaststellen."},
        ],
    },
    {
        "code": "C",
        "title": "Gesprekspraktijk met cliënten en families",
        "questions": [
            {"code": "C1", "text": "Cliënt, familie en professional voeren periodiek samen een gesprek."},
            {"code": "C2", "text": "Afspraken uit die gesprekken worden vastgelegd en gevolgd."},
        ],
    },
    {
        "code": "D",
        "title": "Regelruimte in de teams",
        "questions": [
            {"code": "D1", "text": "Teams maken binnen kaders zelf afspraken met cliënten."},
            {"code": "D2", "text": "Medewerkers mogen afwijken waar de cliënt dat vraagt."},
        ],
    },
    {
        "code": "E",
        "title": "Kandidaat-afdelingen",
        "questions": [
            {"code": "E1", "text": "Er is een kandidaat-afdeling zonder groepsgebonden dagzorg."},
            {"code": "E2", "text": "Er is een kandidaat-afdeling met groepsgebonden dagzorg."},
            {"code": "E3", "text": "De kandidaat-afdelingen hebben samen minstens 50 Wlz-cliënten."},
        ],
    },
    {
        "code": "F",
        "title": "Capaciteit voor een interne projectleider",
        "questions": [
            {"code": "F1", "text": "Er is een interne projectleider aangewezen met voldoende uren."},
        ],
    },
    {
        "code": "G",
        "title": "Ervaring uit Waardigheid & Trots",
        "questions": [
            {"code": "G1", "text": "De organisatie heeft ervaring opgedaan in Waardigheid & Trots."},
        ],
    },
]
