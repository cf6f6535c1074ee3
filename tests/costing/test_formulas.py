"""The worked examples of the domain page (sections 4, 5, 6 and 8) to the cent, plus
hypothesis properties of the pure formulas."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costing import formulas as f

D = Decimal
MODEL = f.ModelInputs(D("1878"), D("10.5"), D("6.5"), D("2.0"), D("80"), D("22"))


def level(salary: str, irregular: str) -> f.LevelInputs:
    return f.LevelInputs(D(salary), D("8"), D("8.33"), D(irregular), D("27"))


def test_available_and_client_bound_hours() -> None:
    assert MODEL.available_hours == D("1521.18")
    assert MODEL.client_bound_hours == D("1216.944")


@pytest.mark.parametrize(
    ("salary", "irregular", "e", "d", "k"),
    [
        ("2890", "7", "54318.97", "44.64", "54.46"),  # helpende
        ("3130", "7", "58829.89", "48.34", "58.98"),  # verzorgende IG
        ("3610", "7", "67851.73", "55.76", "68.02"),  # verpleegkundige 4
        ("2990", "2", "53920.14", "44.31", "54.06"),  # welzijnsmedewerker
    ],
)
def test_level_build_up_matches_domain_page(salary: str, irregular: str, e: str, d: str, k: str) -> None:
    build = f.level_build_up(MODEL, level(salary, irregular))
    assert f.round2(build.employer_cost) == D(e)
    assert f.round2(build.direct_cost) == D(d)
    assert build.integral_rate == D(k)
    # Intermediate values are never rounded.
    assert build.employer_cost != f.round2(build.employer_cost) or build.direct_cost != f.round2(
        build.direct_cost
    )


def test_budget_waterfall_worked_example() -> None:
    r = f.weekly_care_revenue(D("238.50"), D("97.0"))
    h = f.hotel_deduction(D("32.00"))
    g = f.group_share([(D("98"), D("58.98")), (D("63"), D("54.46"))], 16)
    b = f.personal_budget(r, h, g)
    assert (r, h, g, b) == (D("1619.42"), D("224.00"), D("575.69"), D("819.73"))
    assert f.hours_at_rate(b, D("58.98")) == D("13.9")


def test_line_costs_and_package_example() -> None:
    lines = [
        f.line_cost_per_week(D("58.98"), 25, 7),
        f.line_cost_per_week(D("58.98"), 20, 7),
        f.line_cost_per_week(D("68.02"), 5, 14),
        f.line_cost_per_week(D("54.06"), 45, 2),
        f.line_cost_per_week(D("58.98"), 30, 2),
    ]
    assert lines == [D("172.03"), D("137.62"), D("79.36"), D("81.09"), D("58.98")]
    assert sum(lines) == D("529.08")


def test_fte_required_example() -> None:
    assert f.fte_required(D("100"), MODEL.client_bound_hours) == D("4.28")


def test_round2_is_half_up_not_bankers() -> None:
    assert f.round2(D("20.125")) == D("20.13")
    assert f.round2(D("20.135")) == D("20.14")
    assert f.round2(D("-0.005")) == D("-0.01")
    assert f.round1(D("13.85")) == D("13.9")


def test_negative_budget_shown_as_zero() -> None:
    raw = f.personal_budget(D("500.00"), D("224.00"), D("575.69"))
    assert raw == D("-299.69")
    assert f.shown_budget(raw) == D("0")
    assert f.hours_at_rate(raw, D("58.98")) == D("0.0")


def test_group_share_needs_places() -> None:
    with pytest.raises(ValueError):
        f.group_share([(D("1"), D("1"))], 0)


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        f.round2(1.005)  # type: ignore[arg-type]


money = st.decimals(min_value=D("0"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False)
fine = st.decimals(
    min_value=D("-100000"), max_value=D("100000"), places=6, allow_nan=False, allow_infinity=False
)
pct = st.decimals(min_value=D("0"), max_value=D("100"), places=3, allow_nan=False, allow_infinity=False)


@given(fine)
def test_round2_half_up_property(value: Decimal) -> None:
    rounded = f.round2(value)
    assert rounded == rounded.quantize(D("0.01"))
    assert abs(value - rounded) <= D("0.005")
    # Exactly halfway rounds away from zero.
    halfway = value.quantize(D("0.01"), rounding="ROUND_DOWN") + (D("0.005") if value >= 0 else D("-0.005"))
    assert f.round2(halfway) == halfway.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert abs(f.round2(halfway)) > abs(halfway)


@given(money, money, money)
def test_budget_never_shown_negative(r: Decimal, h: Decimal, g: Decimal) -> None:
    raw = f.personal_budget(r, h, g)
    assert raw == r - h - g
    shown = f.shown_budget(raw)
    assert shown >= 0
    assert shown == (raw if raw > 0 else 0)
    assert f.hours_at_rate(raw, D("58.98")) >= 0


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60), st.integers(1, 21)), max_size=15))
def test_line_costs_are_rounded_per_line(lines: list[tuple[int, int, int]]) -> None:
    costs = [f.line_cost_per_week(D("58.98"), minutes, occ) for _x, minutes, occ in lines]
    assert all(c == c.quantize(D("0.01")) for c in costs)
    assert sum(costs, D(0)) == sum((f.round2(D("58.98") * m * o / 60) for _x, m, o in lines), D(0))


@given(money, pct)
def test_care_revenue_is_cents_and_monotone(tariff: Decimal, contract: Decimal) -> None:
    r = f.weekly_care_revenue(tariff, contract)
    assert r == r.quantize(D("0.01"))
    assert r <= f.round2(tariff * 7)
    assert abs(r - tariff * contract / 100 * 7) <= D("0.005")


@given(
    st.decimals(min_value=D("1000"), max_value=D("8000"), places=2),
    pct.filter(lambda p: p < 30),
    st.decimals(min_value=D("0"), max_value=D("60"), places=2),
)
def test_integral_rate_grows_with_salary_and_overhead(
    salary: Decimal, irregular: Decimal, overhead: Decimal
) -> None:
    model = f.ModelInputs(D("1878"), D("10.5"), D("6.5"), D("2.0"), D("80"), overhead)
    low = f.level_build_up(model, f.LevelInputs(salary, D("8"), D("8.33"), irregular, D("27")))
    high = f.level_build_up(model, f.LevelInputs(salary + 100, D("8"), D("8.33"), irregular, D("27")))
    assert high.integral_rate >= low.integral_rate
    assert low.integral_rate == f.round2(low.direct_cost * (1 + overhead / 100))
