"""Cell parsers: what people type into a spreadsheet cell, turned into model values (and back).

Each parser's ``parse(value, lookups)`` returns the Python value or raises :class:`CellError`
with a translated message; ``export(value)`` gives the cell value written on export, chosen so
that parsing it again returns the same value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from corridor.orgs import creditcode
from corridor.orgs.models import Organization
from corridor.regions.models import City, Industry
from corridor.regions.selectors import resolve_city
from corridor.transfer.readers import EXCEL_ERRORS

# Separators between several values in one cell (industries, parties).
SEPARATORS = "、,;，；\n"
_SPLIT_RE = re.compile(r"[、,;，；\n]+")


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """Cell text; integral floats lose their “.0” (phone numbers and codes typed as numbers)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    text = str(value).strip()
    if text in EXCEL_ERRORS:
        raise CellError(_("The cell holds the Excel error {error}.").format(error=text))
    return text


class Lookups:
    """Per-import caches of cities, industries and organisations, so each distinct value costs one query."""

    def __init__(self) -> None:
        self._cities: dict[str, City | None] = {}
        self._orgs: dict[str, Organization | None] = {}
        self._industries_by_code: dict[str, Industry] | None = None
        self._industries_by_name: dict[str, Industry] = {}
        self._industry_names_with_separators: list[str] = []

    def city(self, text: str) -> City | None:
        if text not in self._cities:
            self._cities[text] = resolve_city(text)
        return self._cities[text]

    def _load_industries(self) -> None:
        by_code: dict[str, Industry] = {}
        by_name: dict[str, Industry] = {}
        # GB/T 4754 first: where a name or code exists in both schemes, the national classification wins.
        for ind in Industry.objects.order_by("-scheme", "-level").only("id", "scheme", "code", "name", "name_en"):
            by_code[ind.code] = ind
            by_name[ind.name] = ind
            if ind.name_en:
                by_name[ind.name_en.casefold()] = ind
        self._industries_by_code = by_code
        self._industries_by_name = by_name
        self._industry_names_with_separators = sorted(
            (n for n in by_name if any(c in n for c in SEPARATORS)), key=len, reverse=True
        )

    def industry(self, text: str) -> Industry | None:
        if self._industries_by_code is None:
            self._load_industries()
        assert self._industries_by_code is not None  # noqa: S101 - loaded just above
        found = self._industries_by_code.get(text) or self._industries_by_name.get(text) or self._industries_by_name.get(text.casefold())
        if found is None and re.fullmatch(r"[A-Ta-t]\d{2,4}", text):
            found = self._industries_by_code.get(text[1:])  # “C26”: section letter written before the division code
        return found

    def industry_names_with_separators(self) -> list[str]:
        if self._industries_by_code is None:
            self._load_industries()
        return self._industry_names_with_separators

    def organization(self, text: str) -> Organization | None:
        """An organisation by unified social credit code or exact name."""
        if text not in self._orgs:
            org = None
            code = creditcode.normalize(text)
            if len(code) == 18 and creditcode.is_valid(code):
                org = Organization.objects.filter(credit_code=code).first()
            if org is None and "\x00" not in text:  # PostgreSQL refuses NUL in text parameters
                org = Organization.objects.filter(name=text.strip()).first()
            self._orgs[text] = org
        return self._orgs[text]


class Parser:
    """Base parser: text in, value out. ``choices()`` lists allowed cell values for drop-downs."""

    def parse(self, value: Any, lookups: Lookups) -> Any:
        return as_text(value)

    def export(self, value: Any) -> Any:
        return "" if value is None else value

    def choices(self) -> list[str]:
        return []

    def describe(self) -> str:
        return _("Text")

    def same(self, current: Any, new: Any) -> bool:
        return current == new


