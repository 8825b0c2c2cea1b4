import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from corridor.orgs.creditcode import (
    ALPHABET,
    check_character,
    is_valid,
    make_code,
    problem,
    validate_credit_code,
)

# Published codes of real organisations (public business registrations).
VALID = ["91350100M000100Y43", "91110000802100433B", "91310000132200821H"]
INVALID = [
    ("91350100M000100Y44", "check character"),
    ("9135010M000100Y43", "18 characters"),
    ("91350100M0001O0Y43", "O"),
    ("91AB0100M000100Y43", "administrative division"),
    ("", "18 characters"),
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert is_valid(code)
    assert is_valid(code.lower())  # normalised before checking
    validate_credit_code(code)


@pytest.mark.parametrize(("code", "reason"), INVALID)
def test_invalid_codes_say_why(code, reason):
    with translation.override("en"):
        message = problem(code)
    assert message is not None
    assert reason in message
    with pytest.raises(ValidationError):
        validate_credit_code(code)


@given(st.text(alphabet=ALPHABET, min_size=2, max_size=2), st.from_regex(r"\A[0-9]{6}\Z"), st.text(alphabet=ALPHABET, min_size=9, max_size=9))
def test_made_codes_are_valid_and_any_single_change_is_caught(prefix, division, org):
    code = make_code(prefix, division, org)
    assert is_valid(code)
    for other in ALPHABET:
        if other != code[17]:
            assert not is_valid(code[:17] + other)
    assert check_character(code[:17]) == code[17]


@given(st.text(max_size=30))
def test_problem_never_raises(text):
    assert problem(text) is None or isinstance(problem(text), str)


def test_messages_are_chinese_by_default():
    assert "校验" in problem("91350100M000100Y44")
