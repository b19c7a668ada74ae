"""The three write services (decisions, lists, the outbox sender) over one store and backend, built as the
session builds them (``write_services``), with the store, backend and clock at hand for the assertions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from followtui.backends.base import Backend
from followtui.services.accounts import X
from followtui.services.decisions import Decisions
from followtui.services.lists import Lists
from followtui.services.outbox import OutboxSender, Pacing
from followtui.services.session import write_services
from followtui.services.undo import UndoStack
from followtui.store.store import Store


@dataclass(frozen=True, slots=True)
class Writes:
    store: Store
    backend: Backend
    clock: Callable[[], datetime]
    decisions: Decisions
    lists: Lists
    outbox: OutboxSender


def make_writes(
    store: Store,
    backend: Backend,
    clock: Callable[[], datetime],
    *,
    snooze_days: float = 3,
    pacing: Pacing | None = None,
    network: str = X,
) -> Writes:
    """A fresh trio: what a restart of the app would build over the same store."""
    decisions, lists, outbox = write_services(
        store, backend, clock, snooze_days=snooze_days, pacing=pacing, network=network
    )
    return Writes(store, backend, clock, decisions, lists, outbox)


def undo_stack(w: Writes) -> UndoStack:
    """The undo stack over the same services, as the session builds it."""
    return UndoStack(w.store, w.decisions, w.lists, w.clock)
