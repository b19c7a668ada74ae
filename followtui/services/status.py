"""What the main screen's status bar reads from the services: one snapshot, taken on the UI thread (memory only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followtui.services.session import Session


@dataclass(frozen=True, slots=True)
class StatusReadings:
    """The status bar's facts about the session, as read at ``now``."""

    now: datetime | None = None
    pending: int = 0  # calls still owed: pending or failed
    triaged: int | None = None  # decisions made today; None until the history is seeded
    need_you: int = 0  # failed, or waiting for a manual step
    last_sync: datetime | None = None
    writes_wait_until: datetime | None = None  # a rate limit that has not ended yet
    meter: str = ""  # ``X 3 req · …``; empty before the first request


def read_status(session: Session) -> StatusReadings:
    """The readings now: counts kept in memory by the store and the services, no I/O."""
    outbox = session.outbox
    meter = session.meter
    now = session.clock()
    return StatusReadings(
        now=now,
        pending=outbox.pending_count(),
        triaged=session.history.progress.count(),
        need_you=outbox.need_you_count(),
        last_sync=session.triage.last_sync(),
        writes_wait_until=outbox.rate_limited_until(),
        meter=f"{session.network_name} {meter.compact(now)}" if meter.total_requests() else "",
    )
