from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from conversations import formulas

D = Decimal


def test_worked_example_lines_and_totals() -> None:
    # Domain page section 6: K at the 2026 model
    lines = [
        formulas.line_cost_per_week(D("58.98"), 25, 7),
        formulas.line_cost_per_week(D("58.98"), 20, 7),
        formulas.line_cost_per_week(D("68.02"), 5, 14),
        formulas.line_cost_per_week(D("54.06"), 45, 2),
        formulas.line_cost_per_week(D("58.98"), 30, 2),
    ]
    assert lines == [D("172.03"), D("137.62"), D("79.36"), D("81.09"), D("58.98")]
    totals = formulas.package_totals(budget=D("819.73"), budget_line_costs=lines)
    assert totals.total == D("529.08")
    assert totals.balance == D("290.65")
    assert totals.utilisation_pct == D("64.54")
    assert not totals.overrun


def test_group_activity_is_shared_over_the_group() -> None:
    assert formulas.line_cost_per_week(D("54.06"), 120, 1, group_size=8) == D("13.52")


def test_latitude_bands() -> None:
    budget = D("100.00")
    assert (
        formulas.latitude(total=D("100.00"), budget=budget, tolerance_pct=D("5"))
        is formulas.Latitude.WITHIN_BUDGET
    )
    assert (
        formulas.latitude(total=D("105.00"), budget=budget, tolerance_pct=D("5"))
        is formulas.Latitude.WITHIN_TOLERANCE
    )
    assert (
        formulas.latitude(total=D("105.01"), budget=budget, tolerance_pct=D("5"))
        is formulas.Latitude.BEYOND_TOLERANCE
    )


def test_zero_budget_has_no_utilisation() -> None:
    totals = formulas.package_totals(budget=D("0.00"), budget_line_costs=[D("10.00")])
    assert totals.utilisation_pct is None
    assert totals.overrun and totals.overrun_amount == D("10.00")


rates = st.decimals(min_value=D("1.00"), max_value=D("200.00"), places=2)


@given(
    st.lists(st.tuples(rates, st.integers(1, 240), st.integers(1, 21)), max_size=12),
    st.decimals(min_value=D("0"), max_value=D("5000"), places=2),
)
def test_total_is_sum_of_rounded_lines(lines, budget) -> None:  # type: ignore[no-untyped-def]
    costs = [formulas.line_cost_per_week(rate, minutes, occ) for rate, minutes, occ in lines]
    totals = formulas.package_totals(budget=budget, budget_line_costs=costs)
    assert totals.total == sum(costs, D("0.00"))
    assert totals.balance == budget - totals.total
    assert all(cost == cost.quantize(D("0.01")) for cost in costs)


@given(rates, st.integers(1, 600), st.integers(1, 50))
def test_line_cost_rounds_half_up(rate, minutes, occ) -> None:  # type: ignore[no-untyped-def]
    exact = rate * minutes * occ / D(60)
    cost = formulas.line_cost_per_week(rate, minutes, occ)
    assert abs(cost - exact) <= D("0.005")
    if (exact * 1000) % 10 == 5 and exact == exact.quantize(D("0.001")):
        assert cost > exact