class Text(Parser):
    def __init__(self, max_length: int | None = None, validator: Any = None, kind: str = "") -> None:
        self.max_length = max_length
        self.validator = validator
        self.kind = kind

    def parse(self, value: Any, lookups: Lookups) -> str:
        text = as_text(value)
        if self.max_length and len(text) > self.max_length:
            raise CellError(
                _("At most {max} characters are allowed; this cell has {n}.").format(max=self.max_length, n=len(text))
            )
        if self.validator is not None:
            try:
                self.validator(text)
            except ValidationError as exc:
                raise CellError(" ".join(str(m) for m in exc.messages)) from exc
        return text

    def describe(self) -> str:
        if self.kind == "email":
            return _("E-mail address")
        if self.kind == "url":
            return _("Web address starting with http:// or https://")
        if self.max_length:
            return _("Text, at most {max} characters").format(max=self.max_length)
        return _("Text")

    @classmethod
    def email(cls) -> Text:
        return cls(254, EmailValidator(), kind="email")

    @classmethod
    def url(cls) -> Text:
        return cls(200, URLValidator(), kind="url")


class Integer(Parser):
    def __init__(self, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def parse(self, value: Any, lookups: Lookups) -> int:
        if isinstance(value, bool):
            raise CellError(_("A whole number is expected."))
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = as_text(value).replace(",", "")
            text = re.sub(r"^(?i:trl)\s*", "", text)
            if text.endswith("年"):
                text = text[:-1]
            parsed: int | None
            try:
                parsed = int(Decimal(text)) if Decimal(text).is_finite() and Decimal(text) == Decimal(text).to_integral() else None
            except InvalidOperation:
                parsed = None
            if parsed is None:
                raise CellError(_("“{value}” is not a whole number.").format(value=text))
            number = parsed
        if self.minimum is not None and number < self.minimum or self.maximum is not None and number > self.maximum:
            raise CellError(_("The number must be between {min} and {max}.").format(min=self.minimum, max=self.maximum))
        return number

    def describe(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return _("Whole number from {min} to {max}").format(min=self.minimum, max=self.maximum)
        return _("Whole number")


_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000), "百万": Decimal(1_000_000)}
_CENT = Decimal("0.01")


class Amount(Parser):
    """Yuan with two decimals: 1200000, 1,200,000.00, ¥1,200,000, 120万, 120万元, 1.2亿."""

    def parse(self, value: Any, lookups: Lookups) -> Decimal:
        if isinstance(value, bool):
            raise CellError(_("An amount in yuan is expected."))
        if isinstance(value, int | float | Decimal):
            amount = Decimal(str(value))
        else:
            text = as_text(value)
            s = re.sub(r"[\s,，]", "", text)
            s = re.sub(r"^(?:¥|￥|RMB|CNY|人民币)", "", s, flags=re.IGNORECASE)
            s = re.sub(r"(?:元|RMB|CNY|yuan)$", "", s, flags=re.IGNORECASE)
            factor = Decimal(1)
            for unit in sorted(_UNITS, key=len, reverse=True):
                if s.endswith(unit):
                    factor = _UNITS[unit]
                    s = s[: -len(unit)]
                    break
            try:
                amount = Decimal(s) * factor
            except InvalidOperation:
                raise CellError(
                    _("“{value}” is not an amount; write e.g. 1200000, 1,200,000.00 or 120万.").format(value=text)
                ) from None
        if not amount.is_finite():
            raise CellError(_("An amount in yuan is expected."))
        if amount < 0:
            raise CellError(_("Amounts cannot be negative."))
        if amount >= Decimal("1e14"):  # before quantize(), which fails beyond 28 digits
            raise CellError(_("The amount is too large."))
        rounded = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        if abs(rounded - amount) > Decimal("0.000001"):
            raise CellError(_("Amounts have at most two decimal places (fen)."))
        if rounded >= Decimal("1e14"):
            raise CellError(_("The amount is too large."))
        return rounded

    def export(self, value: Any) -> Any:
        return "" if value is None else value

    def describe(self) -> str:
        return _("Amount in yuan, e.g. 1200000, 1,200,000.00, ¥1,200,000 or 120万")


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class Date(Parser):
    def parse(self, value: Any, lookups: Lookups) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466 and value < 19000101:
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else converted
        text = as_text(value)
        for pattern in _DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                try:
                    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    break
        raise CellError(_("“{value}” is not a date; write e.g. 2025-10-26, 2025/10/26 or 2025年10月26日.").format(value=text))

    def export(self, value: Any) -> Any:
        return "" if value is None else value

    def describe(self) -> str:
        return _("Date, e.g. 2025-10-26, 2025/10/26 or 2025年10月26日")


