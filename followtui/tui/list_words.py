"""How the UI speaks of a new list: private on X; on Bluesky, where every list is public, kept on this machine."""

from __future__ import annotations

from dataclasses import dataclass

from followtui.domain.text import one_line


@dataclass(frozen=True, slots=True)
class ListWords:
    """The words for a new list on one network (``for_lists``)."""

    kind: str  # "private", "kept on this machine"
    form_title: str  # the form of N and of the picker's new list
    create: str  # the picker's option, with {name}
    created: str  # the notification, with {name}
    suggested: str  # a suggestion that makes a list
    instead: str  # the unfollow dialog: what keeps their posts a key away

    def create_option(self, name: str) -> str:
        return self.create.format(name=one_line(name, 40))

    def created_list(self, name: str) -> str:
        return self.created.format(name=one_line(name))


PRIVATE = ListWords(
    kind="private",
    form_title="New private list",
    create="Create private list “{name}”…",
    created="Created the private list {name}",
    suggested="new private list",
    instead="A private list",
)
KEPT_HERE = ListWords(
    kind="kept on this machine",
    form_title="New list, kept on this machine",
    create="Create list “{name}”, here only…",
    created="Created the list {name}, kept on this machine",
    suggested="new list, here only",
    instead="A list kept on this machine",
)


def for_lists(kept_here: bool) -> ListWords:
    """The words for a network whose new lists are kept here (``Lists.keeps_new_lists_here``), or private."""
    return KEPT_HERE if kept_here else PRIVATE
