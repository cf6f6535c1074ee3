"""The BSN 11-check (domain page section 3), masking and the form/service messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clients.formulas import BSN_WEIGHTS, bsn_is_valid, mask_bsn, normalise_bsn

GOOD = ["111222333", "123456782", "999999990", "012345684"]
BAD = ["123456789", "000000000", "12345678", "1234567890", "abcdefghi", "", "11122233X", "111222334"]


@pytest.mark.parametrize("value", GOOD)
def test_known_good_numbers_pass(value: str) -> None:
    assert bsn_is_valid(value)


@pytest.mark.parametrize("value", BAD)
def test_known_bad_numbers_fail(value: str) -> None:
    assert not bsn_is_valid(value)


def test_eight_digits_get_a_leading_zero() -> None:
    assert normalise_bsn("12345684") == "012345684"
    assert bsn_is_valid("12345684")
    assert normalise_bsn(" 123 456 782 ") == "123456782"


def test_mask_shows_only_the_last_three_digits() -> None:
    assert mask_bsn("123456782") == "******782"


def _weighted(digits: list[int]) -> int:
    return sum(d * w for d, w in zip(digits, BSN_WEIGHTS, strict=True))


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_valid_exactly_when_weighted_sum_is_positive_multiple_of_11(digits: list[int]) -> None:
    total = _weighted(digits)
    assert bsn_is_valid("".join(map(str, digits))) == (total > 0 and total % 11 == 0)


@st.composite
def valid_bsns(draw):  # type: ignore[no-untyped-def]
    head = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    total = sum(d * w for d, w in zip(head, BSN_WEIGHTS[:8], strict=True))
    check = total % 11
    if check == 10 or (total == 0 and check == 0):
        head[0] = (head[0] + 1) % 10
        total = sum(d * w for d, w in zip(head, BSN_WEIGHTS[:8], strict=True))
        check = total % 11
    from hypothesis import assume

    assume(check < 10 and total - check > 0)
    return "".join(map(str, [*head, check]))


@given(valid_bsns(), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_breaks_a_valid_bsn(bsn: str, position: int, delta: int) -> None:
    assert bsn_is_valid(bsn)
    digits = [int(c) for c in bsn]
    digits[position] = (digits[position] + delta) % 10
    assert not bsn_is_valid("".join(map(str, digits)))


@given(valid_bsns(), st.integers(0, 7))
def test_swapping_two_adjacent_different_digits_breaks_a_valid_bsn(bsn: str, position: int) -> None:
    digits = list(bsn)
    if digits[position] == digits[position + 1]:
        return
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert not bsn_is_valid("".join(digits))


@given(st.text(max_size=12))
def test_never_crashes_on_any_text(text: str) -> None:
    assert bsn_is_valid(text) in {True, False}
