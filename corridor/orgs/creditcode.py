"""The unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V):
registration authority (1), organisation category (1), administrative division (6), the
organisation code of GB 11714 (9) and a check character computed over the first seventeen with
weights 3^i mod 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    return "".join(str(code).split()).upper()


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or None if it is."""
    code = normalize(code)
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has {n}.").format(n=len(code))
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return _("A unified social credit code uses digits and capital letters except I, O, Z, S and V; found {chars}.").format(
            chars=" ".join(bad)
        )
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 of a unified social credit code are the administrative division code and must be digits.")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("The check character of this unified social credit code is wrong (expected {expected}, found {found}).").format(
            expected=expected, found=code[17]
        )
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def validate_credit_code(value: str) -> None:
    message = problem(value)
    if message:
        raise ValidationError(message, code="invalid_credit_code")


def make_code(prefix2: str, division: str, org_code: str) -> str:
    """Build a valid code from its parts (used by the demo loader and tests)."""
    body = f"{prefix2}{division}{org_code}"
    if len(body) != 17:
        raise ValueError("prefix (2) + division (6) + organisation code (9) must give 17 characters")
    return body + check_character(body)
