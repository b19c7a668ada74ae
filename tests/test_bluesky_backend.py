"""The Bluesky backend through the real ``atproto`` SDK client against FakeBsky (lexicon-checked)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from followtui.backends.base import AuthError, FollowState, NotFound, RateLimited, Transient
from followtui.backends.bluesky.backend import BlueskyBackend
from followtui.backends.bluesky.credentials import BlueskySession, save_session
from followtui.backends.bluesky.signin import SignInError, sign_in
from followtui.domain.models import AccountState, DecisionKind, OutboxState
from followtui.services.sync import Syncer
from followtui.store.store import Store
from tests.factories import FakeClock
from tests.fakebsky import FakeBsky, World
from tests.writes import make_writes

NO_PLC = "http://127.0.0.1:9"  # the session's DID document names the PDS: the PLC is never asked
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake() -> Iterator[FakeBsky]:
    with FakeBsky(World.generate(followers=60, following=10)) as fb:
        yield fb
        assert not fb.violations


def signed_in(fb: FakeBsky) -> BlueskySession:
    return sign_in(fb.world.me.handle, fb.world.app_password, service=fb.base_url, plc=NO_PLC)


def backend_for(fb: FakeBsky, **kwargs: Any) -> BlueskyBackend:
    return BlueskyBackend.connect(signed_in(fb), **kwargs)


# --- sign-in ----------------------------------------------------------------------------------------------------


def test_sign_in_takes_the_pds_from_the_did_document(fake: FakeBsky) -> None:
    session = signed_in(fake)
    assert (session.did, session.handle, session.pds) == (fake.world.me.did, "maria.bsky.social", fake.base_url)


def test_the_main_password_is_refused_and_its_session_ended(fake: FakeBsky) -> None:
    with pytest.raises(SignInError, match="main password"):
        sign_in(fake.world.me.handle, fake.world.main_password, service=fake.base_url, plc=NO_PLC)
    assert len(fake.calls("com.atproto.server.deleteSession")) == 1


def test_a_wrong_password_says_so(fake: FakeBsky) -> None:
    with pytest.raises(SignInError, match="wrong handle or app password"):
        sign_in(fake.world.me.handle, "nope", service=fake.base_url, plc=NO_PLC)


# --- reads ------------------------------------------------------------------------------------------------------


def test_pages_are_completed_with_profiles_and_unknowns_stay_unknown(
    fake: FakeBsky, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = fake.world.followers[3]
    backend = backend_for(fake, page_size=50)
    fake.world.followers.insert(0, fake.world.followers.pop(3))
    served = [d for d in fake.world.followers if d != gone]
    original = fake._app_bsky_actor_getProfiles

    def without_gone(params: dict[str, object], caller: str | None) -> dict[str, object]:
        body = original(params, caller)
        body["profiles"] = [p for p in body["profiles"] if p["did"] != gone]  # went away
        return body

    monkeypatch.setattr(fake, "_app_bsky_actor_getProfiles", without_gone)
    page = backend.followers()
    first = page.accounts[0]
    assert first.id == gone and not first.hydrated  # no counts known: not judged on zeros
    assert all(a.hydrated and a.followers_count == 10 for a in page.accounts[1:])
    assert [a.id for a in page.accounts[1:]] == served[:49]
    assert page.next_cursor is not None


def test_lookup_tells_takendown_deactivated_and_deleted_apart(fake: FakeBsky) -> None:
    world = fake.world
    a, b, c, d = world.followers[:4]
    world.profiles[a].state, world.profiles[b].state, world.profiles[c].state = "takendown", "deactivated", "deleted"
    page = backend_for(fake).lookup([a, b, c, d])
    assert page.gone == {a: AccountState.SUSPENDED, b: AccountState.DEACTIVATED, c: AccountState.DELETED}
    assert [x.id for x in page.accounts] == [d]  # still there: one who merely unfollowed would look like this


def test_mentions_are_replies_mentions_and_quotes_of_the_user(fake: FakeBsky) -> None:
    world = fake.world
    me, other = world.me.did, world.followers[0]
    post = f"at://{me}/app.bsky.feed.post/3kaaaaaaaaaa2"
    reply = {
        "$type": "app.bsky.feed.post",
        "text": "Agreed!",
        "createdAt": "2026-11-01T10:00:00.000Z",
        "reply": {"root": {"uri": post, "cid": "bafyreiaaaa"}, "parent": {"uri": post, "cid": "bafyreiaaaa"}},
    }
    world.notifications.append(
        {
            "uri": f"at://{other}/app.bsky.feed.post/3kbbbbbbbbbb2",
            "cid": "bafyreibbbbbbbb",
            "author": fake._view(world.profiles[other]),
            "reason": "reply",
            "record": reply,
            "isRead": False,
            "indexedAt": "2026-11-01T10:00:01.000Z",
        }
    )
    (found,) = backend_for(fake).mentions()
    assert (found.author_id, found.in_reply_to_user_id, found.text) == (other, me, "Agreed!")
    assert fake.calls("app.bsky.notification.listNotifications")[0].params["reasons"] == ["reply", "mention", "quote"]


# --- writes and the crash rule ----------------------------------------------------------------------------------


def follows_of(fb: FakeBsky, did: str) -> list[str]:
    return [k for k, v in fb.world.records("app.bsky.graph.follow") if v["subject"] == did]


def test_a_follow_whose_answer_was_lost_is_not_made_twice(fake: FakeBsky) -> None:
    backend = backend_for(fake)
    target = fake.world.followers[20]
    fake.fail("com.atproto.repo.createRecord", "lost")
    with pytest.raises(Transient):
        backend.follow(target)
    backend.follow(target)  # the outbox retries
    assert len(follows_of(fake, target)) == 1
    assert len(fake.calls("com.atproto.repo.createRecord")) == 1


def test_unfollow_deletes_the_record_viewer_following_names(fake: FakeBsky) -> None:
    backend = backend_for(fake)
    target = fake.world.followers[0]  # followed in the generated world
    assert follows_of(fake, target)
    backend.unfollow(target)
    assert not follows_of(fake, target)
    backend.unfollow(target)  # again: nothing to delete, no error


def test_unfollow_finds_the_record_of_an_account_the_appview_hides(fake: FakeBsky) -> None:
    target = fake.world.followers[1]
    fake.world.profiles[target].state = "deactivated"
    backend_for(fake).unfollow(target)
    assert not follows_of(fake, target)


def test_lists_create_rename_members_and_delete(fake: FakeBsky) -> None:
    backend = backend_for(fake)
    fake.fail("com.atproto.repo.createRecord", "lost")
    with pytest.raises(Transient):
        backend.create_list("Teachers", "by place")
    made = backend.create_list("Teachers", "by place")
    assert len(fake.world.records("app.bsky.graph.list")) == 1 and not made.private
    member = fake.world.followers[5]
    backend.add_list_member(made.id, member)
    backend.add_list_member(made.id, member)
    assert [a.id for a in backend.list_members(made.id).accounts] == [member]
    backend.update_list(made.id, "Teachers nearby", "by place, then topic")
    assert [(i.name, i.description) for i in backend.owned_lists()] == [("Teachers nearby", "by place, then topic")]
    backend.remove_list_member(made.id, member)
    assert backend.list_members(made.id).accounts == []
    backend.add_list_member(made.id, member)
    backend.delete_list(made.id)
    assert fake.world.records("app.bsky.graph.list") == [] and fake.world.records("app.bsky.graph.listitem") == []
    with pytest.raises(NotFound):
        backend.delete_list(made.id)


# --- errors -----------------------------------------------------------------------------------------------------


def test_rate_limit_gives_the_reset_time(fake: FakeBsky) -> None:
    reset = int(time.time()) + 240
    fake.fail("app.bsky.graph.getFollowers", "429", reset=reset)
    backend = backend_for(fake)
    with pytest.raises(RateLimited) as caught:
        backend.followers()
    assert caught.value.reset_at == datetime.fromtimestamp(reset, UTC)
    assert caught.value.endpoint == "GET app.bsky.graph.getFollowers"
    usage = {u.endpoint: u for u in backend.meter.usage()}["GET app.bsky.graph.getFollowers"]
    assert (usage.remaining, usage.limit, usage.errors) == (0, 3000, 1)


@pytest.mark.parametrize("kind", ["500", "502", "503", "drop"])
def test_server_errors_and_dropped_connections_are_transient(fake: FakeBsky, kind: str) -> None:
    backend = backend_for(fake)
    fake.fail("app.bsky.graph.getFollows", kind)
    with pytest.raises(Transient):
        backend.following()
    assert len(backend.following().accounts) == 10  # the next try works


def test_a_pds_that_is_down_is_transient() -> None:
    with FakeBsky(World.generate(followers=3)) as fb:
        session = signed_in(fb)
    backend = BlueskyBackend.connect(session)
    with pytest.raises(Transient, match="could not be reached"):
        backend.me()


def test_an_expired_session_is_refreshed_once_and_saved(fake: FakeBsky) -> None:
    saved: list[BlueskySession] = []
    backend = backend_for(fake, on_session=saved.append)
    before = backend.session
    fake.fail("app.bsky.actor.getProfile", "expired")
    assert backend.me().id == fake.world.me.did
    assert len(fake.calls("com.atproto.server.refreshSession")) == 1
    assert saved and saved[-1].refresh_jwt != before.refresh_jwt and saved[-1].access_jwt != before.access_jwt


def test_a_revoked_session_says_to_sign_in_again(fake: FakeBsky) -> None:
    backend = backend_for(fake)
    fake.revoke_all()
    with pytest.raises(AuthError, match="followtui auth bluesky"):
        backend.me()


def test_the_sdk_refreshes_a_token_about_to_expire() -> None:
    with FakeBsky(World.generate(followers=3), lifetime=60) as fb:  # expires within the SDK's 15-minute margin
        saved: list[BlueskySession] = []
        backend = backend_for(fb, on_session=saved.append)
        backend.me()
        assert fb.calls("com.atproto.server.refreshSession") and saved
        assert not fb.violations


# --- scale and a killed sync ------------------------------------------------------------------------------------


def test_a_sync_pages_10000_followers(tmp_path: Path) -> None:
    with FakeBsky(World.generate(followers=10_000, following=300)) as fb:
        backend = backend_for(fb)
        started = time.perf_counter()
        with Store.open(tmp_path, fsync=False) as store:
            report = Syncer(store, backend, lambda: datetime.now(UTC), fsync=False).run()
            assert report.followers == 10_000 and report.following == 300
            assert len(store.follower_ids()) == 10_000
        elapsed = time.perf_counter() - started
        assert len(fb.calls("app.bsky.graph.getFollowers")) == 100
        assert len(fb.calls("app.bsky.actor.getProfiles")) == 10_000 // 25 + 300 // 25  # 25 a call
        assert not fb.violations
    print(f"\n10,000 Bluesky followers: {backend.meter.total_requests()} requests, {elapsed:.1f} s")


def test_sigkill_mid_sync_resumes_with_at_most_one_page_read_twice(tmp_path: Path) -> None:
    with FakeBsky(World.generate(followers=1_000, following=20)) as fb:
        creds = tmp_path / "creds.json"
        save_session(signed_in(fb), creds)
        command = [sys.executable, "-m", "tests.bsky_network.sync_child", str(tmp_path / "data"), str(creds), "100"]
        killed = subprocess.run([*command, "4"], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert len(fb.calls("app.bsky.graph.getFollowers")) == 4
        resumed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert resumed.returncode == 0, resumed.stderr
        assert json.loads(resumed.stdout.splitlines()[-1])["GET app.bsky.graph.getFollowers"] == 7  # pages 4-10
        assert len(fb.calls("app.bsky.graph.getFollowers")) == 10 + 1  # exactly one page twice
        with Store.open(tmp_path / "data") as store:
            assert len(store.follower_ids()) == 1_000
        assert not fb.violations


def test_the_outbox_retries_a_lost_follow_without_a_second_record(fake: FakeBsky, tmp_path: Path) -> None:
    """Through the outbox, as the app sends: the retry asks ``follow_state`` first, and the record is there."""
    backend = backend_for(fake)
    target = fake.world.followers[20]
    clock = FakeClock(datetime(2026, 11, 20, 12, tzinfo=UTC))
    with Store.open(tmp_path / "bsky") as store:
        actions = make_writes(store, backend, clock)
        assert backend.follow_state(target) is FollowState.NONE
        actions.decisions.decide(target, DecisionKind.FOLLOW)
        fake.fail("com.atproto.repo.createRecord", "lost")
        actions.outbox.process_outbox()
        (entry,) = store.outbox()
        assert entry.state is OutboxState.PENDING and entry.attempts == 1
        clock.advance(hours=1)
        actions.outbox.process_outbox()
        (entry,) = store.outbox()
        assert entry.state is OutboxState.DONE
    assert len(follows_of(fake, target)) == 1
    assert len(fake.calls("com.atproto.repo.createRecord")) == 1
    assert backend.follow_state(target) is FollowState.FOLLOWING
    assert backend.follow(target) is FollowState.FOLLOWING  # again: no second record, and the answer says so
    assert len(follows_of(fake, target)) == 1


@pytest.mark.parametrize("kill_at", [1, 2, 3, 4])  # the 1st or 2nd follow, the list's creation, its first add
def test_sigkill_mid_outbox_makes_no_second_record(tmp_path: Path, kill_at: int) -> None:
    """A kill after Bluesky made a record but before the outbox wrote the answer: the resent outbox finds the
    record (``follow_state``, the list by name, the item by subject) and makes no duplicate."""
    with FakeBsky(World.generate(followers=30, following=5)) as fb:
        creds = tmp_path / "creds.json"
        save_session(signed_in(fb), creds)
        targets = fb.world.followers[10:12]
        command = [sys.executable, "-m", "tests.bsky_network.outbox_child", str(tmp_path / "data"), str(creds)]
        killed = subprocess.run([*command, str(kill_at), *targets], cwd=REPO, capture_output=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert len(fb.calls("com.atproto.repo.createRecord")) == kill_at
        resent = subprocess.run([*command, "0"], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert resent.returncode == 0, resent.stderr
        states = json.loads(resent.stdout.splitlines()[-1])
        assert sorted(states) == sorted(
            [["follow", "done"]] * 2 + [["list_create", "done"]] + [["list_add", "done"]] * 2
        )
        assert all(len(follows_of(fb, did)) == 1 for did in targets)
        (made,) = fb.world.records("app.bsky.graph.list")
        assert made[1]["name"] == "Kill test"
        items = [v["subject"] for _, v in fb.world.records("app.bsky.graph.listitem")]
        assert sorted(items) == sorted(targets)
        assert len(fb.calls("com.atproto.repo.createRecord")) == 5  # each record once: 2 follows, 1 list, 2 items
        assert not fb.violations
