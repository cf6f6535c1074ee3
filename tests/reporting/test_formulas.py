"""Section 7 and 8 rules against the worked examples, plus properties."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reporting import formulas

D = Decimal
B = D("819.73")


def test_reindication_limit_of_the_example() -> None:
    assert formulas.reindication_limit(B, D("10")) == D("901.703")


def test_950_four_weeks_raises_the_signal_in_week_4() -> None:
    assert formulas.reindication_weeks([D("950.00")] * 4, B, D("10"), 4) == [False, False, False, True]


def test_901_70_never_raises_it() -> None:
    assert not any(formulas.reindication_weeks([D("901.70")] * 10, B, D("10"), 4))


def test_one_week_at_900_restarts_the_count() -> None:
    weeks = [D("950.00")] * 3 + [D("900.00")] + [D("950.00")] * 4
    assert formulas.reindication_weeks(weeks, B, D("10"), 4) == [False] * 7 + [True]


def test_meerzorg_limit_of_the_example() -> None:
    budget = D("1135.66")
    assert formulas.meerzorg_limit(budget) == D("1419.575")
    assert formulas.is_meerzorg("7VV", D("1419.58"), budget)
    assert not formulas.is_meerzorg("7VV", D("1419.57"), budget)
    assert formulas.is_meerzorg("8VV", D("1419.58"), budget)
    assert not formulas.is_meerzorg("6VV", D("2000.00"), budget)


def test_overrun_and_no_budget() -> None:
    assert formulas.is_overrun(D("819.74"), B)
    assert not formulas.is_overrun(D("819.73"), B)
    assert formulas.is_overrun(D("10.00"), D("0.00"))  # B = 0: every package is an overrun
    assert formulas.overrun_pct(D("950.00"), B) == D("15.89")
    assert formulas.overrun_pct(D("1.00"), D("0.00")) is None


def test_structural_deficit_and_review() -> None:
    assert formulas.structural_deficit(D("-0.01"))
    assert not formulas.structural_deficit(D("0.00"))
    today = datetime.date(2026, 3, 1)
    assert formulas.review_state(datetime.date(2026, 2, 28), today) == "overdue"
    assert formulas.review_state(datetime.date(2026, 3, 31), today) == "due"
    assert formulas.review_state(datetime.date(2026, 4, 1), today) is None


def test_fte_of_section_8() -> None:
    c = D("1216.944")
    assert formulas.fte_required(D("100"), c) == D("4.28")
    assert [formulas.fte_required(h, c) for h in (D("218"), D("98"), D("20"), D("10"))] == [
        D("9.34"),
        D("4.20"),
        D("0.86"),
        D("0.43"),
    ]


money = st.decimals(min_value=D("0.00"), max_value=D("5000.00"), places=2)


@given(
    totals=st.lists(money, max_size=12),
    weeks=st.integers(min_value=1, max_value=8),
    budget=st.decimals(min_value=D("1.00"), max_value=D("3000.00"), places=2),
)
def test_signal_never_fires_with_fewer_than_n_weeks(
    totals: list[Decimal], weeks: int, budget: Decimal
) -> None:
    result = formulas.reindication_weeks(totals, budget, D("10"), weeks)
    for index, fired in enumerate(result):
        window = totals[max(0, index - weeks + 1) : index + 1]
        expected = len(window) == weeks and all(formulas.over_threshold(t, budget, D("10")) for t in window)
        assert fired == expected
        if index + 1 < weeks:
            assert not fired
