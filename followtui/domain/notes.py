"""Private notes and tags per account, kept only in the local cache.

A note is free text; its tags are the ``#words`` in it (``#climate``, ``#met-at-pycon``), so one editor does both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from followtui.domain.models import format_time, parse_time
from followtui.domain.text import clean

MAX_NOTE = 2000
_TAG = re.compile(r"(?<![\w#/&])#([\w-]{1,40})", re.UNICODE)  # not issue#42, not a URL's #anchor


@dataclass(frozen=True, slots=True)
class Note:
    account_id: str
    text: str
    updated_at: datetime

    @property
    def tags(self) -> tuple[str, ...]:
        """The ``#words`` of the text, lower-cased, in order, without repeats."""
        return tags_of(self.text)

    def to_doc(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "text": self.text, "updated_at": format_time(self.updated_at)}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> Note:
        updated = parse_time(doc.get("updated_at"))
        if updated is None:
            raise ValueError(f"updated_at is missing or not a timestamp: {doc.get('updated_at')!r}")
        return cls(str(doc["account_id"]), str(doc.get("text") or ""), updated)


def tags_of(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(1).casefold() for m in _TAG.finditer(text)))


def normalise(text: str) -> str:
    """What is stored: control characters removed (newlines kept), trimmed, at most MAX_NOTE characters."""
    lines = (line.rstrip() for line in clean(text.replace("\r\n", "\n")).split("\n"))
    return "\n".join(lines).strip()[:MAX_NOTE]
