"""The screening score against a hand-worked questionnaire, and the package amount."""

from __future__ import annotations

from decimal import Decimal

from reporting.programme.formulas import package_amount, screening_score

D = Decimal
AREAS = [
    {
        "code": "A",
        "title": "Bestuur",
        "questions": [{"code": "A1", "text": "."}, {"code": "A2", "text": "."}],
    },
    {
        "code": "B",
        "title": "Financiën",
        "questions": [{"code": "B1", "text": "."}, {"code": "B2", "text": "."}],
    },
    {"code": "C", "title": "Gesprekken", "questions": [{"code": "C1", "text": "."}]},
]
THRESHOLDS = {"ready_pct": D(75), "conditions_pct": D(50), "area_min_pct": D(50)}


def score(answers: dict[str, int], **overrides: Decimal):  # type: ignore[no-untyped-def]
    return screening_score(areas=AREAS, answers=answers, **{**THRESHOLDS, **overrides})


def test_hand_worked_ready_with_conditions() -> None:
    # A: 3+2 = 5/6 = 83.3 %; B: 1+0 = 1/6 = 16.7 %; C: 3/3 = 100 %; total 9/15 = 60.0 %.
    result = score({"A1": 3, "A2": 2, "B1": 1, "B2": 0, "C1": 3})
    assert [a.pct for a in result.areas] == [D("83.3"), D("16.7"), D("100.0")]
    assert (result.points, result.max_points, result.pct) == (9, 15, D("60.0"))
    assert result.outcome == "conditions"
    assert result.weakest == ["B"]


def test_hand_worked_ready_names_the_lowest_areas() -> None:
    # A 6/6, B 4/6 = 66.7 %, C 2/3 = 66.7 %; total 12/15 = 80.0 %: ready, weakest B and C.
    result = score({"A1": 3, "A2": 3, "B1": 2, "B2": 2, "C1": 2})
    assert result.pct == D("80.0") and result.outcome == "ready"
    assert result.weakest == ["B", "C"]


def test_an_area_below_the_minimum_keeps_it_from_ready() -> None:
    # Total 11/15 = 73.3 % reaches a ready threshold of 70, but B is 2/6 = 33.3 % < 50.
    result = score({"A1": 3, "A2": 3, "B1": 1, "B2": 1, "C1": 3}, ready_pct=D(70))
    assert result.pct == D("73.3") and result.outcome == "conditions" and result.weakest == ["B"]


def test_not_yet_and_exact_thresholds() -> None:
    result = score(dict.fromkeys(["A1", "A2", "B1", "B2", "C1"], 1))
    assert result.pct == D("33.3") and result.outcome == "not_yet" and result.weakest == ["A", "B", "C"]
    # A 3/6, B 3/6, C 0/3: total 6/15 = 40.0 %, below the conditions threshold.
    half = score({"A1": 2, "A2": 1, "B1": 2, "B2": 1, "C1": 0}, area_min_pct=D(0))
    assert half.pct == D("40.0") and half.outcome == "not_yet"
    full = score(dict.fromkeys(["A1", "A2", "B1", "B2", "C1"], 3))
    assert full.outcome == "ready" and full.weakest == []


PRICES = {
    "base": D("12500.00"),
    "guidance": D("4000.00"),
    "documents": D("750.00"),
    "software": D("3600.00"),
    "meetings": D("1200.00"),
}


def test_package_amount_and_software_deduction() -> None:
    plain = package_amount(prices=PRICES, additions=["guidance", "software"], own_software=False)
    assert (plain.gross, plain.deduction, plain.total) == (D("20100.00"), D(0), D("20100.00"))
    own = package_amount(prices=PRICES, additions=["guidance", "software"], own_software=True)
    assert (own.gross, own.deduction, own.total) == (D("20100.00"), D("3600.00"), D("16500.00"))
    base_only = package_amount(prices=PRICES, additions=[], own_software=True)
    assert base_only.total == D("12500.00")
