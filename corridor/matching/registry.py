"""The in-memory matching indexes of this process: built from the database, kept current, saved under var/.

One :class:`Engine` per kind (resources, demands, technology managers). Every change to an
indexed object writes an :class:`IndexEvent` in its own transaction; before answering, a process
applies the events it has not seen (one indexed query), so several gunicorn workers stay in step.
Indexes are saved to ``var/index/<kind>/`` with the last applied event, so a restart loads
instead of rebuilding.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from corridor.matching.choices import IndexKind
from corridor.matching.documents import documents
from corridor.matching.engine import Engine, get_analyzer
from corridor.matching.models import IndexEvent

FORMAT_VERSION = 1
SAVE_EVERY_SECONDS = 30.0


def index_root() -> Path:
    return Path(getattr(settings, "CORRIDOR_INDEX_DIR", settings.VAR_DIR / "index"))


def _database_identity() -> str:
    db = settings.DATABASES["default"]
    raw = f"{db['ENGINE']}|{db.get('HOST', '')}|{db.get('PORT', '')}|{connection.settings_dict['NAME']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def analyzer() -> Any:
    return get_analyzer(settings.VAR_DIR / "cache" / "matching")


class _Slot:
    def __init__(self, engine: Engine, last_event: int) -> None:
        self.engine = engine
        self.last_event = last_event
        self.saved_at = time.monotonic()
        self.dirty = False


class Registry:
    def __init__(self) -> None:
        self._slots: dict[str, _Slot] = {}
        self.lock = threading.RLock()

    # -- lifecycle --------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the in-memory indexes (tests; after restoring a backup)."""
        with self.lock:
            self._slots.clear()

    def loaded(self, kind: str) -> bool:
        return kind in self._slots

    def engine(self, kind: str) -> Engine:
        """The current index of ``kind``: loaded from disk or built on first use, then brought up to date."""
        with self.lock:
            slot = self._slots.get(kind)
            if slot is None:
                slot = self._load(kind)
                if slot is None:
                    slot = self._build(kind)
                    self._save(kind, slot)
                self._slots[kind] = slot
            self._sync(kind, slot)
            return slot.engine

    def rebuild(self, kind: str, *, progress: Callable[[int, int], None] | None = None) -> int:
        with self.lock:
            slot = self._build(kind, progress=progress)
            self._slots[kind] = slot
            self._save(kind, slot)
            return len(slot.engine)

    def sync_if_loaded(self, kind: str) -> None:
        with self.lock:
            slot = self._slots.get(kind)
            if slot is not None:
                self._sync(kind, slot)

    # -- internals --------------------------------------------------------------------------
    def _build(self, kind: str, *, progress: Callable[[int, int], None] | None = None) -> _Slot:
        from corridor.matching.documents import SPECS

        last = IndexEvent.objects.filter(kind=kind).order_by("-id").values_list("id", flat=True).first() or 0
        engine = Engine(analyzer=analyzer())
        total = SPECS[kind].queryset().count()

        def counted() -> Iterator[tuple[str, dict[str, Any]]]:
            done = 0
            for doc_id, doc in documents(kind):
                yield doc_id, doc
                done += 1
                if progress is not None and (done % 50 == 0 or done == total):
                    progress(done, total)

        engine.add_many(counted())  # one pass, compacted at the end
        return _Slot(engine, last)

    def _sync(self, kind: str, slot: _Slot) -> None:
        events = list(
            IndexEvent.objects.filter(kind=kind, id__gt=slot.last_event).order_by("id").values_list("id", "object_id")[:5000]
        )
        if not events:
            return
        ids = {oid for _eid, oid in events}
        present = set()
        for doc_id, doc in documents(kind, ids):
            slot.engine.update(doc_id, doc)
            present.add(int(doc_id))
        for oid in ids - present:
            slot.engine.delete(str(oid))
        slot.last_event = events[-1][0]
        slot.dirty = True
        if time.monotonic() - slot.saved_at > SAVE_EVERY_SECONDS:
            self._save(kind, slot)

    def _dir(self, kind: str) -> Path:
        return index_root() / kind

    def _save(self, kind: str, slot: _Slot) -> None:
        target = self._dir(kind)
        tmp = target.with_name(f".{kind}.tmp-{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        slot.engine.save(tmp)
        meta = {"format": FORMAT_VERSION, "last_event": slot.last_event, "database": _database_identity(), "count": len(slot.engine)}
        (tmp / "corridor.json").write_text(json.dumps(meta), encoding="utf-8")
        old = target.with_name(f".{kind}.old-{threading.get_ident()}")
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        slot.saved_at = time.monotonic()
        slot.dirty = False

    def _load(self, kind: str) -> _Slot | None:
        directory = self._dir(kind)
        try:
            meta = json.loads((directory / "corridor.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT_VERSION or meta.get("database") != _database_identity():
                return None
            newest = IndexEvent.objects.filter(kind=kind).order_by("-id").values_list("id", flat=True).first() or 0
            if meta["last_event"] > newest:  # the events table was reset under the saved index
                return None
            engine = Engine.load(directory, analyzer=analyzer())
        except (OSError, ValueError, KeyError):
            return None
        return _Slot(engine, int(meta["last_event"]))


registry = Registry()

ALL_KINDS = tuple(IndexKind.values)
