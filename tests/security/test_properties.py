"""Property tests (hypothesis) of the parsers and validators that read what people type.

Whatever the input, each either returns a value or raises its one documented error
(``CellError`` for spreadsheet cells, ``ValidationError`` for the credit code validator, ``None``
for the resolvers) — never anything else, which would be a 500 in a form, an import or the API.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.orgs import creditcode
from corridor.regions.selectors import resolve_city, resolve_industry
from corridor.transfer import parsers
from corridor.transfer.parsers import CellError, Lookups

PROPS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Cell values as openpyxl and CSV readers hand them over.
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.datetimes(),
    st.dates(),
    st.text(max_size=40),
    st.from_regex(r"[¥￥]?\s?-?[0-9,，.]{0,14}(e[0-9]{1,4})?\s?(千|万|百万|亿)?(元|RMB|CNY|yuan)?", fullmatch=True),
    st.sampled_from(["Infinity", "-Infinity", "NaN", "sNaN", "1e30", "1e999999", "9" * 40, "1e-30", "²", "#²", "¹²³"]),
)

ALPHABET = creditcode.ALPHABET
bodies = st.tuples(
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)


# --- credit codes (GB 32100-2015) ---------------------------------------------------------------


@PROPS
@given(bodies)
def test_made_codes_are_valid(parts):
    code = creditcode.make_code(*parts)
    assert creditcode.problem(code) is None
    assert creditcode.is_valid(code.lower())  # case does not matter
    creditcode.validate_credit_code(f" {code[:9]} {code[9:]} ")  # nor white space


@PROPS
@given(bodies, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_caught(parts, position, replacement):
    code = creditcode.make_code(*parts)
    if code[position] == replacement:
        return
    wrong = code[:position] + replacement + code[position + 1 :]
    assert creditcode.problem(wrong) is not None  # weights 3^i mod 31 are units: every substitution shows
    with pytest.raises(ValidationError):
        creditcode.validate_credit_code(wrong)


@PROPS
@given(st.text(max_size=30))
def test_credit_code_checks_never_crash(text):
    message = creditcode.problem(text)
    assert message is None or (isinstance(message, str) and message)
    try:
        creditcode.validate_credit_code(text)
    except ValidationError as exc:
        assert exc.code == "invalid_credit_code"
    else:
        assert message is None


# --- spreadsheet cells --------------------------------------------------------------------------

PARSERS = {
    "text": parsers.Text(200),
    "email": parsers.Text.email(),
    "url": parsers.Text.url(),
    "integer": parsers.Integer(1, 9),
    "amount": parsers.Amount(),
    "date": parsers.Date(),
    "boolean": parsers.Boolean(),
    "credit_code": parsers.CreditCode(),
    "country": parsers.Country(),
}


def _parse_or_cell_error(parser, value, lookups):
    try:
        return parser.parse(value, lookups)
    except CellError as exc:
        assert isinstance(exc.message, str) and exc.message
        return exc


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_cell_parsers_raise_only_cell_errors(kind):
    parser = PARSERS[kind]
    lookups = Lookups()

    @PROPS
    @given(cells)
    def check(value):
        _parse_or_cell_error(parser, value, lookups)

    check()


NASTY = [
    "Infinity", "-Infinity", "NaN", "sNaN", "1e30", "1e999999", "9" * 40, "1e-30", "²", "#²", "١٢٣", "¹²³",
    float("inf"), float("nan"), 1e30, Decimal("1e30"), Decimal("Infinity"), Decimal("sNaN"), 10**40, -(10**40),
    "1e30万", "¥1e30", "TRL 1e999", "2025年13月40日", "0000-00-00", "#VALUE!", "\x00", " ", "\u200b",
]


@pytest.mark.parametrize("kind", sorted(PARSERS))
@pytest.mark.parametrize("value", NASTY, ids=repr)
def test_nasty_cells_give_cell_errors(kind, value):
    _parse_or_cell_error(PARSERS[kind], value, Lookups())


@PROPS
@given(st.decimals(min_value=0, max_value=Decimal("99999999999999.99"), places=2))
def test_amounts_round_trip_in_every_spelling(amount):
    parse = parsers.Amount().parse
    lookups = Lookups()
    assert parse(amount, lookups) == amount
    assert parse(f"¥{amount:,}", lookups) == amount
    assert parse(f"{amount}元", lookups) == amount
    if amount < Decimal("1e12"):
        assert parse(f"{amount / 10000}万", lookups) == amount
    if amount < Decimal("1e10"):
        assert parse(f"{amount / 100000000}亿", lookups) == amount


@PROPS
@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_dates_round_trip_in_every_spelling(day):
    parse = parsers.Date().parse
    lookups = Lookups()
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d")):
        assert parse(text, lookups) == day, text


# --- cities, industries, organisations: database lookups -------------------------------------


@pytest.mark.django_db
def test_lookups_raise_only_cell_errors():
    lookups = Lookups()
    refs = [parsers.CityRef(), parsers.Industries(), parsers.IndustryRef(), parsers.OrgRef()]

    @PROPS
    @given(cells)
    def check(value):
        for parser in refs:
            _parse_or_cell_error(parser, value, lookups)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["a\x00b", "\x00", "苏州\x00", "#\x00", "91310000\x00"], ids=repr)
def test_nul_characters_give_cell_errors(value):
    """PostgreSQL refuses NUL in text parameters; a cell or filter holding one must not reach a query."""
    for parser in (parsers.CityRef(), parsers.Industries(), parsers.OrgRef()):
        _parse_or_cell_error(parser, value, Lookups())
    assert resolve_city(value) is None and resolve_industry(value) is None


@pytest.mark.django_db
def test_resolvers_answer_none_for_anything_unknown():
    @PROPS
    @given(
        st.one_of(
            st.none(),
            st.integers(min_value=-(10**25), max_value=10**25),
            st.text(max_size=30),
            st.from_regex(r"#?[0-9]{1,25}", fullmatch=True),
            st.sampled_from(["²", "#²", "١٢٣", "#١", "320500", "苏州", "Suzhou", "26", "#1"]),
        )
    )
    def check(value):
        city = resolve_city(value)
        assert city is None or city.pk
        industry = resolve_industry(value)
        assert industry is None or industry.pk
        for scheme in ("gbt4754", "sei2018"):
            found = resolve_industry(value, scheme)
            assert found is None or found.scheme == scheme

    check()


@pytest.mark.django_db
def test_resolvers_find_what_they_document():
    assert resolve_city("苏州").short_name == resolve_city("苏州市").short_name == resolve_city("320500").short_name == "苏州"
    assert resolve_industry("26").code == "26"
