"""Turn accounts into safe, styled text for the screen.

Every string from a profile goes through ``domain.text.clean`` and into a ``rich.text.Text`` as literal text,
never through markup, so ``[bold red]`` in a bio stays visible characters and escape sequences never reach the
terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from followtui.domain.conversation import Exchange
from followtui.domain.models import (
    Account,
    AccountState,
    Decision,
    DecisionKind,
    Op,
    OutboxEntry,
    OutboxState,
    Relationship,
)
from followtui.domain.notes import Note
from followtui.domain.signals import Signal, SignalKind
from followtui.domain.text import clean, one_line

CHIPS: dict[SignalKind, str] = {
    SignalKind.CONVERSATION: "talks with you",
    SignalKind.NEWCOMER: "newcomer",
    SignalKind.EGG: "egg",
    SignalKind.ORGANISATION: "brand",
    SignalKind.CHECKIN: "check-ins",
    SignalKind.INACTIVE: "quiet",
    SignalKind.GONE: "gone",
    SignalKind.PROTECTED: "protected",
    SignalKind.NOT_FOLLOWING_BACK: "not mutual",
    SignalKind.HIGH_VOLUME: "bot?",
    SignalKind.FOLLOW_BAIT: "follow bait",
}


NOT_LOOKED_UP = "not looked up yet"
"""Shown for an account known only by its ID (from a data archive) until a lookup reads its profile."""

CHIP_STRENGTH = 0.2
"""Weaker signals (a small account, say) are told in the detail panel but earn no badge in the row."""


def signal_style(signal: Signal) -> str:
    if signal.strength >= 0.3:
        return "green"
    if signal.concerning:
        return "red"
    return "yellow" if signal.strength < 0 else "cyan"


def row_text(
    account: Account | None,
    account_id: str,
    signals: list[Signal],
    *,
    new: bool,
    marked: bool,
    requested: bool = False,
    talked: datetime | None = None,
    now: datetime | None = None,
    width: int | None = None,
) -> Text:
    """One line of a pane: mark, name, handle, badges (``requested``: a follow request X holds; and when you last
    talked, if known).

    In a row ``width`` cells wide that cannot hold it all, the handle goes first (the detail panel shows it), so
    the badges stay; what still does not fit is cut with an ellipsis.
    """
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("● " if marked else "  ", style="bold magenta")
    if account is None:
        text.append(f"account {account_id}", style="dim")
        return text
    text.append(display_name(account, 28), style="bold")
    handle = Text(f" @{one_line(account.username, 20)}" if account.username else "", style="dim")
    badges = Text()
    if not account.hydrated and account.state is AccountState.ACTIVE:
        badges.append(f" · {NOT_LOOKED_UP}", style="dim italic")
    if new:
        badges.append("  NEW", style="bold yellow")
    if account.state is not AccountState.ACTIVE:
        badges.append(f"  {account.state}", style="bold red")
    if account.muted:
        badges.append("  muted", style="dim")
    if requested:
        badges.append("  requested", style="bold cyan")
    chips = [s for s in signals if s.kind is not SignalKind.GONE and abs(s.strength) >= CHIP_STRENGTH]
    for signal in chips[:3]:
        badges.append("  ")
        badges.append(CHIPS[signal.kind], style=signal_style(signal))
    if talked is not None and now is not None:
        badges.append(f"  talked {short_ago(talked, now)}", style="dim")
    crowded = width is not None and text.cell_len + handle.cell_len + badges.cell_len > width
    if not (crowded and badges.cell_len):
        text.append_text(handle)
    text.append_text(badges)
    return text


def short_ago(when: datetime, now: datetime) -> str:
    """``today``, ``3d ago``, ``5w ago``, ``4mo ago``, ``2y ago``: for a row, where room is short."""
    days = (now - when).days
    if days < 1:
        return "today"
    if days < 14:
        return f"{days}d ago"
    if days < 60:
        return f"{days // 7}w ago"
    if days < 730:
        return f"{days // 30}mo ago"
    return f"{days // 365}y ago"


CONVERSATION_SHOWN = 4
"""Exchanges the detail panel shows (the newest)."""


def conversation_text(exchanges: Sequence[Exchange], now: datetime) -> RenderableType | None:
    """The last exchanges between the user and the account: when, who wrote (they or you), what (untrusted text,
    escaped)."""
    if not exchanges:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=11, no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for exchange in exchanges[:CONVERSATION_SHOWN]:
        when = f" {exchange.when:%Y-%m-%d}" if exchange.when else ""
        who = Text("you", style="bold cyan") if exchange.mine else Text("they", style="bold")
        grid.add_row(Text(when, style="dim"), who, Text(one_line(exchange.post.text, 280)))
    last = exchanges[0].when
    heading = Text("\nConversation", style="bold underline")
    if last is not None:
        heading.append(f"  last talked {ago(last, now)}", style="dim")
    return Group(heading, grid)


def display_name(account: Account, limit: int | None = None) -> str:
    """The name to show: the profile name, else the handle, else the bare ID (deleted accounts have neither)."""
    if not account.hydrated and not account.name and not account.username:
        return f"ID {account.id}"
    return one_line(account.name, limit) or one_line(account.username, limit) or f"account {account.id}"


def ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    days = (now - when).days
    if days < 1:
        hours = int((now - when).total_seconds() // 3600)
        return "just now" if hours < 1 else f"{hours} h ago"
    if days < 60:
        return f"{days} days ago" if days > 1 else "yesterday"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


NOT_KNOWN = "not known"
"""Shown for a count or a date X did not send: unknown is not zero."""


def last_post_text(account: Account, now: datetime) -> str:
    """``last post 3 days ago``; "never" only when X said the account has no posts."""
    if account.last_post_at is not None:
        return f"last post {ago(account.last_post_at, now)}"
    return "never posted" if account.tweet_count == 0 and not account.protected else f"last post {NOT_KNOWN}"


def counts_text(account: Account, *, content_first: bool = False) -> str:
    """``1,234 posts · following 12 · followers 40 · listed 0`` (no listings on Bluesky), each count the network
    did not send "not known"."""
    if not account.hydrated and account.metrics_doc() is None:
        return f"posts and followers {NOT_KNOWN}"
    posts = f"{account.tweet_count:,} posts" if account.tweet_count is not None else f"posts {NOT_KNOWN}"
    if content_first:
        return posts
    counts = [("following", account.following_count), ("followers", account.followers_count)]
    if not account.on_bluesky:  # Bluesky counts no listings
        counts.append(("listed", account.listed_count))
    others = [f"{label} {NOT_KNOWN if count is None else format(count, ',')}" for label, count in counts]
    return " · ".join([posts, *others])


def relationship_text(rel: Relationship | None, *, gone: bool = False, network: str = "X") -> str:
    """Who follows whom; for an account that is gone (``gone``) from ``network`` nobody "unfollowed" anybody."""
    if rel is None:
        return "No relationship known."
    if gone:
        return (
            f"You follow them; the account is gone from {network}." if rel.following else f"It is gone from {network}."
        )
    if rel.mutual:
        return "You follow each other."
    if rel.following:
        return "You follow them; they do not follow you" + (" any more." if rel.left else ".")
    if rel.follower:
        return "They follow you; you do not follow them."
    if rel.left:
        return "They unfollowed you."
    return "Neither of you follows the other."


def decision_text(
    decision: Decision | None, pending: list[OutboxEntry], now: datetime, network: str = "X"
) -> Text | None:
    """The decision on an account and its calls not yet done on ``network``."""
    if decision is None and not pending:
        return None
    text = Text()
    if decision is not None:
        label = decision.kind.label
        if decision.kind is DecisionKind.SNOOZE and decision.until:
            label += f" until {decision.until:%Y-%m-%d %H:%M}" if decision.active(now) else " (snooze over)"
        text.append(f"Your decision: {label}", style="bold")
        text.append(f"  ({ago(decision.decided_at, now)})", style="dim")
    for entry in pending:
        text.append("\n")
        what = _OP_WORDS.get(entry.op, entry.op.value)
        text.append(f"{network}: {what} {_STATE_WORDS.get(entry.state, entry.state.value)}", style="yellow")
        if entry.error:
            text.append(f": {one_line(entry.error, 200)}", style="red")
        if entry.state is OutboxState.MANUAL:
            text.append("\nPress o to follow on x.com, then confirm here.", style="bold")
    return text


_OP_WORDS = {
    Op.FOLLOW: "follow",
    Op.UNFOLLOW: "unfollow",
    Op.LIST_ADD: "add to list",
    Op.LIST_REMOVE: "remove from list",
    Op.LIST_CREATE: "create list",
}
_STATE_WORDS = {
    OutboxState.PENDING: "waiting to be sent",
    OutboxState.FAILED: "failed (kept; it can be retried)",
    OutboxState.MANUAL: "refused by X",
    OutboxState.BY_HAND: "done by hand on x.com; the next sync confirms it",
    OutboxState.REQUESTED: "requested: the account is protected; the next sync shows whether it accepted",
}


def detail_text(
    account: Account,
    rel: Relationship | None,
    reasons: list[str],
    signals: list[Signal],
    decision: Text | None,
    now: datetime,
    *,
    new: bool,
    note: Note | None = None,
    content_first: bool = False,
    exchanges: Sequence[Exchange] = (),
    posts_note: str | None = None,
) -> RenderableType:
    """The detail panel: who they are, what they post, how they relate to you, why they are here.

    ``content_first`` leaves out follower and following counts, so the account is judged by what it posts;
    ``posts_note`` says where its posts come from, or why none are shown (being read, a budget, X refused).
    """
    text = Text()
    text.append(display_name(account), style="bold")
    if account.username:
        text.append(f"  @{one_line(account.username)}", style="dim")
    if account.protected:
        text.append("  protected", style="yellow")
    if account.verified_type in ("business", "government"):
        text.append(f"  verified {account.verified_type}", style="cyan")
    if account.state is not AccountState.ACTIVE:
        text.append(f"  {account.state.value.upper()}", style="bold red")
    if account.muted:
        text.append("  muted by you", style="dim")
    if not account.hydrated:
        text.append("\n\n")
        text.append(f"Known only by its ID from your data archive: {NOT_LOOKED_UP}.", style="italic")
        text.append(" `followtui sync --hydrate` reads the profile; meanwhile it is at ", style="dim")
        text.append(account.profile_url, style=f"link {account.profile_url}")
    text.append("\n\n")
    bio = clean(account.description).strip()
    text.append(bio if bio else "(no bio)", style="" if bio else "dim italic")
    text.append("\n\n")
    facts = []
    if account.location.strip():
        facts.append(f"📍 {one_line(account.location, 60)}")
    if account.url:
        facts.append(f"🔗 {one_line(account.url, 60)}")
    if account.created_at:
        facts.append(f"joined {account.created_at:%Y-%m-%d}")
    facts.append(last_post_text(account, now))
    text.append("  ·  ".join(facts), style="")
    text.append("\n")
    text.append(counts_text(account, content_first=content_first), style="dim")
    text.append("\n\n")
    text.append(relationship_text(rel, gone=account.state is not AccountState.ACTIVE, network=account.network_name))
    if rel and rel.follower and rel.follower_first_seen:
        text.append(f"  Follower since {rel.follower_first_seen:%Y-%m-%d}", style="dim")
        if new:
            text.append("  NEW", style="bold yellow")
    if decision is not None:
        text.append("\n")
        text.append_text(decision)
    if note is not None:
        text.append("\n\n")
        text.append("Your note", style="bold underline")
        text.append("  (private: n to edit)", style="dim")
        text.append("\n")
        text.append(note.text)
    text.append("\n\n")
    text.append("Why it is here", style="bold underline")
    why = Table.grid(padding=(0, 1))
    why.add_column(width=2)
    why.add_column(ratio=1)
    strengths = {s.sentence: s for s in signals}
    for sentence in reasons or ["Nothing stands out."]:
        signal = strengths.get(sentence)
        if signal is None:
            why.add_row(Text(" •", style="dim"), Text(sentence))
        else:
            mark = "+" if signal.strength > 0 else ("−" if signal.strength < 0 else "•")
            style = signal_style(signal)
            why.add_row(Text(f" {mark}", style=style), Text(sentence, style=style))
    posts = Table.grid(padding=(0, 2))
    posts.add_column(width=11)
    posts.add_column(ratio=1)
    for post in sorted(account.posts, key=lambda p: p.created_at or now, reverse=True):
        when = f"{post.created_at:%Y-%m-%d}" if post.created_at else ""
        posts.add_row(Text(f" {when}", style="dim"), Text(clean(post.text).strip()))
    heading = Text("\nRecent posts", style="bold underline")
    said = Text(f"  {one_line(posts_note, 300)}", style="dim italic") if posts_note else None
    talk = conversation_text(exchanges, now)
    parts: list[RenderableType] = [text, why] if talk is None else [text, why, talk]
    if not account.posts:
        return Group(*parts, heading, said or Text("  (no posts visible)", style="dim italic"))
    return Group(*parts, heading, *([said] if said else []), posts)
