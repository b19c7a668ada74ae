"""Private notes and tags, content-first mode, and the queue exports with their signals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from followtui.domain.notes import MAX_NOTE, tags_of
from followtui.services.export import QUEUE_COLUMNS, export
from followtui.services.notes import Notes
from followtui.services.session import Session
from followtui.store import Store, StoreCorrupt
from tests.factories import FakeClock, present
from tests.tui_helpers import SIZE, demo_app, fixed_clock, ready, screen_text, wait_until


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("met at #PyCon, talks about #climate and #Climate", ("pycon", "climate")),
        ("#met-at-pycon #2026", ("met-at-pycon", "2026")),
        ("ask about issue#42 and http://x.com/#anchor", ()),
        ("#気候 #Ελλάδα #عربي", ("気候", "ελλάδα", "عربي")),
        ("", ()),
    ],
)
def test_tags_are_the_hash_words(text: str, tags: tuple[str, ...]) -> None:
    assert tags_of(text) == tags


def test_notes_are_stored_cleaned_and_survive_a_restart(data_dir: Path, clock: FakeClock) -> None:
    with Store.open(data_dir) as store:
        notes = Notes(store, clock)
        note = notes.set("1001", "  knows \x1b[31mbirds\x1b[0m\r\nmet at #PyCon  ")
        assert note is not None and note.text == "knows birds\nmet at #PyCon"
        assert notes.set("1002", "x" * (MAX_NOTE + 50)) is not None
    with Store.open(data_dir) as store:
        notes = Notes(store, clock)
        kept = notes.get("1001")
        assert kept is not None and kept.tags == ("pycon",) and kept.updated_at == clock.now
        assert len(present(notes.get("1002")).text) == MAX_NOTE
        assert notes.set("1001", "   ") is None  # empty: removed
        assert notes.get("1001") is None
    with Store.open(data_dir) as store:
        assert set(store.notes()) == {"1002"}


def test_a_broken_note_record_names_the_file(data_dir: Path, clock: FakeClock) -> None:
    with Store.open(data_dir) as store:
        Notes(store, clock).set("1001", "hello")
    state = data_dir / "state.json"
    state.write_text(state.read_text().replace('"updated_at":"', '"updated_at":"x'), encoding="utf-8")
    with Store.open(data_dir) as store, pytest.raises(StoreCorrupt, match=r"state\.json"):
        store.notes()


def test_export_of_the_queues_carries_the_signals(demo_session: Session) -> None:
    out = io.StringIO()
    count = export(demo_session.store, "candidates", "json", out, fixed_clock, demo_session.triage)
    rows = json.loads(out.getvalue())
    assert count == len(rows) == demo_session.triage.unfollow_candidates().total
    assert [r["id"] for r in rows] == demo_session.triage.unfollow_candidates().ids
    first = rows[0]
    assert first["signals"] and {"kind", "strength", "sentence"} <= first["signals"][0].keys()
    assert first["signals"][0]["sentence"] == demo_session.triage.signals(first["id"])[0].sentence

    out = io.StringIO()
    export(demo_session.store, "new", "csv", out, fixed_clock, demo_session.triage)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(table[0].keys()) == QUEUE_COLUMNS
    assert [r["id"] for r in table] == demo_session.triage.new_followers().ids
    talker = next(r for r in table if "conversation" in r["signals"].split(";"))
    assert "You talk" in talker["reasons"] or "wrote to you" in talker["reasons"]


def test_export_of_notes(demo_session: Session) -> None:
    account_id = demo_session.triage.new_followers().ids[0]
    demo_session.notes.set(account_id, "=HYPERLINK(evil) #climate")
    out = io.StringIO()
    export(demo_session.store, "notes", "csv", out, fixed_clock)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["account_id"] == account_id
    assert row["note"] == "'=HYPERLINK(evil) #climate"  # a formula is never run by a spreadsheet
    assert row["tags"] == "#climate"


async def test_n_writes_a_note_shown_in_the_detail(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        account_id = screen.accounts.highlighted
        assert account_id is not None
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.id == "note")
        await pilot.press(*"met at ", "#", *"pycon")
        await pilot.pause()
        assert "tags: #pycon" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.session.notes.get(account_id) is not None)
        await wait_until(pilot, lambda: "Your note" in screen_text(app) and "met at #pycon" in screen_text(app))
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.id == "note")
        await pilot.press("escape")  # leaves the note as it was
        await wait_until(pilot, lambda: app.screen is screen)
        assert present(screen.session.notes.get(account_id)).text == "met at #pycon"


async def test_c_hides_the_follower_counts(tmp_path: Path) -> None:
    app = demo_app(tmp_path / "demo")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert "followers " in screen_text(app) and "following " in screen_text(app)
        account = screen.session.store.account(screen.accounts.highlighted or "")
        assert account is not None
        await pilot.press("c")
        await wait_until(pilot, lambda: "content first" in screen_text(app))
        text = screen_text(app)
        assert "content first" in text  # the status bar says so
        assert f"followers {account.followers_count:,}" not in text
        assert f"following {account.following_count:,}" not in text
        assert f"{account.tweet_count:,} posts" in text
        await pilot.press("c")
        await wait_until(pilot, lambda: f"followers {account.followers_count:,}" in screen_text(app))
