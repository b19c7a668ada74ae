"""X in the real world: credits, caps, refusals, hidden accounts and pending follows, through the real
``tweepy.Client`` against the spec-checked FakeX, with X's own error bodies (``tests/fakex/server.py``).

Each case drives the service the user runs (``Syncer``, ``Hydrator``, ``OutboxSender``) over an
``XBackend`` and asserts what the user is told, what is kept in the store, and which requests reached X.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followtui.backends.base import (
    CreditsDepleted,
    FollowState,
    Forbidden,
    RateLimited,
    StaleCursor,
    UsageCapped,
)
from followtui.backends.x.backend import XBackend
from followtui.backends.x.errors import period_end
from followtui.domain.models import Account, DecisionKind, Me, Op, OutboxState, Relationship, SyncInfo
from followtui.domain.xlimits import NO_RESET_WAIT
from followtui.services.hydrate import HydrateError, Hydrator, unhydrated_ids
from followtui.services.outbox import STOPPED
from followtui.services.sync import REQUEST_DROPPED, Syncer, SyncError, SyncOptions, SyncProgress
from followtui.store import Store
from followtui.tui import format as fmt
from tests.fakex import FakeX, World
from tests.fakex.server import CAP_DETAIL, TIER_DETAIL
from tests.test_sync_x import Gate
from tests.writes import make_writes

TOKEN = "x-failures-token-R4nd0mAbc9"
FOLLOWERS = "GET /2/users/:id/followers"
FOLLOWING = "GET /2/users/:id/following"
MEMBERS = "GET /2/lists/:id/members"
OWNED = "GET /2/users/:id/owned_lists"
MENTIONS = "GET /2/users/:id/mentions"
LOOKUP = "GET /2/users"
FOLLOW = "POST /2/users/:id/following"
CREATE_LIST = "POST /2/lists"
FEW_POSTS = SyncOptions(posts_accounts=3, posts_per_account=5, mentions=20, my_posts=20)


def now() -> datetime:
    return datetime.now(UTC)


class Tokens:
    def __init__(self, token: str) -> None:
        self.token = token

    def bearer(self) -> str:
        return self.token

    def refresh(self) -> str:
        return self.token


def x_backend(fx: FakeX) -> XBackend:
    fx.world.add_user_token(TOKEN, fx.world.me_id)
    return XBackend.oauth2(Tokens(TOKEN), user_id=fx.world.me_id, base=fx.base_url, timeout=(2, 10))


@pytest.fixture
def big() -> Iterator[FakeX]:
    """2,300 followers: three pages of 1,000."""
    world = World.generate(followers=2300, following=40, mutual=10, lists=2, posters=3, seed=5)
    with FakeX(world) as fx:
        yield fx
    fx.check()


def statuses(fx: FakeX, path: str) -> list[int]:
    return [r.status for r in fx.calls("GET", path)]


def syncer(store: Store, fx: FakeX, progress: list[SyncProgress] | None = None) -> Syncer:
    return Syncer(
        store, x_backend(fx), now, options=FEW_POSTS, progress=progress.append if progress is not None else None
    )


# -- the adapter: one typed error per real body ---------------------------------------------------------------------


def test_the_adapter_classifies_each_real_body(fakex: FakeX) -> None:
    backend = x_backend(fakex)
    fakex.fail(FOLLOWERS, "402")
    with pytest.raises(CreditsDepleted) as credits:
        backend.followers()
    assert "does not have any credits to fulfill this request" in credits.value.detail
    assert "console.x.com" in str(credits.value)

    fakex.fail(FOLLOWERS, "429-cap", period="Monthly", scope="Product")
    with pytest.raises(UsageCapped) as cap:
        backend.followers()
    assert (cap.value.period, cap.value.scope, cap.value.detail) == (
        "Monthly",
        "Product",
        CAP_DETAIL.format(period="Monthly", scope_lower="product"),
    )
    assert cap.value.until == period_end("Monthly", now()) and cap.value.until.day == 1

    fakex.fail(FOLLOWERS, "429-no-reset")
    with pytest.raises(RateLimited) as limited:
        backend.followers()
    assert limited.value.guessed and limited.value.reset_at - now() <= NO_RESET_WAIT

    fakex.fail(FOLLOWERS, "429", reset_in=120)
    with pytest.raises(RateLimited) as plain:
        backend.followers()
    assert not plain.value.guessed

    fakex.fail(MEMBERS, "403-tier")
    with pytest.raises(Forbidden) as refused:
        backend.list_members(next(iter(fakex.world.lists)))
    assert refused.value.reason == "client-not-enrolled" and refused.value.detail == TIER_DETAIL

    fakex.fail(FOLLOWERS, "400-cursor", token="5CS0O0C6II61EZZZ")
    with pytest.raises(StaleCursor, match="pagination_token"):
        backend.followers("5CS0O0C6II61EZZZ")


def test_periods_end_at_utc_midnight_or_the_first_of_the_month() -> None:
    at = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    assert period_end("Daily", at) == datetime(2027, 1, 1, tzinfo=UTC)
    assert period_end("Monthly", at) == datetime(2027, 1, 1, tzinfo=UTC)
    assert period_end("Monthly", datetime(2026, 5, 15, tzinfo=UTC)) == datetime(2026, 6, 1, tzinfo=UTC)


# -- 1. credits depleted ----------------------------------------------------------------------------------------------


def test_credits_depleted_stops_the_sync_and_the_next_one_resumes_from_the_same_cursor(
    big: FakeX, tmp_path: Path
) -> None:
    path = f"/2/users/{big.world.me_id}/followers"
    big.fail(FOLLOWERS, "slow", times=2, seconds=0)
    big.fail(FOLLOWERS, "402")
    with Store.open(tmp_path / "data") as store:
        sync = syncer(store, big)
        with pytest.raises(SyncError) as info:
            sync.run()
        assert str(info.value).startswith("X says the account is out of credits: Your enrolled account [")
        assert "console.x.com" in str(info.value)
        assert sync.journal_path.exists() and store.graph_empty()
        assert statuses(big, path) == [200, 200, 402]  # stopped at once: no retry
        refused_cursor = big.calls("GET", path)[2].query["pagination_token"]

        report = syncer(store, big).run()
    again = big.calls("GET", path)[3:]
    assert [r.query.get("pagination_token") for r in again] == [refused_cursor]  # not page 1 again
    assert [r.status for r in again] == [200]
    assert report.resumed and report.pages_from_journal == 2
    assert report.followers == len(big.world.follower_ids())


# -- 2. usage caps and rate limits ------------------------------------------------------------------------------------


def test_a_usage_cap_stops_the_sync_without_waiting(big: FakeX, tmp_path: Path) -> None:
    big.fail(FOLLOWING, "429-cap", period="Daily", scope="Account")
    with Store.open(tmp_path / "data") as store:
        progress: list[SyncProgress] = []
        with pytest.raises(SyncError) as info:
            syncer(store, big, progress).run()
    tomorrow = period_end("Daily", now())
    assert str(info.value) == (
        "X says a usage cap is reached: Usage cap exceeded: Daily account cap "
        f"(daily account cap; nothing is retried before {tomorrow:%Y-%m-%d} 00:00 UTC)."
    )
    assert statuses(big, f"/2/users/{big.world.me_id}/following") == [429]  # asked once, never again
    assert not [p for p in progress if p.phase == "waiting"]


def test_a_429_without_reset_waits_a_short_shown_time(
    big: FakeX, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big.fail(FOLLOWERS, "429-no-reset")
    big.fail(FOLLOWING, "429", reset_in=30)  # a plain 429: waited out until X's reset, as before
    with Store.open(tmp_path / "data") as store:
        progress: list[SyncProgress] = []
        sync = syncer(store, big, progress)
        sleeps: list[timedelta] = []
        monkeypatch.setattr(sync, "_sleep", sleeps.append)
        report = sync.run()
    assert report.followers == len(big.world.follower_ids())
    assert len(sleeps) == 2
    assert NO_RESET_WAIT - timedelta(seconds=5) < sleeps[0] <= NO_RESET_WAIT
    assert timedelta(seconds=25) < sleeps[1] <= timedelta(seconds=31)
    waits = [p.message for p in progress if p.phase == "waiting"]
    assert waits[0].startswith("X rate limit for followers: waiting until ")
    assert waits[0].endswith(" (X sent no reset time)")
    assert not waits[1].endswith(" (X sent no reset time)")


def test_a_stale_cursor_reads_the_phase_again(big: FakeX, tmp_path: Path) -> None:
    big.fail(FOLLOWERS, "slow", seconds=0)
    big.fail(FOLLOWERS, "400-cursor", token="stale")
    with Store.open(tmp_path / "data") as store:
        progress: list[SyncProgress] = []
        report = syncer(store, big, progress).run()
    assert statuses(big, f"/2/users/{big.world.me_id}/followers") == [200, 400, 200, 200, 200]
    assert SyncProgress("followers", 0, 2300, "Reading followers again from the start") in progress
    assert report.followers == len(big.world.follower_ids())


# -- 3. a refused read never deletes data -----------------------------------------------------------------------------


def synced(fx: FakeX, data: Path) -> None:
    with Store.open(data) as store:
        syncer(store, fx).run()


def test_refused_members_keep_the_cached_ones_and_mark_the_list(fakex: FakeX, tmp_path: Path) -> None:
    data = tmp_path / "data"
    synced(fakex, data)
    with Store.open(data) as store:
        before = {info.id: info.member_ids for info in store.lists()}
    assert any(before.values())
    first = next(iter(before))  # X lists them in this order: the first members call is for it
    fakex.fail(MEMBERS, "403-tier")
    fakex.fail(MEMBERS, "404", value="0")
    with Store.open(data) as store:
        report = syncer(store, fakex).run()
        after = {info.id: info for info in store.lists()}
    refused = [info for info in after.values() if info.refused]
    assert len(refused) == 2
    assert {info.id: info.member_ids for info in refused} == {info.id: before[info.id] for info in refused}
    assert after[first].refused == TIER_DETAIL
    assert f"X refused members of {after[first].name}: {TIER_DETAIL} (the cached data is kept)" in report.summary()
    assert not [info for info in after.values() if info.id not in {r.id for r in refused} and info.refused]

    with Store.open(data) as store:  # X serves them again: the mark goes
        syncer(store, fakex).run()
        assert not [info for info in store.lists() if info.refused]


def test_refused_lists_and_mentions_keep_the_cache(fakex: FakeX, tmp_path: Path) -> None:
    data = tmp_path / "data"
    synced(fakex, data)
    with Store.open(data) as store:
        lists_before = store.lists()
        mentions_before = store.mentions()
    assert lists_before and mentions_before
    fakex.fail(OWNED, "403-tier")
    fakex.fail(MENTIONS, "403-tier")
    members_read = len(fakex.calls("GET", "/2/lists/"))
    with Store.open(data) as store:
        report = syncer(store, fakex).run()
        assert [(i.id, i.member_ids) for i in store.lists()] == [(i.id, i.member_ids) for i in lists_before]
        assert all(info.refused == TIER_DETAIL for info in store.lists())
        assert store.mentions() == mentions_before
    summary = report.summary()
    assert f"X refused your lists: {TIER_DETAIL}" in summary
    assert f"X refused your mentions: {TIER_DETAIL}" in summary
    assert len(fakex.calls("GET", "/2/lists/")) == members_read  # members of lists X would not list: not asked


def test_posts_refused_for_the_app_stop_asking(fakex: FakeX, tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        fakex.fail("GET /2/users/:id/tweets", "403-tier")
        report = Syncer(store, x_backend(fakex), now, options=SyncOptions(posts_accounts=10)).run()
    others = [
        r for r in fakex.calls("GET", "/2/users/") if r.path.endswith("/tweets") and fakex.world.me_id not in r.path
    ]
    assert len(others) == 1  # one refusal for the app: not nine more
    assert f"X refused recent posts: {TIER_DETAIL}" in report.summary()


# -- 4. hydrate: not authorized is not deleted ------------------------------------------------------------------------


def id_only(store: Store, world: World, ids: list[str]) -> None:
    store.replace_graph(
        me=Me(world.me_id, world.me_username),
        accounts=[Account(id=i, username="", hydrated=False) for i in ids],
        relationships=[Relationship(i, follower=True) for i in ids],
        mentions=[],
        my_posts=[],
        lists=[],
        sync=SyncInfo(last_sync=now(), source="archive"),
    )


def test_hydrate_tells_hidden_accounts_from_deleted_and_asks_again_later(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    ids = list(world.followers)  # the suspended and deleted too
    hidden = set(world.follower_ids()[:5])
    world.blocking_me |= hidden
    with Store.open(tmp_path / "data") as store:
        id_only(store, world, ids)
        hydrator = Hydrator(store, x_backend(fakex), now)
        report = hydrator.run(hydrator.plan())
        assert (report.hidden, report.deleted, report.suspended) == (5, len(world.deleted), len(world.suspended))
        assert report.looked_up == len(ids) - 5 - len(world.deleted) - len(world.suspended)
        assert set(unhydrated_ids(store)) == hidden  # still known by ID only, still active: asked again next time
        world.blocking_me.clear()
        again = Hydrator(store, x_backend(fakex), now)
        plan = again.plan()
        assert set(plan.ids) == hidden
        assert again.run(plan).looked_up == 5
        assert unhydrated_ids(store) == []


def test_hydrate_stops_on_credits_and_a_cap_and_resumes(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    ids = world.follower_ids()[:100] + world.following_ids()[:50]
    fakex.fail(LOOKUP, "slow", seconds=0)
    fakex.fail(LOOKUP, "402")
    with Store.open(tmp_path / "data") as store:
        id_only(store, world, ids)
        hydrator = Hydrator(store, x_backend(fakex), now)
        with pytest.raises(HydrateError, match=r"out of credits: Your enrolled account .*console\.x\.com"):
            hydrator.run(hydrator.plan())
        hydrator.close()
        fakex.fail(LOOKUP, "429-cap")
        capped = Hydrator(store, x_backend(fakex), now)
        with pytest.raises(HydrateError, match="Usage cap exceeded: Monthly product cap"):
            capped.run(capped.plan())
        capped.close()
        assert [r.status for r in fakex.calls("GET", "/2/users") if "ids" in r.query] == [200, 402, 429]  # no loop
        resumed = Hydrator(store, x_backend(fakex), now)
        plan = resumed.plan()
        assert (plan.done, len(plan.ids)) == (100, len(set(ids)) - 100)
        resumed.run(plan)
    assert [r.status for r in fakex.calls("GET", "/2/users") if "ids" in r.query] == [200, 402, 429, 200]


# -- 2. and 1. for the outbox -----------------------------------------------------------------------------------------


def test_a_usage_cap_stops_the_outbox_until_its_period_ends_or_the_user_retries(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    a, b = [i for i in world.follower_ids() if i not in world.following][:2]
    fakex.fail(FOLLOW, "429-cap")
    with Store.open(tmp_path / "data") as store:
        actions = make_writes(store, x_backend(fakex), now)
        actions.decisions.decide_many([a, b], DecisionKind.FOLLOW)
        report = actions.outbox.process_outbox()
        assert report.message is not None and "Usage cap exceeded: Monthly product cap" in report.message
        (stopped,) = report.failed
        assert stopped.error.startswith(STOPPED) and stopped.not_before == period_end("Monthly", now())
        assert actions.outbox.rate_limited_until() == period_end("Monthly", now())
        assert [e.state for e in store.outbox()] == [OutboxState.FAILED, OutboxState.PENDING]
        actions.outbox.process_outbox()
        assert len(fakex.calls("POST", f"/2/users/{world.me_id}/following")) == 1  # nothing more sent

        restarted = make_writes(store, x_backend(fakex), now)  # the hold survives a restart
        assert restarted.outbox.rate_limited_until() == period_end("Monthly", now())
        restarted.outbox.process_outbox()
        assert len(fakex.calls("POST", f"/2/users/{world.me_id}/following")) == 1

        restarted.outbox.retry(stopped.id)  # the user asks
        sent = restarted.outbox.process_outbox()
        assert {e.account_id for e in sent.sent} == {a, b}
    assert len(fakex.calls("POST", f"/2/users/{world.me_id}/following")) == 3


def test_out_of_credits_stops_the_outbox(fakex: FakeX, tmp_path: Path) -> None:
    fakex.fail(CREATE_LIST, "402")
    with Store.open(tmp_path / "data") as store:
        actions = make_writes(store, x_backend(fakex), now)
        actions.lists.create_list("first")
        actions.lists.create_list("second")
        report = actions.outbox.process_outbox()
        assert report.message is not None and report.message.startswith("X says the account is out of credits")
        assert len(fakex.calls("POST", "/2/lists")) == 1
        until = actions.outbox.rate_limited_until()
        assert until is not None and timedelta(minutes=50) < until - now() <= timedelta(hours=1)


# -- 6. pending follows -----------------------------------------------------------------------------------------------


def test_a_follow_request_is_requested_then_confirmed_or_dropped_by_the_sync(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    data = tmp_path / "data"
    synced(fakex, data)
    accepts, ignores = [i for i in world.follower_ids() if i not in world.following][:2]
    for account_id in (accepts, ignores):
        world.users[account_id]["protected"] = True
    with Store.open(data) as store:
        actions = make_writes(store, x_backend(fakex), now)
        actions.decisions.decide_many([accepts, ignores], DecisionKind.FOLLOW)
        report = actions.outbox.process_outbox()
        assert [e.state for e in report.sent] == [OutboxState.REQUESTED, OutboxState.REQUESTED]
        assert x_backend(fakex).follow_state(ignores) is FollowState.REQUESTED
        entry = report.sent[0]
        text = fmt.decision_text(store.decision(accepts), [entry], now())
        assert text is not None and "X: follow requested" in text.plain
    with world.lock:  # the owner of one accepts
        world.pending.discard(accepts)
        world.follow(accepts)
    with Store.open(data) as store:
        syncer(store, fakex).run()
        states = {e.account_id: e for e in store.outbox()}
    assert states[accepts].state is OutboxState.DONE
    assert (states[ignores].state, states[ignores].error) == (OutboxState.CANCELLED, REQUEST_DROPPED)


def test_undoing_a_follow_request_withdraws_it(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    target = next(i for i in world.follower_ids() if i not in world.following)
    world.users[target]["protected"] = True
    with Store.open(tmp_path / "data") as store:
        actions = make_writes(store, x_backend(fakex), now)
        actions.decisions.decide(target, DecisionKind.FOLLOW)
        assert [e.state for e in actions.outbox.process_outbox().sent] == [OutboxState.REQUESTED]
        assert target in world.pending
        undone = actions.decisions.undo()
        assert undone is not None and undone.queued is not None
        assert [e.op for e in actions.outbox.process_outbox().sent] == [Op.UNFOLLOW]
    assert target not in world.pending


# -- 9. a kill while sending never makes a duplicate ------------------------------------------------------------------

SENDER = """
import sys
from datetime import UTC, datetime

