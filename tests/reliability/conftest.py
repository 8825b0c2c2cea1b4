"""Failure injection: make the Nth change-record write of an operation raise.

Every service writes its change records (corridor.core.history.record_change → ChangeRecord
.objects.create; the import engine in bulk, ChangeRecord.objects.bulk_create) inside its own
transaction, usually as the last step; raising there simulates a crash after all other writes of
the operation have been done. One ``create`` or one ``bulk_create`` call is one write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.db import transaction

from corridor.core.models import ChangeRecord


class Crash(RuntimeError):
    """The injected failure."""


class _Undo(Exception):
    pass


@contextmanager
def history_writes(crash_at: int | None = None) -> Iterator[list[int]]:
    """Count ChangeRecord writes (``calls[0]``); with ``crash_at``, the Nth one raises Crash."""
    manager = ChangeRecord.objects
    calls = [0]

    def failing(real: Callable[..., Any]) -> Callable[..., Any]:
        def write(*args: Any, **kwargs: Any) -> Any:
            calls[0] += 1
            if crash_at is not None and calls[0] == crash_at:
                raise Crash(f"injected failure at change-record write {calls[0]}")
            return real(*args, **kwargs)

        return write

    with mock.patch.object(manager, "create", side_effect=failing(manager.create)), \
            mock.patch.object(manager, "bulk_create", side_effect=failing(manager.bulk_create)):
        yield calls


def count_history_writes(operation: Callable[[], Any]) -> int:
    """How many change records ``operation`` writes (run once, then rolled back)."""
    with history_writes() as calls:
        try:
            with transaction.atomic():
                operation()
                raise _Undo
        except _Undo:
            pass
    return calls[0]
