"""Scale work (issue 7): the graph's head file, the per-snapshot indexes, the search index, the sync's reused
documents, and the app showing New followers before the full graph has loaded."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
import synth  # bench/synth.py: bench/ is on the path (pyproject.toml), as when bench/bench.py runs

from followtui.domain.filters import Order, accepts, parse
from followtui.domain.models import Decision, DecisionKind
from followtui.domain.notes import Note
from followtui.domain.queues import Pane, haystack
from followtui.services.session import open_session
from followtui.services.triage import Triage
from followtui.store import Store
from followtui.store.graph import HEAD_ACCOUNTS, TextIndex, build_graph
from followtui.store.rows import account_doc, account_row
from followtui.store.store import HEAD_FILE
from followtui.tui.app import FollowApp
from followtui.tui.widgets.account_list import AccountList
from tests.tui_helpers import SIZE, main_screen, wait_until

N = 1500  # one-way followers well past HEAD_ACCOUNTS


@pytest.fixture(scope="module")
def syn() -> synth.Synthetic:
    return synth.build(N, following=400)


@pytest.fixture
def cache(tmp_path: Path, syn: synth.Synthetic) -> Path:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.replace_graph(
            me=syn.me,
            accounts=syn.accounts,
            relationships=syn.relationships,
            mentions=[],
            my_posts=[],
            lists=syn.lists,
            sync=syn.sync,
        )
        with store.transaction():
            for decision in syn.decisions:
                store.put_decision(decision, ())
            for note in syn.notes:
                store.put_note(note)
    return data


def test_open_reads_only_the_head_then_the_rest_on_demand(cache: Path) -> None:
    head = cache / HEAD_FILE
    assert head.exists() and head.stat().st_mode & 0o777 == 0o600
    with Store.open(cache) as full:
        full.load_graph()
        expected = list(full.one_way_followers())
        first = expected[0]
        first_account, first_rel = full.account(first), full.relationship(first)
        far = expected[-1]
        far_account = full.account(far)
        me = full.me()
    with Store.open(cache) as store:
        assert not store.graph_loaded
        assert list(store.one_way_followers()) == expected
        assert store.me() == me and not store.graph_empty()
        assert store.account(first) == first_account and store.relationship(first) == first_rel
        assert store.in_head([first]) and not store.in_head([far])
        assert not store.graph_loaded  # all of the above came from the head
        assert store.account(far) == far_account  # not in the head: the full graph is read
        assert store.graph_loaded and store.in_head([far])


def test_a_stale_or_damaged_head_is_ignored(cache: Path, syn: synth.Synthetic) -> None:
    with Store.open(cache) as store:  # another graph written without a head (as an older followtui would)
        store.replace_graph(
            me=syn.me,
            accounts=syn.accounts[:10],
            relationships=syn.relationships[:10],
            mentions=[],
            my_posts=[],
            lists=[],
            sync=syn.sync,
        )
    stale = (cache / HEAD_FILE).read_bytes()
    with Store.open(cache) as store:
        store.replace_graph(
            me=syn.me,
            accounts=syn.accounts,
            relationships=syn.relationships,
            mentions=[],
            my_posts=[],
            lists=[],
            sync=syn.sync,
        )
    (cache / HEAD_FILE).write_bytes(stale)  # the head of the 10-account graph next to the full one
    with Store.open(cache) as store:
        assert store.graph_loaded and len(store.account_ids()) == len(syn.accounts)
        store.load_graph()  # the app does this in a worker: it writes a matching head again
    with Store.open(cache) as store:
        assert not store.graph_loaded
    (cache / HEAD_FILE).write_bytes(b"{not json")
    with Store.open(cache) as store:
        assert store.graph_loaded and len(store.account_ids()) == len(syn.accounts)


def test_a_used_up_head_is_written_again(cache: Path) -> None:
    with Store.open(cache) as store:
        head_ids = [i for i in store.one_way_followers() if store.in_head([i])][:HEAD_ACCOUNTS]
        with store.transaction():
            for seq, account_id in enumerate(head_ids, 10_000):
                store.put_decision(Decision(account_id, DecisionKind.SKIP, synth.NOW, seq), ())
        store.load_graph()
    with Store.open(cache) as store:
        undecided = [i for i in store.one_way_followers() if store.decision(i) is None]
        assert store.in_head(undecided[:100]) and not store.graph_loaded


def reference_new(store: Store, triage: Triage, order: Order) -> list[str]:
    """The pane by its definition: every one-way follower with no active decision, sorted by first seen."""
    decisions = store.decisions()
    now = triage.clock()
    seen = {
        r.account_id: r.follower_first_seen
        for r in store.relationships()
        if r.follower and not r.following and not ((d := decisions.get(r.account_id)) and d.active(now))
    }
    return sorted(seen, key=lambda i: (seen[i] or synth.NOW - timedelta(days=99999), i), reverse=order is Order.NEWEST)


@pytest.mark.parametrize("order", [Order.NEWEST, Order.OLDEST])
def test_new_followers_index_matches_the_definition(cache: Path, order: Order) -> None:
    with Store.open(cache) as store:
        triage = Triage(store, lambda: synth.NOW)
        expired = next(i for i in store.one_way_followers() if store.decision(i) is None)
        store.put_decision(
            Decision(
                expired, DecisionKind.SNOOZE, synth.NOW - timedelta(days=5), 99_999, synth.NOW - timedelta(days=1)
            ),
            (),
        )
        result = triage.new_followers("", order)
        assert expired in result.ids  # an expired snooze is back
        assert result.ids == reference_new(store, triage, order) and result.total == len(result.ids)


@pytest.mark.parametrize("needle", ["berlin", "synthetic", "engineer coffee", "nurse berlin", '"good morning"', "zzz"])
def test_word_filter_matches_the_definition(cache: Path, needle: str) -> None:
    with Store.open(cache) as store:
        triage = Triage(store, lambda: synth.NOW)
        notes = store.notes()
        query = parse(needle)
        unfiltered = triage.new_followers().ids

        def ok(account_id: str) -> bool:
            doc = store.account_doc(account_id)
            note = notes.get(account_id)
            return accepts(query, haystack(doc) if doc else "", note=note.text if note else "")

        expected = [i for i in unfiltered if ok(i)]
        assert triage.new_followers(needle).ids == expected
        if needle == "synthetic":  # a word only in the notes
            assert expected and all(i in notes for i in expected)


def test_a_note_word_finds_the_account(cache: Path) -> None:
    with Store.open(cache) as store:
        triage = Triage(store, lambda: synth.NOW)
        target = triage.new_followers().ids[3]
        store.put_note(Note(target, "quokka sighting", synth.NOW))
        assert triage.new_followers("quokka").ids == [target]


def test_text_index_never_matches_across_accounts() -> None:
    docs = {
        "1": {"username": "ab", "name": "", "description": "", "location": ""},
        "2": {"username": "cd", "name": "Ber", "description": "", "location": "lin"},
        "3": {"username": "x\x00y", "name": "Berlin", "description": "", "location": ""},
        "4": {"username": "zz", "name": "Jürgen 🦜", "description": "Straße", "location": "München"},
        "5": {"username": "yy", "name": "", "description": "", "location": "munchen"},
    }
    index = TextIndex({key: account_row(doc) for key, doc in docs.items()})
    assert index.find("bd") == set() and index.find("b\nc") == set()
    assert index.find("berlin") == {"3"} and index.find("ber") == {"2", "3"}
    assert index.find_all(["ber", "lin"]) == {"2", "3"} and index.find_all(["cd", "berlin"]) == set()
    assert index.find("x y") == {"3"} and index.find("\x00") == set()
    # non-ASCII text is matched as text, and the accounts after it are still found at the right offsets
    assert index.find("münchen") == {"4"} and index.find("munchen") == {"5"} and index.find("🦜") == {"4"}
    assert index.find("strasse") == {"4"} and index.find("yy") == {"5"}  # case-folded: ß is ss


def test_graph_rows_reuse_only_documents_of_the_same_object(syn: synth.Synthetic) -> None:
    first, second = syn.accounts[0], syn.accounts[1]
    marker = {**first.to_doc(), "name": "from the journal"}
    changed = replace(second, name="Someone else")
    docs = {first.id: (first, marker), second.id: (second, second.to_doc())}
    data = build_graph(me=None, accounts=[first, changed], relationships=[], mentions=[], my_posts=[], docs=docs)
    assert account_doc(data.accounts[first.id]) == marker
    assert account_doc(data.accounts[second.id]) == changed.to_doc()


async def test_new_followers_show_before_the_full_graph_loads(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    load_graph = Store.load_graph

    def gated(store: Store) -> None:
        gate.wait(10)
        load_graph(store)

    monkeypatch.setattr(Store, "load_graph", gated)
    app = FollowApp(partial(open_session, cache, clock=lambda: synth.NOW))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        screen = main_screen(app)
        await wait_until(pilot, lambda: bool(screen.query(AccountList)) and len(screen.accounts.ids) > 0)
        store = screen.session.store
        assert not store.graph_loaded  # shown from the head alone
        assert screen.counts[Pane.UNFOLLOW] is None
        first = screen.accounts.ids[0]
        assert first == next(i for i in store.one_way_followers() if store.decision(i) is None)
        await pilot.press("s")  # actionable at once
        await wait_until(pilot, lambda: first not in screen.accounts.ids)
        decision = store.decision(first)
        assert decision is not None and decision.kind is DecisionKind.SKIP
        assert not store.graph_loaded
        gate.set()
        await wait_until(pilot, lambda: None not in screen.counts.values())
        assert store.graph_loaded