from followtui.backends.x.backend import XBackend
from followtui.services.session import write_services
from followtui.store import Store


class Tokens:
    def bearer(self) -> str:
        return sys.argv[3]

    refresh = bearer


data, base, _token, me = sys.argv[1:5]
with Store.open(data) as store:
    backend = XBackend.oauth2(Tokens(), user_id=me, base=base)
    write_services(store, backend, lambda: datetime.now(UTC))[2].process_outbox()
"""


def killed_while_sending(fx: FakeX, data: Path, route: str) -> None:
    """Run the outbox in a child and SIGKILL it while X holds the answer to its first ``route`` call (made on X)."""
    fx.world.add_user_token(TOKEN, fx.world.me_id)
    gate = Gate(fx, route, 1)  # the call is made on X; its answer is held until the child is dead
    child = subprocess.Popen(
        [sys.executable, "-c", SENDER, str(data), fx.base_url, TOKEN, fx.world.me_id],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert gate.reached.wait(60), child.stderr.read() if child.poll() is not None and child.stderr else "no call"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(60) == -signal.SIGKILL
    finally:
        gate.release()
        if child.poll() is None:
            child.kill()
            child.wait(60)
        if child.stderr:
            child.stderr.close()


def test_a_follow_whose_answer_was_lost_is_not_sent_again(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    data = tmp_path / "data"
    target = next(i for i in world.follower_ids() if i not in world.following)
    with Store.open(data) as store:
        make_writes(store, x_backend(fakex), now).decisions.decide(target, DecisionKind.FOLLOW)
    killed_while_sending(fakex, data, FOLLOW)
    assert target in world.following  # X did it; the child never heard

    with Store.open(data) as store:
        (entry,) = store.outbox()
        assert entry.state is OutboxState.PENDING and entry.error  # the try was written before the call
        report = make_writes(store, x_backend(fakex), now).outbox.process_outbox()
        assert [e.state for e in report.sent] == [OutboxState.DONE]
    assert len(fakex.calls("POST", f"/2/users/{world.me_id}/following")) == 1  # no second follow
    checks = fakex.calls("GET", f"/2/users/{target}")
    assert [r.query.get("user.fields") for r in checks] == ["connection_status"]


def test_a_list_whose_creation_answer_was_lost_is_not_created_twice(fakex: FakeX, tmp_path: Path) -> None:
    world = fakex.world
    data = tmp_path / "data"
    with Store.open(data) as store:
        local = make_writes(store, x_backend(fakex), now).lists.create_list("Kill test")
    lists_before = set(world.lists)
    killed_while_sending(fakex, data, CREATE_LIST)
    (created,) = set(world.lists) - lists_before

    with Store.open(data) as store:
        report = make_writes(store, x_backend(fakex), now).outbox.process_outbox()
        assert [e.state for e in report.sent] == [OutboxState.DONE]
        assert store.list_info(local.id) is None
        mine = store.list_info(created)
        assert mine is not None and mine.name == "Kill test"
    assert len(fakex.calls("POST", "/2/lists")) == 1  # found among the owned lists by name, not created again
    assert set(world.lists) - lists_before == {created}
