"""The `/` filter language, the pane orders, and the app's sort, filter and "list instead" keys."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input

from followtui.domain.filters import ALIASES, Order, Query, accepts, parse, resolve
from followtui.domain.models import AccountState, DecisionKind, ListInfo
from followtui.domain.queues import Pane
from followtui.domain.signals import Signal, SignalKind
from followtui.domain.text import name_key
from followtui.services.session import Session
from followtui.services.triage import MatrixScope
from followtui.tui.screens.dialogs import ListPickerScreen, UnfollowScreen
from followtui.tui.screens.list_form import ListFormScreen
from tests.factories import present
from tests.tui_helpers import SIZE, demo_app, only_candidate, ready, screen_text, wait_until

K = SignalKind


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", Query()),
        ("Bristol  garden", Query(words=("bristol", "garden"))),
        ("is:egg not:brand", Query(want=frozenset({K.EGG}), unwanted=frozenset({K.ORGANISATION}))),
        ("is:check-ins -is:talks", Query(want=frozenset({K.CHECKIN}), unwanted=frozenset({K.CONVERSATION}))),
        ("#Climate birds", Query(words=("birds",), tags=("climate",))),
        ("is:left is:suspended", Query(left=True, states=frozenset({AccountState.SUSPENDED}))),
        ("is:nonsense", Query(unknown=("is:nonsense",))),
    ],
)
def test_parse(text: str, query: Query) -> None:
    assert parse(text) == query


def test_accepts_needs_every_part() -> None:
    egg = Signal(K.EGG, -0.5, "Egg account")
    query = parse("is:egg bird #pycon")
    assert accepts(query, "birder in bristol", signals=[egg], tags=["pycon"])
    assert accepts(query, "nothing", signals=[egg], note="met a Bird person", tags=["pycon"])  # the note is searched
    assert not accepts(query, "birder", signals=[], tags=["pycon"])
    assert not accepts(query, "birder", signals=[egg], tags=[])
    assert not accepts(parse("not:egg"), "x", signals=[egg])
    assert not accepts(parse("is:deleted"), "x", state=AccountState.SUSPENDED)


def test_orders_of_the_new_followers(demo_session: Session) -> None:
    triage, store = demo_session.triage, demo_session.store
    newest = triage.new_followers().ids
    seen = [present(present(store.relationship(i)).follower_first_seen) for i in newest]
    assert seen == sorted(seen, reverse=True)
    assert triage.new_followers(order=Order.OLDEST).ids == list(reversed(newest))
    talk = triage.new_followers(order=Order.TALK).ids
    first = triage.signals(talk[0])
    assert any(s.kind is K.CONVERSATION for s in first)
    names = triage.new_followers(order=Order.NAME).ids
    keys = [name_key(present(store.account(i)).name or present(store.account(i)).username) for i in names]
    assert keys == sorted(keys)


def test_by_name_sorts_display_names_without_case_or_accents() -> None:
    """Issue 15: "by name" sorted by handle, and "Émile" after "Zoë"."""
    names = ["zoë", "Émile", "adam", "😊 Eve", "emma", "Ängel", "Bob"]
    assert sorted(names, key=name_key) == ["adam", "Ängel", "Bob", "Émile", "emma", "😊 Eve", "zoë"]


def test_signal_filters_and_the_people_who_left(demo_session: Session) -> None:
    triage = demo_session.triage
    eggs = triage.new_followers("is:egg").ids
    assert eggs and all(any(s.kind is K.EGG for s in triage.signals(i)) for i in eggs)
    assert not set(eggs) & set(triage.new_followers("not:egg").ids)
    left = triage.new_followers("is:left")
    assert left.ids and all(present(demo_session.store.relationship(i)).left for i in left.ids)
    suspended = triage.new_followers("is:left is:suspended").ids
    deleted = triage.new_followers("is:left is:deleted").ids
    assert suspended and deleted and not set(suspended) & set(deleted)
    assert all(present(demo_session.store.account(i)).state is AccountState.SUSPENDED for i in suspended)
    reasons = triage.reasons(left.ids[0], Pane.NEW_FOLLOWERS)
    assert reasons[0].startswith("Left: stopped following you after")


def test_muted_filter(demo_session: Session) -> None:
    store, triage = demo_session.store, demo_session.triage
    target = triage.new_followers().ids[3]
    accounts = [replace(a, muted=a.id == target) for i in store.account_ids() if (a := store.account(i))]
    store.replace_accounts(accounts)
    handle = present(store.account(target)).username
    assert triage.new_followers("is:muted").ids == [target]
    assert triage.new_followers(f"is:muted {handle}").ids == [target]
    assert triage.new_followers("is:muted zzzqqq").ids == []
    rest = triage.new_followers("not:muted").ids
    assert target not in rest and len(rest) == triage.new_followers().total - 1


def test_tags_and_note_words_filter(demo_session: Session) -> None:
    first, second = demo_session.triage.new_followers().ids[:2]
    demo_session.notes.set(first, "met at #pycon, loves kayaks")
    assert demo_session.triage.new_followers("#pycon").ids == [first]
    assert demo_session.triage.new_followers("kayaks").ids == [first]
    assert second not in demo_session.triage.new_followers("#pycon").ids


async def test_sort_key_and_signal_filter_in_the_app(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        newest = list(screen.accounts.ids)
        await pilot.press("S")  # oldest first
        await wait_until(pilot, lambda: screen.accounts.ids != newest)
        assert screen.orders[Pane.NEW_FOLLOWERS] is Order.OLDEST
        assert "sorted oldest first" in screen_text(app)
        await pilot.press("slash", *"is:egg", "enter")
        await wait_until(pilot, lambda: len(screen.accounts.ids) < len(newest))
        triage = screen.session.triage
        assert screen.accounts.ids == triage.new_followers("is:egg", Order.OLDEST).ids
        assert all(any(s.kind is K.EGG for s in triage.signals(i)) for i in screen.accounts.ids)


async def test_list_instead_adds_to_a_list_then_unfollows(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = await only_candidate(pilot, screen, AccountState.ACTIVE)  # one that is gone is offered no list
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen) and "Unfollow (y)" in screen_text(app))
        assert "List instead (l)" in screen_text(app)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*"Quiet", "down", "G", "enter")  # the create option is the last one: a form opens
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*" ones", "enter", "enter")
        store = screen.session.store
        await wait_until(pilot, lambda: (d := store.decision(target)) is not None and d.kind is DecisionKind.UNFOLLOW)
        listed = next(info for info in store.lists() if info.name == "Quiet ones")
        assert target in listed.member_ids and listed.private
        ops = [(e.op.value, e.account_id) for e in store.outbox() if e.account_id in (target, "")]
        assert ops.index(("list_create", "")) < ops.index(("list_add", target)) < ops.index(("unfollow", target))


async def test_a_pinned_account_is_unfollowed_only_when_asked_twice(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("2")  # list members: followed accounts, pinned or not
        store = screen.session.store
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS and bool(screen.accounts.ids))
        followed = [i for i in screen.accounts.ids if (r := store.relationship(i)) is not None and r.following]
        target = followed[0]
        while screen.accounts.highlighted != target:
            await pilot.press("j")
        await pilot.press("p")
        await wait_until(pilot, lambda: (d := store.decision(target)) is not None and d.kind is DecisionKind.KEEP)
        await pilot.press("u")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen")
        assert "Unfollow anyway?" in screen_text(app) and "pinned" in screen_text(app)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is screen)
        assert present(store.decision(target)).kind is DecisionKind.KEEP
        await pilot.press("u")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: present(store.decision(target)).kind is DecisionKind.UNFOLLOW)
        (entry,) = [e for e in store.outbox() if e.account_id == target]
        assert entry.override


# -- list filters and the matrix (issue 5) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("is:unlisted", Query(listed=False)),
        ("is:muted", Query(muted=True)),
        ("not:muted -is:muted", Query(muted=False)),
        ("is:listed not:unlisted", Query(listed=True)),
        ("not:listed", Query(listed=False)),
        ("list:Berlin", Query(lists=("berlin",))),
        ('list:"Berlin  tech" garden', Query(words=("garden",), lists=("berlin tech",))),
        ("not:list:rust -list:Birding", Query(not_lists=("rust", "birding"))),
        ('"two words" list:', Query(words=("two words",), unknown=("list:",))),
        ('list:"unclosed name', Query(lists=("unclosed name",))),
    ],
)
def test_parse_list_tokens(text: str, query: Query) -> None:
    assert parse(text) == query


def test_list_names_resolve_case_insensitively_and_unknown_ones_are_reported() -> None:
    lists = [ListInfo("1", "Berlin tech"), ListInfo("2", "Rust"), ListInfo("3", "rust")]
    query = resolve(parse('list:"BERLIN TECH" not:list:rust list:nowhere not:list:gone'), lists)
    assert query.on_lists == (frozenset({"1"}), frozenset())
    assert query.off_lists == frozenset({"2", "3"})
    assert query.unknown == ("list:nowhere", "list:gone")
    assert accepts(resolve(parse("list:rust"), lists), "", memberships={"3"})  # either list of that name
    assert not accepts(query, "", memberships={"1"})  # nobody is on a list that does not exist
    assert resolve(parse("bird"), lists) == parse("bird")


def test_accepts_list_membership() -> None:
    lists = [ListInfo("1", "Berlin"), ListInfo("2", "Rust")]

    def ok(text: str, memberships: set[str]) -> bool:
        return accepts(resolve(parse(text), lists), "", memberships=memberships)

    assert ok("is:unlisted", set()) and not ok("is:unlisted", {"1"})
    assert ok("is:listed", {"2"}) and not ok("is:listed", set())
    assert ok("list:berlin list:rust", {"1", "2"}) and not ok("list:berlin list:rust", {"1"})
    assert ok("not:list:berlin", {"2"}) and not ok("not:list:berlin", {"1", "2"})
    assert not accepts(parse("list:berlin"), "", memberships={"1"})  # names count once resolved


def test_list_filters_in_every_pane_and_the_matrix(demo_session: Session) -> None:
    triage, store = demo_session.triage, demo_session.store
    on_any = {m for info in store.lists() for m in info.member_ids}
    following = {r.account_id for r in store.relationships() if r.following}
    berlin = next(info for info in store.lists() if info.name == "Berlin")
    lisbon = next(info for info in store.lists() if info.name == "Lisbon friends")

    everyone = triage.matrix(MatrixScope.FOLLOWING)
    assert set(everyone.ids) == following and everyone.total == len(following)
    unlisted = triage.matrix(MatrixScope.FOLLOWING, "is:unlisted")
    assert unlisted.ids and set(unlisted.ids) == following - on_any
    assert set(triage.matrix(MatrixScope.FOLLOWING, "is:listed").ids) == following & on_any
    assert set(triage.matrix(MatrixScope.FOLLOWING, "list:BERLIN").ids) == following & set(berlin.member_ids)
    assert set(triage.matrix(MatrixScope.FOLLOWING, 'list:"lisbon friends"').ids) == following & set(lisbon.member_ids)
    not_berlin = triage.matrix(MatrixScope.FOLLOWING, "not:list:berlin is:listed").ids
    assert set(not_berlin) == (following & on_any) - set(berlin.member_ids)
    assert triage.matrix(MatrixScope.FOLLOWING, "list:nowhere").ids == []
    assert triage.parse_filter("list:nowhere is:egg").unknown == ("list:nowhere",)

    followers = {r.account_id for r in store.relationships() if r.follower}
    assert set(triage.matrix(MatrixScope.FOLLOWERS).ids) == followers
    assert set(triage.matrix(MatrixScope.EVERYONE).ids) == followers | following | on_any
    unfollow = triage.unfollow_candidates("is:unlisted").ids
    assert unfollow and not set(unfollow) & on_any
    assert set(triage.new_followers("is:listed").ids) <= on_any

    rows = triage.matrix(MatrixScope.EVERYONE).ids
    memberships = triage.memberships(rows)
    assert set(memberships) == set(rows)
    assert all((berlin.id in memberships[i]) == (i in berlin.member_ids) for i in rows)
    assert all(bool(memberships[i]) == (i in on_any) for i in rows)


def test_the_matrix_follows_list_changes(demo_session: Session) -> None:
    triage, actions = demo_session.triage, demo_session
    unlisted = triage.matrix(MatrixScope.FOLLOWING, "is:unlisted").ids
    info = actions.lists.create_list("Berlin tech")
    actions.lists.change_membership(unlisted[:3], info.id, add=True)
    assert triage.matrix(MatrixScope.FOLLOWING, 'list:"berlin tech"').ids == sorted(
        unlisted[:3],
        key=lambda i: (present(demo_session.store.account(i)).username.casefold(), i),
    )
    assert not set(unlisted[:3]) & set(triage.matrix(MatrixScope.FOLLOWING, "is:unlisted").ids)
    assert triage.memberships(unlisted[:1]) == {unlisted[0]: frozenset({info.id})}


async def test_a_refused_filter_names_every_name_that_works_and_is_not_active(tmp_path: Path) -> None:
    """Issue 15: the message left out egg, muted and the list names, and the status bar showed the filter."""
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        total = len(screen.accounts.ids)
        await pilot.press("slash", *"is:egz list:nope", "enter")
        await wait_until(pilot, lambda: any("Unknown filter" in n.message for n in app._notifications))
        message = next(n.message for n in app._notifications if "Unknown filter" in n.message)
        assert "is:egz" in message and "list:nope" in message
        for name in [*ALIASES, "muted", "listed", "unlisted", "left", "suspended", "deleted", '"Lisbon friends"']:
            assert re.search(rf"[ :]{re.escape(name)}[,;.]", message), name
        await wait_until(pilot, lambda: len(screen.accounts.ids) == total)  # not applied
        assert "filter:" not in screen_text(app)  # the status bar does not show it
        filter_input = screen.query_one("#filter", Input)
        focused = screen.focused  # (a name: mypy would keep ``screen.focused`` narrowed to Input past the awaits)
        assert filter_input.value == "is:egz list:nope" and focused is filter_input  # to be fixed
        await pilot.press(*["backspace"] * 11, "g", "enter")  # "is:egg": a name that works is kept
        await wait_until(pilot, lambda: screen.filters[screen.pane] == "is:egg" and len(screen.accounts.ids) < total)
        assert screen.focused is screen.accounts
        assert "filter: is:egg" in screen_text(app)
