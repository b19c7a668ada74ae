"""Each network's limits on a list: how long its name and description may be, how many members and lists it has.

X counts characters (``domain/xlimits.py``). Bluesky's lexicon (``app.bsky.graph.list``) caps the name at 64
UTF-8 bytes and the description at 300 graphemes and 3,000 bytes, and caps neither members nor lists. Pure data
and pure checks: the lists service refuses what the network would refuse, the list form counts against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from followtui.domain.text import graphemes
from followtui.domain.xlimits import MAX_LIST_DESCRIPTION, MAX_LIST_MEMBERS, MAX_LIST_NAME, MAX_LISTS


@dataclass(frozen=True)
class ListLimits:
    """One network's list limits; ``None``: no cap."""

    network_name: str  # for messages: "X allows at most …"
    name: int
    description: int
    members: int | None
    lists: int | None
    name_in_bytes: bool = False  # the name counts UTF-8 bytes, not characters
    description_in_graphemes: bool = False  # the description counts what a person sees as one character
    description_bytes: int | None = None  # a second cap on the description, in UTF-8 bytes

    @property
    def name_unit(self) -> str:
        return "bytes" if self.name_in_bytes else "characters"

    def name_length(self, name: str) -> int:
        return len(name.encode()) if self.name_in_bytes else len(name)

    def description_length(self, description: str) -> int:
        return graphemes(description) if self.description_in_graphemes else len(description)

    def name_problem(self, name: str) -> str | None:
        """Why the network would refuse ``name`` (already tidied), or None."""
        if not name:
            return "A list needs a name."
        if (length := self.name_length(name)) > self.name:
            return f"A list name can have at most {self.name} {self.name_unit} on {self.network_name} ({length} given)."
        return None

    def description_problem(self, description: str) -> str | None:
        """Why the network would refuse ``description`` (already tidied), or None."""
        if (length := self.description_length(description)) > self.description:
            return (
                f"A list description can have at most {self.description} characters on {self.network_name} "
                f"({length} given)."
            )
        if self.description_bytes is not None and (size := len(description.encode())) > self.description_bytes:
            return (
                f"A list description can have at most {self.description_bytes:,} bytes on {self.network_name} "
                f"({size:,} given)."
            )
        return None


X_LISTS = ListLimits("X", MAX_LIST_NAME, MAX_LIST_DESCRIPTION, MAX_LIST_MEMBERS, MAX_LISTS)
BLUESKY_LISTS = ListLimits(
    "Bluesky", 64, 300, None, None, name_in_bytes=True, description_in_graphemes=True, description_bytes=3000
)
