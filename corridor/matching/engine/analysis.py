"""Text analysis for the matching engine: Chinese first, English too.

Three analyses ("kinds") are produced for every text:

* ``"w"`` — words: jieba search-mode segmentation with a domain user dictionary built
  from the IK main dictionary and the THUOCL IT/medical lexicons; ASCII words are
  lowercased and stemmed (Snowball english, PyStemmer); stopwords removed.
* ``"b"`` — CJK character bigrams (robust where segmentation fails); ASCII words as in
  ``"w"``.
* ``"u"`` — CJK single characters (a soft, partial-match signal); ASCII words as in
  ``"w"``.

A Chinese<->English glossary derived from CC-CEDICT lets a Chinese query reach an
English document and back: :meth:`Analyzer.query_terms` adds down-weighted translated
terms to the query (query-side expansion only; documents are indexed as written).

Loading: jieba initialises without network access and never writes into
site-packages. Prepared state (jieba prefix dictionary with the domain words, the
glossary) is cached under ``cache_dir`` (default ``var/cache/matching`` relative to the
current directory, falling back to a temporary directory if that is not writable),
keyed by a hash of the inputs, so a second start takes well under a second.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import pickle
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import jieba
import Stemmer

__all__ = [
    "DATA_DIR",
    "KINDS",
    "Analyzer",
    "Glossary",
    "default_cache_dir",
    "get_analyzer",
]

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
KINDS: tuple[str, ...] = ("w", "b", "u")

#: Frequency given to a domain-dictionary word that jieba's own dictionary lacks
#: (global hyper-parameter; a low value keeps jieba's own words in charge).
DOMAIN_WORD_FREQ = 20

#: Weight of a glossary translation relative to an original query term.
TRANSLATION_WEIGHT = 0.3

# Generic function words only (no domain words): Chinese particles, conjunctions,
# prepositions, pronouns; and English function words that ik_stopword.dic lacks.
_GENERIC_ZH = (
    "的 地 得 了 着 过 和 与 及 或 而 并 且 在 于 是 对 为 以 之 其 把 被 从 由 向 将 就 也 都 "
    "这 那 该 此 各 每 某 个 们 吗 呢 吧 啊 呀 及其 以及 并且 或者 而且 但是 因为 所以 如果 "
    "虽然 然而 因此 这些 那些 这个 那个 这种 那种 我们 你们 他们 它们 其中 之一 之间 通过 "
    "进行 对于 关于 由于 以及"
)
_GENERIC_EN = (
    "from with without within via per its our we you i he she him her his my me us them "
    "has have had do does did been being were am can could would should may might must "
    "shall which who whom whose what when where why how than also only other some any all "
    "both each more most such very so too upon about after before over under between "
    "through during against among"
)
#: Single characters that carry no content on their own (used by the unigram kind).
_STOP_CHARS = frozenset(
    "的地得了着过和与及或而并且在于是对为以之其把被从由向将就也都这那该此各每某个们吗呢吧啊呀"
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[0-9a-z]+(?:[.\-+#][0-9a-z]+)*")
_ASCII_WORD_RE = re.compile(r"[0-9a-z]+")
_HAS_CJK_RE = re.compile(rf"[{_CJK}]")
_HAS_ALNUM_RE = re.compile(rf"[0-9a-z{_CJK}]")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def default_cache_dir() -> Path:
    """``var/cache/matching`` under the current directory, or a temp dir if unwritable."""
    candidate = Path.cwd() / "var" / "cache" / "matching"
    try:
        candidate.mkdir(parents=True, exist_ok=True)
        probe = candidate / ".probe"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
        return candidate
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "corridor-matching-cache"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def normalize(text: str) -> str:
    """NFKC (full-width to half-width) and lowercase."""
    return unicodedata.normalize("NFKC", text).lower()


def _file_digest(paths: Iterable[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _read_lexicon(path: Path) -> list[str]:
    words: list[str] = []
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            w = line.strip().split("\t")[0].split(" ")[0].strip()
            if w:
                words.append(w)
    return words


class Glossary:
    """Compact Chinese<->English lookup derived from CC-CEDICT.

    ``zh2en[chinese_word]`` is a list of English phrases (stemmed tokens joined by a
    space); ``en2zh[english_phrase]`` is a list of Chinese words. Only entries of at
    least two Chinese characters and glosses of one to three content words are kept.
    """

    MAX_PHRASE = 3

    def __init__(self, zh2en: dict[str, list[str]], en2zh: dict[str, list[str]]) -> None:
        self.zh2en = zh2en
        self.en2zh = en2zh

    @classmethod
    def build(cls, cedict_gz: Path, stem: Stemmer.Stemmer, stop: frozenset[str]) -> Glossary:
        zh2en: dict[str, list[str]] = {}
        en2zh: dict[str, list[str]] = {}
        skip = ("variant of", "surname", "see ", "abbr. for", "used in", "cl:", "pr.")
        with gzip.open(cedict_gz, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                parts = line.rstrip("\n").split(" ", 2)
                if len(parts) < 3 or "/" not in parts[2]:
                    continue
                simp = parts[1]
                if len(simp) < 2 or not _HAS_CJK_RE.search(simp):
                    continue
                glosses = parts[2].split("/")[1:-1]
                phrases: list[str] = []
                for gloss in glosses:
                    g = gloss.strip().lower()
                    if not g or any(s in g for s in skip):
                        continue
                    # an upper-case abbreviation in parentheses is a useful term itself
                    for abbr in re.findall(r"\(([A-Z][A-Z0-9]{1,7})\)", gloss):
                        phrases.append(abbr.lower())
                    g = _PAREN_RE.sub(" ", g)
                    toks = [t for t in _ASCII_WORD_RE.findall(g) if t not in stop]
                    if not 1 <= len(toks) <= cls.MAX_PHRASE:
                        continue
                    phrases.append(" ".join(stem.stemWords(toks)))
                seen: list[str] = []
                for ph in phrases:
                    if ph not in seen:
                        seen.append(ph)
                if not seen:
                    continue
                zh2en.setdefault(simp, [])
                for ph in seen[:3]:
                    if ph not in zh2en[simp]:
                        zh2en[simp].append(ph)
                    lst = en2zh.setdefault(ph, [])
                    if simp not in lst and len(lst) < 4:
                        lst.append(simp)
        return cls(zh2en, en2zh)

    def to_json(self) -> bytes:
        return json.dumps({"zh2en": self.zh2en, "en2zh": self.en2zh}, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Glossary:
        obj = json.loads(data)
        return cls(obj["zh2en"], obj["en2zh"])


class Analyzer:
    """Tokenizer for Chinese and English text (thread-safe after construction).

    Parameters
    ----------
    cache_dir:
        where prepared state is cached (jieba prefix dictionary, glossary); default
        :func:`default_cache_dir`.
    data_dir:
        folder with the lexicon files (default: the package's ``data`` folder).
    domain_dict:
        add IK main + THUOCL IT/medical words to jieba.
    glossary:
        load the CC-CEDICT glossary for cross-language query expansion.
    """

    def __init__(
        self,
        cache_dir: str | os.PathLike[str] | None = None,
        *,
        data_dir: str | os.PathLike[str] | None = None,
        domain_dict: bool = True,
        glossary: bool = True,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
        self._stemmer = Stemmer.Stemmer("english")
        self._lock = threading.Lock()
        self.stopwords = self._load_stopwords()
        self._tk = self._init_jieba(domain_dict)
        self.glossary: Glossary | None = self._load_glossary() if glossary else None
        self._stem = lru_cache(maxsize=200_000)(self._stemmer.stemWord)

    # -- loading -----------------------------------------------------------------
    def _load_stopwords(self) -> frozenset[str]:
        words = set(_GENERIC_ZH.split()) | set(_GENERIC_EN.split())
        path = self.data_dir / "ik_stopword.dic"
        if path.exists():
            words |= {w.lower() for w in _read_lexicon(path)}
        return frozenset(words)

    def _init_jieba(self, domain_dict: bool) -> jieba.Tokenizer:
        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        # never write the cache into site-packages or /tmp defaults
        tk.tmp_dir = str(self.cache_dir)
        tk.cache_file = "jieba.default.cache"
        lexicons = [self.data_dir / n for n in ("ik_main.dic", "THUOCL_IT.txt", "THUOCL_medical.txt")]
        lexicons = [p for p in lexicons if p.exists()]
        if not domain_dict or not lexicons:
            tk.initialize()
            return tk
        key = _file_digest(lexicons, f"jieba-{jieba.__version__}-{DOMAIN_WORD_FREQ}-v1")
        cache = self.cache_dir / f"jieba-domain-{key}.pkl"
        if cache.exists():
            try:
                with cache.open("rb") as fh:
                    # our own cache file, written below and keyed by a content hash
                    freq, total = pickle.load(fh)  # noqa: S301
                tk.FREQ, tk.total, tk.initialized = freq, total, True
                return tk
            except (OSError, ValueError, EOFError, pickle.UnpicklingError):
                log.warning("ignoring unreadable jieba cache %s", cache)
        fh = tk.get_dict_file()  # jieba's bundled dict.txt, read-only
        try:
            freq, total = tk.gen_pfdict(fh)
        finally:
            fh.close()
        for path in lexicons:
            for word in _read_lexicon(path):
                w = normalize(word)
                if len(w) < 2 or len(w) > 16 or not _HAS_CJK_RE.search(w) or freq.get(w):
                    continue
                freq[w] = DOMAIN_WORD_FREQ
                total += DOMAIN_WORD_FREQ
                for i in range(1, len(w)):
                    freq.setdefault(w[:i], 0)
        _atomic_write_bytes(cache, pickle.dumps((freq, total), protocol=pickle.HIGHEST_PROTOCOL))
        tk.FREQ, tk.total, tk.initialized = freq, total, True
        return tk

    def _load_glossary(self) -> Glossary | None:
        src = self.data_dir / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        if not src.exists():
            return None
        key = _file_digest([src], "glossary-v1")
        cache = self.cache_dir / f"glossary-{key}.json"
        if cache.exists():
            try:
                return Glossary.from_json(cache.read_bytes())
            except (OSError, ValueError, KeyError):
                log.warning("ignoring unreadable glossary cache %s", cache)
        gl = Glossary.build(src, self._stemmer, self.stopwords)
        _atomic_write_bytes(cache, gl.to_json())
        return gl

    # -- token helpers -------------------------------------------------------------
    def _ascii(self, token: str) -> str | None:
        if token in self.stopwords:
            return None
        if token.isdigit():
            return token if len(token) <= 8 else None
        return str(self._stem(token))

    def _ascii_words(self, run: str) -> list[str]:
        out: list[str] = []
        for t in _ASCII_WORD_RE.findall(run):
            s = self._ascii(t)
            if s:
                out.append(s)
        return out

    # -- analyses ----------------------------------------------------------------------
    def segment(self, text: str) -> list[str]:
        """jieba precise-mode segmentation of normalised text (raw tokens); text
        without CJK characters is split into ASCII words without calling jieba."""
        norm = normalize(text)
        if not _HAS_CJK_RE.search(norm):
            return _ASCII_WORD_RE.findall(norm)
        return list(self._tk.lcut(norm))

    def _sub_words(self, w: str) -> list[str]:
        """Dictionary 2-, 3- and 4-grams inside a longer word (jieba's search mode adds
        2- and 3-grams; 4-grams help with long domain-dictionary compounds)."""
        freq = self._tk.FREQ
        out: list[str] = []
        for n in (2, 3, 4):
            if len(w) > n:
                out.extend(w[i : i + n] for i in range(len(w) - n + 1) if freq.get(w[i : i + n]))
        return out

    def words(self, text: str, *, search_mode: bool = True, segmented: list[str] | None = None) -> list[str]:
        """Segmented words (jieba search mode by default), stemmed English, no stopwords."""
        cut = segmented if segmented is not None else self.segment(text)
        out: list[str] = []
        for tok in cut:
            tok = tok.strip()
            if not tok or not _HAS_ALNUM_RE.search(tok):
                continue
            if _HAS_CJK_RE.search(tok):
                if search_mode and len(tok) > 2:
                    out.extend(x for x in self._sub_words(tok) if x not in self.stopwords)
                if tok not in self.stopwords:
                    out.append(tok)
            else:
                out.extend(self._ascii_words(tok))
        return out

    def bigrams(self, text: str) -> list[str]:
        """CJK character bigrams per CJK run (a lone character stays a unigram)."""
        out: list[str] = []
        for m in _RUN_RE.finditer(normalize(text)):
            run = m.group()
            if _HAS_CJK_RE.match(run):
                if len(run) == 1:
                    out.append(run)
                else:
                    out.extend(run[i : i + 2] for i in range(len(run) - 1))
            else:
                out.extend(self._ascii_words(run))
        return out

    def unigrams(self, text: str) -> list[str]:
        """CJK single characters (function characters dropped) plus ASCII words."""
        out: list[str] = []
        for m in _RUN_RE.finditer(normalize(text)):
            run = m.group()
            if _HAS_CJK_RE.match(run):
                out.extend(c for c in run if c not in _STOP_CHARS)
            else:
                out.extend(self._ascii_words(run))
        return out

    def analyze(
        self, text: str, kinds: Iterable[str] = KINDS, *, segmented: list[str] | None = None
    ) -> dict[str, list[str]]:
        """All requested analyses of one text."""
        res: dict[str, list[str]] = {}
        for k in kinds:
            if k == "w":
                res[k] = self.words(text, segmented=segmented)
            elif k == "b":
                res[k] = self.bigrams(text)
            elif k == "u":
                res[k] = self.unigrams(text)
            else:
                raise ValueError(f"unknown analysis kind {k!r}")
        return res

    # -- cross-language ------------------------------------------------------------
    def translations(self, text: str, *, segmented: list[str] | None = None) -> list[str]:
        """Glossary translations of a text's words: English for Chinese words, Chinese
        for English words and phrases (longest match first, up to three words).

        A Chinese word without an entry falls back to its search-mode sub-words.
        """
        if self.glossary is None:
            return []
        gl = self.glossary
        norm = normalize(text)
        found: list[str] = []
        for w in segmented if segmented is not None else self._tk.lcut(norm):
            if len(w) < 2 or not _HAS_CJK_RE.search(w) or w in self.stopwords:
                continue
            hit = gl.zh2en.get(w)
            if hit:
                found.extend(hit[:2])
                continue
            if len(w) > 2:
                for sub in self._sub_words(w):
                    if sub not in self.stopwords:
                        found.extend(gl.zh2en.get(sub, ())[:1])
        ascii_toks = [t for t in (self._ascii(x) for x in _ASCII_WORD_RE.findall(norm)) if t]
        i, n = 0, len(ascii_toks)
        while i < n:
            for size in range(min(Glossary.MAX_PHRASE, n - i), 0, -1):
                zh = gl.en2zh.get(" ".join(ascii_toks[i : i + size]))
                if zh:
                    found.extend(zh[:2])
                    i += size
                    break
            else:
                i += 1
        return found

    def query_terms(
        self,
        text: str,
        kinds: Iterable[str] = KINDS,
        *,
        translation_weight: float = TRANSLATION_WEIGHT,
    ) -> dict[str, dict[str, float]]:
        """Weighted query terms per analysis kind, with glossary expansion.

        Original terms weigh their count; translated terms weigh ``translation_weight``
        per occurrence unless they already occur in the original query.
        """
        kinds = tuple(kinds)
        seg = self.segment(text)
        res: dict[str, dict[str, float]] = {}
        for kind, toks in self.analyze(text, kinds, segmented=seg).items():
            d: dict[str, float] = {}
            for t in toks:
                d[t] = d.get(t, 0.0) + 1.0
            res[kind] = d
        extra = self.translations(text, segmented=seg) if translation_weight > 0 else []
        if extra:
            zh = "\n".join(e for e in extra if _HAS_CJK_RE.search(e))
            en = "\n".join(e for e in extra if not _HAS_CJK_RE.search(e))
            for part in (zh, en):
                if not part:
                    continue
                for kind, toks in self.analyze(part, kinds).items():
                    d = res[kind]
                    for t in toks:
                        if t in d and d[t] >= 1.0:
                            continue
                        d[t] = d.get(t, 0.0) + translation_weight
        return res


_SHARED: dict[tuple[str, bool, bool], Analyzer] = {}
_SHARED_LOCK = threading.Lock()


def get_analyzer(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    domain_dict: bool = True,
    glossary: bool = True,
) -> Analyzer:
    """A process-wide shared :class:`Analyzer` per (cache_dir, options)."""
    key = (str(Path(cache_dir)) if cache_dir is not None else "", domain_dict, glossary)
    with _SHARED_LOCK:
        an = _SHARED.get(key)
        if an is None:
            an = Analyzer(cache_dir, domain_dict=domain_dict, glossary=glossary)
            _SHARED[key] = an
        return an
