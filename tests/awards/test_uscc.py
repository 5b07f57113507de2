"""The unified social credit code validator (GB 32100-2015)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from awards.uscc import ALPHABET, InvalidUSCC, check_character, is_valid_uscc, normalize_uscc, validate_uscc
from awards.validators import validate_uscc_field

VALID = [
    "91350100M000100Y43",  # the standard's worked example
    "91110000600037341L",
    "91330106MA2GL1T2" + "4" + check_character("91330106MA2GL1T24"),
]


@pytest.mark.parametrize("code", VALID)
def test_it_accepts_valid_codes(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
        ("91350100-M000100Y4-3", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width, as typed with a Chinese IME
    ],
)
def test_it_normalises_before_checking(raw, normalised):
    assert validate_uscc(raw) == normalised


@pytest.mark.parametrize(
    ("code", "reason", "position"),
    [
        ("", "empty", None),
        ("91350100M000100Y4", "length", None),
        ("91350100M000100Y433", "length", None),
        ("91350100M000100Y4Z", "character", 18),
        ("91350100M00O100Y43", "character", 12),
        ("91350100M000I00Y43", "character", 13),
        ("9135A100M000100Y43", "region", 5),
        ("91350100M000100Y44", "check", 18),
        ("91350100M000100Y4Z".replace("Z", "0"), "check", 18),
    ],
)
def test_it_says_precisely_what_is_wrong(code, reason, position):
    with pytest.raises(InvalidUSCC) as error:
        validate_uscc(code)
    assert error.value.code == reason
    assert error.value.position == position


def test_an_outdated_region_code_is_not_rejected():
    first17 = "91999999MA0000001"  # no such region: districts merge, old codes stay valid
    assert is_valid_uscc(first17 + check_character(first17))


def test_the_field_validator_explains_in_chinese():
    with pytest.raises(ValidationError) as error:
        validate_uscc_field("91350100M000100Y44")
    assert "校验" in error.value.messages[0]
    assert error.value.code == "uscc_check"


def test_the_field_validator_names_the_length_entered():
    with pytest.raises(ValidationError) as error:
        validate_uscc_field("9135010")
    assert "18" in error.value.messages[0] and "7" in error.value.messages[0]


codes = (
    st.text(alphabet=ALPHABET, min_size=9, max_size=9)
    .map(lambda org: "91330106" + org)
    .map(lambda first17: first17 + check_character(first17))
)


@settings(max_examples=300, deadline=None)
@given(codes)
def test_it_agrees_with_python_stdnum_on_valid_codes(code):
    assert is_valid_uscc(code) and stdnum_uscc.is_valid(code)


@settings(max_examples=200, deadline=None)
@given(codes, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_every_single_character_change_is_detected(code, position, replacement):
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(changed)


def test_every_single_character_change_of_the_worked_example_is_detected():
    code = "91350100M000100Y43"
    for position in range(18):
        for replacement in ALPHABET:
            if replacement != code[position]:
                assert not is_valid_uscc(code[:position] + replacement + code[position + 1 :])


def test_normalise_leaves_an_empty_value_empty():
    assert normalize_uscc(None) == ""
