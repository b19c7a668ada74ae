"""Integration from the keyboard: the app, driven with Pilot, on the real local AT Protocol network.

A person signs in (``followtui auth bluesky``), opens followtui, syncs (``r``), sees a conversation, follows back
(``f``), lists someone on a list kept on this machine and publishes it (``N``, ``l``, ``P``), and unfollows
(``u``); each write is read back from the AppView. The network is ``bsky_network``'s
(see ``test_bsky_network.py``): these tests skip without it, and fail in CI instead. Waits poll, none sleeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot

from followtui.backends.bluesky.backend import BlueskyBackend
from followtui.backends.bluesky.credentials import PLC_ENV, credentials_file, load_sessions
from followtui.cli import main
from followtui.cli.auth_bluesky import ENV_PASSWORD
from followtui.config import Config
from followtui.domain.models import ListInfo, Op, OutboxState
from followtui.domain.queues import Pane
from followtui.services import accounts
from followtui.services.session import AccountOpener
from followtui.store import Store
from followtui.tui.app import FollowApp
from followtui.tui.screens.dialogs import ConfirmScreen, ListPickerScreen, UnfollowScreen
from followtui.tui.screens.list_form import ListFormScreen
from followtui.tui.screens.main import MainScreen
from tests.bsky_network.network import Account, BskyNetwork, poll
from tests.tui_helpers import SIZE, screen_text, wait_until

SYNC_TIMEOUT = 60.0  # a first sync of a few accounts takes a second or two; the AppView may lag


@dataclass
class People:
    me: Account
    talker: Account  # follows me, and we replied to each other: a conversation
    follower: Account  # follows me, nothing more
    quiet: Account  # I follow them; they never follow back or post


@pytest.fixture
def people(bsky_network: BskyNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> People:
    """Three people around a new user, every write visible in the AppView; the user signed in by the CLI."""
    net = bsky_network
    me = net.create_account(f"pilot{id(tmp_path) % 10_000}")
    talker, follower, quiet = (net.create_account() for _ in range(3))
    net.follow(talker, me.did)
    net.follow(follower, me.did)
    net.follow(me, quiet.did)
    mine = net.post(me, "Who else is teaching fractions this week?")
    view = _viewer(net, me)
    poll("my post in the AppView", lambda: [p for p in view.my_posts() if p.id == mine.uri])
    theirs = net.post(talker, "Me! With pizza slices.", reply_to=mine)
    poll("their reply in the AppView", lambda: [p for p in view.mentions() if p.id == theirs.uri])
    answer = net.post(me, "Pizza is the best fraction model.", reply_to=theirs)
    poll("my answer in the AppView", lambda: [p for p in view.my_posts() if p.id == answer.uri])
    poll("the followers in the AppView", lambda: view.me().followers_count == 2 or None)

    monkeypatch.setenv("FOLLOWTUI_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(PLC_ENV, net.plc)
    monkeypatch.setenv(ENV_PASSWORD, net.app_password(me))
    assert main(["auth", "bluesky", "--handle", me.handle, "--service", net.pds]) == 0
    return People(me, talker, follower, quiet)


def _viewer(net: BskyNetwork, me: Account) -> BlueskyBackend:
    """A backend of the user's own, to read what the AppView shows (the app has its own)."""
    from followtui.backends.bluesky.signin import sign_in

    return BlueskyBackend.connect(sign_in(me.handle, net.app_password(me), service=net.pds, plc=net.plc))


def app_on(base: Path) -> FollowApp:
    """The app as ``followtui`` opens it: the account signed in, found under the data dir ``base``."""
    account = accounts.resolve(base, None)
    assert account is not None and account.network == accounts.BLUESKY
    config = Config()
    return FollowApp(AccountOpener(base, account, options={"config": config}), config)


async def test_sync_follow_back_list_and_unfollow_from_the_keyboard(people: People, tmp_path: Path) -> None:
    base = tmp_path / "data"
    saved = load_sessions(credentials_file())
    assert list(saved) == [people.me.did]
    view = BlueskyBackend.connect(saved[people.me.did])

    def following() -> set[str]:
        return {a.id for a in view.following().accounts}

    app = app_on(base)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and None not in app.screen.counts.values())
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert f"Bluesky @{people.me.handle}" in screen_text(app)

        await pilot.press("r")  # free: no question first
        await wait_until(pilot, lambda: people.talker.did in screen.accounts.ids, timeout=SYNC_TIMEOUT)
        assert set(screen.accounts.ids) == {people.talker.did, people.follower.did}
        await _highlight(pilot, screen, people.talker.did)
        await wait_until(pilot, lambda: "talks with you" in screen_text(app))  # the conversation, from notifications

        await pilot.press("f")
        await _sent(pilot, screen, Op.FOLLOW, people.talker.did)
        poll("the follow in the AppView", lambda: people.talker.did in following() or None)

        store = screen.session.store
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.pane is Pane.LISTS)
        await pilot.press("N")  # a list kept on this machine: nothing goes to Bluesky yet
        await wait_until(pilot, lambda: isinstance(app.screen, ListFormScreen))
        await pilot.press(*"Fractions", "enter", *"people who teach them", "enter")
        await wait_until(pilot, lambda: _named(store, "Fractions") is not None)
        await pilot.press("1")
        await _highlight(pilot, screen, people.follower.did)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, ListPickerScreen))
        await pilot.press(*"Fract", "enter")
        await wait_until(pilot, lambda: (_named(store, "Fractions") or _EMPTY).member_ids == (people.follower.did,))
        assert not [i for i in view.owned_lists() if i.name == "Fractions"]  # kept here: nobody can see it
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.current_list is not None and screen.current_list.name == "Fractions")
        await pilot.press("P")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _sent(pilot, screen, Op.LIST_ADD, people.follower.did)
        published = poll("the list in the AppView", lambda: [i for i in view.owned_lists() if i.name == "Fractions"])
        assert not published[0].private and published[0].id == (_named(store, "Fractions") or _EMPTY).id
        members = poll("its member in the AppView", lambda: view.list_members(published[0].id).accounts)
        assert [a.id for a in members] == [people.follower.did]

        await pilot.press("3")
        await wait_until(pilot, lambda: screen.pane is Pane.UNFOLLOW and people.quiet.did in screen.accounts.ids)
        await _highlight(pilot, screen, people.quiet.did)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, UnfollowScreen))
        await pilot.press("y")
        await _sent(pilot, screen, Op.UNFOLLOW, people.quiet.did)
        poll("the unfollow in the AppView", lambda: people.quiet.did not in following() or None)
        assert screen.session.meter.total_cost() == 0


_EMPTY = ListInfo("", "")


def _named(store: Store, name: str) -> ListInfo | None:
    return next((info for info in store.lists() if info.name == name), None)


async def _highlight(pilot: Pilot[None], screen: MainScreen, account_id: str) -> None:
    """Move the cursor down to ``account_id``."""
    for _ in range(list(screen.accounts.ids).index(account_id)):
        await pilot.press("j")
    await wait_until(pilot, lambda: screen.accounts.highlighted == account_id)


async def _sent(pilot: Pilot[None], screen: MainScreen, op: Op, account_id: str) -> None:
    """Wait until the outbox has done ``op`` for ``account_id`` (the network answered)."""
    store = screen.session.store

    def done() -> bool:
        return any(e.op is op and e.account_id == account_id and e.state is OutboxState.DONE for e in store.outbox())

    await wait_until(pilot, done, timeout=30)
