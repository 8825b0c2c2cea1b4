"""Every user-facing string of Corridor has a Chinese translation, and every catalogue is compiled.

The scan is deliberately simple (ast for Python, regular expressions for templates) and covers
the whole corridor package, so a string added later without its translation fails the suite.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2] / "corridor"
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def po_files() -> list[Path]:
    return sorted(ROOT.glob("**/locale/**/*.po"))


def chinese_catalogue() -> dict[tuple[str, str], bool]:
    """(context, msgid) → whether it is translated, over every zh_Hans catalogue under corridor/."""
    entries: dict[tuple[str, str], bool] = {}
    for path in po_files():
        if "zh_Hans" not in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            key = (entry.msgctxt or "", entry.msgid)
            entries[key] = entries.get(key, False) or (entry.translated() and "fuzzy" not in entry.flags)
    return entries


def python_msgids() -> set[tuple[str, str, str]]:
    """(file, context, msgid) of every literal passed to a gettext function in corridor/**/*.py."""
    found = set()
    for path in ROOT.glob("**/*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            args = node.args
            if name in GETTEXT and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                found.add((str(path.relative_to(ROOT)), "", args[0].value))
            elif name in PGETTEXT and len(args) >= 2 and all(isinstance(a, ast.Constant) for a in args[:2]):
                found.add((str(path.relative_to(ROOT)), str(args[0].value), str(args[1].value)))
    return found


TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?""")
UNDERSCORE = re.compile(r"""_\((["'])(.*?)\1\)""")
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b(.*?)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*([\w.]+)\s*}}")


def _block_msgid(options: str, body: str) -> str:
    text = VARIABLE.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))
    if "trimmed" in options.split():
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text


def template_msgids() -> set[tuple[str, str, str]]:
    found = set()
    for path in ROOT.glob("**/templates/**/*.html"):
        source = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        for m in TRANSLATE_TAG.finditer(source):
            found.add((rel, m.group(4) or "", m.group(2)))
        for m in UNDERSCORE.finditer(source):
            found.add((rel, "", m.group(2)))
        for m in BLOCK.finditer(source):
            options, body = m.group(1), m.group(2)
            singular = re.split(r"{%\s*plural\s*%}", body)[0]
            context = re.search(r"""context\s+(["'])(.*?)\1""", options)
            found.add((rel, context.group(2) if context else "", _block_msgid(options, singular)))
    return found


def test_scanner_finds_strings():
    # Guard against a scanner that silently finds nothing (and so could never fail).
    assert len(python_msgids()) > 100
    assert len(template_msgids()) > 50


@pytest.mark.parametrize("path", po_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_complete_and_compiled(path):
    catalogue = polib.pofile(str(path))
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    empty = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert not empty, f"{path}: untranslated {empty[:5]}"
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `corridor compile_translations`"
    compiled = {
        (e.msgctxt or "", e.msgid): (e.msgstr, dict(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
        if e.msgid
    }
    source = {
        (e.msgctxt or "", e.msgid): (e.msgstr, dict(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if e.msgid and not e.obsolete and e.translated()
    }
    assert compiled == source, f"{mo_path} is out of date: run `corridor compile_translations`"


def test_every_python_string_has_a_chinese_translation():
    catalogue = chinese_catalogue()
    missing = sorted(f"{f}: {m!r}" for f, c, m in python_msgids() if not catalogue.get((c, m)))
    assert not missing, "untranslated strings:\n" + "\n".join(missing)


def test_every_template_string_has_a_chinese_translation():
    catalogue = chinese_catalogue()
    missing = sorted(f"{f}: {m!r}" for f, c, m in template_msgids() if not catalogue.get((c, m)))
    assert not missing, "untranslated strings:\n" + "\n".join(missing)


def test_catalogues_are_loaded_at_runtime():
    with translation.override("zh-hans"):
        assert translation.gettext("The three lists") == "三张清单"
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("The three lists") == "The three lists"


def test_compile_command_writes_mo_files(tmp_path, monkeypatch):
    from django.core.management import call_command

    from corridor.core.management.commands import compile_translations

    po_dir = tmp_path / "app" / "locale" / "zh_Hans" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Hello", msgstr="你好"))
    po.save(str(po_dir / "django.po"))
    monkeypatch.setattr(compile_translations, "ROOT", tmp_path)
    monkeypatch.setattr(compile_translations, "catalogues", lambda root=tmp_path: sorted(tmp_path.glob("**/locale/**/*.po")))
    call_command("compile_translations")
    assert {e.msgid: e.msgstr for e in polib.mofile(str(po_dir / "django.mo"))}["Hello"] == "你好"