_TRUE = {"是", "公开", "y", "yes", "true", "1", "√", "✓", "对"}
_FALSE = {"否", "不公开", "n", "no", "false", "0", "×", "✗", "不"}


class Boolean(Parser):
    def parse(self, value: Any, lookups: Lookups) -> bool:
        if isinstance(value, bool):
            return value
        text = as_text(value).casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError(_("Write 是 (yes) or 否 (no), not “{value}”.").format(value=as_text(value)))

    def export(self, value: Any) -> Any:
        with translation.override("zh-hans"):
            return "是" if value else "否"

    def choices(self) -> list[str]:
        return ["是", "否"]

    def describe(self) -> str:
        return _("是 (yes) or 否 (no)")


class Choice(Parser):
    """An enumeration: the Chinese label, the English label or the code."""

    def __init__(self, choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> None:
        self.enum = choices
        self.aliases = aliases or {}
        self._map: dict[str, str] | None = None

    def _labels(self) -> dict[str, str]:
        if self._map is None:
            mapping: dict[str, str] = {}
            for value, label in self.enum.choices:
                if not value:
                    continue
                mapping[value.casefold()] = value
                for lang in ("en", "zh-hans"):
                    with translation.override(lang):
                        mapping[str(label).casefold()] = value
            for alias, value in self.aliases.items():
                mapping.setdefault(alias.casefold(), value)
            self._map = mapping
        return self._map

    def parse(self, value: Any, lookups: Lookups) -> str:
        text = as_text(value)
        key = re.sub(r"\s+", " ", text).casefold()
        found = self._labels().get(key)
        if found is None:
            # “X射线衍射” for “X 射线衍射”: Chinese labels are often typed without their spaces
            squeezed = key.replace(" ", "")
            found = next((v for k, v in self._labels().items() if k.replace(" ", "") == squeezed), None)
        if found is None:
            raise CellError(
                _("“{value}” is not one of: {allowed}.").format(value=text, allowed="、".join(self.choices()))
            )
        return found

    def export(self, value: Any) -> Any:
        if not value:
            return ""
        with translation.override("zh-hans"):
            return str(self.enum(value).label)

    def choices(self) -> list[str]:
        with translation.override("zh-hans"):
            return [str(label) for value, label in self.enum.choices if value]

    def describe(self) -> str:
        return _("One of the listed values (the Chinese label, the English label or the code)")


class CityRef(Parser):
    def parse(self, value: Any, lookups: Lookups) -> City:
        text = as_text(value)
        city = lookups.city(text)
        if city is None:
            raise CellError(_("Unknown city “{value}”; write e.g. 苏州, 苏州市 or 320500.").format(value=text))
        return city

    def export(self, value: Any) -> Any:
        return value.name if value is not None else ""

    def describe(self) -> str:
        return _("City name or GB/T 2260 code, e.g. 苏州, 苏州市 or 320500")

    def same(self, current: Any, new: Any) -> bool:
        return getattr(current, "pk", None) == getattr(new, "pk", None)


def split_protected(text: str, protected: Iterable[str]) -> list[str]:
    """Split on the separators, keeping known names that contain a separator (农、林、牧、渔业) whole."""
    holders: dict[str, str] = {}
    for i, name in enumerate(protected):
        if name in text:
            token = f"\x00{i}\x00"
            holders[token] = name
            text = text.replace(name, token)
    parts = [p.strip() for p in _SPLIT_RE.split(text)]
    out = []
    for part in parts:
        for token, name in holders.items():
            part = part.replace(token, name)
        if part:
            out.append(part)
    return out


class Industries(Parser):
    """Several industries by code or name, separated by 、 , ; (export writes “code name”)."""

    def parse(self, value: Any, lookups: Lookups) -> list[Industry]:
        text = as_text(value)
        found: list[Industry] = []
        unknown: list[str] = []
        for token in split_protected(text, lookups.industry_names_with_separators()):
            ind = lookups.industry(token)
            if ind is None and " " in token:
                code, name = token.split(" ", 1)
                ind = lookups.industry(code)
                if ind is not None and name.strip() not in (ind.name, ind.name_en):
                    raise CellError(
                        _("Industry code {code} is “{name}”, not “{given}”.").format(code=code, name=ind.name, given=name.strip())
                    )
            if ind is None:
                unknown.append(token)
            elif ind not in found:
                found.append(ind)
        if unknown:
            raise CellError(
                _("Unknown industry: {values}. Use GB/T 4754-2017 or strategic emerging industry codes or names.").format(
                    values="、".join(unknown)
                )
            )
        return found

    def export(self, value: Any) -> Any:
        return "；".join(f"{i.code} {i.name}" for i in sorted(value or [], key=lambda i: (i.scheme, i.code)))

    def describe(self) -> str:
        return _("Industry codes or names (GB/T 4754-2017 or strategic emerging industries), several separated by 、 or ;")

    def same(self, current: Any, new: Any) -> bool:
        return {i.pk for i in current or []} == {i.pk for i in new or []}


class IndustryRef(Industries):
    """Exactly one industry, by code or name (a contract's industry)."""

    def parse(self, value: Any, lookups: Lookups) -> Industry:  # type: ignore[override]  # one Industry, not a list
        found = super().parse(value, lookups)
        if len(found) != 1:
            raise CellError(_("Give one industry only."))
        return found[0]

    def export(self, value: Any) -> Any:
        return "" if value is None else f"{value.code} {value.name}"

    def describe(self) -> str:
        return _("One industry code or name (GB/T 4754-2017 or strategic emerging industries)")

    def same(self, current: Any, new: Any) -> bool:
        return getattr(current, "pk", None) == getattr(new, "pk", None)


class OrgRef(Parser):
    def parse(self, value: Any, lookups: Lookups) -> Organization:
        text = as_text(value)
        org = lookups.organization(text)
        if org is None:
            raise CellError(
                _("No organisation with the credit code or exact name “{value}” is registered.").format(value=text)
            )
        return org

    def export(self, value: Any) -> Any:
        return value.name if value is not None else ""

    def describe(self) -> str:
        return _("Unified social credit code or exact registered name of an organisation")

    def same(self, current: Any, new: Any) -> bool:
        return getattr(current, "pk", None) == getattr(new, "pk", None)


class CreditCode(Parser):
    def parse(self, value: Any, lookups: Lookups) -> str:
        code = creditcode.normalize(as_text(value))
        message = creditcode.problem(code)
        if message:
            raise CellError(message)
        return code

    def describe(self) -> str:
        return _("18-character unified social credit code (GB 32100-2015)")


class Country(Parser):
    _NAMES = {"中国": "CN", "china": "CN", "中国大陆": "CN", "德国": "DE", "germany": "DE", "美国": "US", "日本": "JP",
              "韩国": "KR", "英国": "GB", "法国": "FR", "新加坡": "SG", "中国香港": "HK", "香港": "HK", "中国澳门": "MO", "中国台湾": "TW"}

    def parse(self, value: Any, lookups: Lookups) -> str:
        text = as_text(value)
        code = self._NAMES.get(text.casefold(), text.upper())
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise CellError(_("Write a two-letter ISO 3166 country code (CN, DE, …), not “{value}”.").format(value=text))
        return code

    def describe(self) -> str:
        return _("Two-letter ISO 3166 country code, e.g. CN, DE (empty: CN)")
