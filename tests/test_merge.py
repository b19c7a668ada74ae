"""``merge``: what a sync fetched folded into the previous snapshot (pure; no store, no backend)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from followtui.domain.models import Account, AccountState, Me, Post, Relationship
from followtui.services.merge import KEEP_CONVERSATION_POSTS, Changes, Fetched, Merged, merge

T0 = datetime(2025, 1, 1, tzinfo=UTC)
T1 = datetime(2025, 2, 1, tzinfo=UTC)  # the previous sync
T2 = datetime(2025, 3, 1, tzinfo=UTC)  # this sync
ME = Me(id="1", username="me")
ACTIVE, SUSPENDED, DELETED = AccountState.ACTIVE, AccountState.SUSPENDED, AccountState.DELETED


def acct(account_id: str, state: AccountState = ACTIVE, posts: tuple[Post, ...] = ()) -> Account:
    return Account(id=account_id, username=f"u{account_id}", name=f"User {account_id}", state=state, posts=posts)


def post(post_id: int, author: str = "2", text: str = "") -> Post:
    return Post(id=str(post_id), author_id=author, text=text or f"post {post_id}", created_at=T0)


class Snapshot:
    """``PreviousAccounts`` over a list, counting the accounts it builds (the store builds them from rows)."""

    def __init__(self, accounts: Iterable[Account]) -> None:
        self._by_id = {a.id: a for a in accounts}
        self.built: list[str] = []

    def account_ids(self) -> list[str]:
        return list(self._by_id)

    def account(self, account_id: str) -> Account | None:
        self.built.append(account_id)
        return self._by_id.get(account_id)

    def account_ids_with_posts(self) -> set[str]:
        return {i for i, a in self._by_id.items() if a.posts}

    def inactive_account_ids(self) -> set[str]:
        return {i for i, a in self._by_id.items() if a.state is not ACTIVE}

    def muted_account_ids(self) -> set[str]:
        return {i for i, a in self._by_id.items() if a.muted}


def run(
    *,
    accounts: Iterable[Account] | Snapshot = (),
    relationships: Iterable[Relationship] = (),
    fetched: Fetched,
    mentions: Sequence[Post] = (),
    my_posts: Sequence[Post] = (),
    seen_at: datetime = T2,
    first_sync: bool = False,
) -> Merged:
    return merge(
        previous_accounts=accounts if isinstance(accounts, Snapshot) else Snapshot(accounts),
        previous_relationships=list(relationships),
        previous_mentions=mentions,
        previous_my_posts=my_posts,
        fetched=fetched,
        seen_at=seen_at,
        first_sync=first_sync,
    )


def fetched(
    followers: Sequence[str] = (),
    following: Sequence[str] = (),
    *,
    gone: dict[str, AccountState] | None = None,
    looked_up: Sequence[str] = (),
    posts: dict[str, tuple[Post, ...]] | None = None,
    mentions: Sequence[Post] = (),
    my_posts: Sequence[Post] = (),
) -> Fetched:
    """What a sync read: the two lists (their accounts served), lookups of active accounts, and gone ones."""
    served = dict.fromkeys([*followers, *following, *looked_up])
    return Fetched(
        me=ME,
        followers=list(followers),
        following=list(following),
        accounts={i: acct(i) for i in served},
        gone=dict(gone or {}),
        posts=dict(posts or {}),
        lists=[],
        mentions=list(mentions),
        my_posts=list(my_posts),
    )


def rels_by_id(merged: Merged) -> dict[str, Relationship]:
    return {r.account_id: r for r in merged.relationships}


def accounts_by_id(merged: Merged) -> dict[str, Account]:
    return {a.id: a for a in merged.accounts}


# -- first sync --------------------------------------------------------------------------------------------------


def test_first_sync() -> None:
    merged = run(fetched=fetched(["10", "11"], ["11", "12"]), first_sync=True)
    assert merged.changes == Changes(first_sync=True)
    assert rels_by_id(merged) == {
        "10": Relationship("10", follower=True, follower_first_seen=T2, follower_last_seen=T2),
        "11": Relationship(
            "11",
            follower=True,
            following=True,
            follower_first_seen=T2,
            follower_last_seen=T2,
            following_first_seen=T2,
            following_last_seen=T2,
        ),
        "12": Relationship("12", following=True, following_first_seen=T2, following_last_seen=T2),
    }
    assert set(accounts_by_id(merged)) == {"10", "11", "12"}


# -- one account, every transition -------------------------------------------------------------------------------


def follower_since(first: datetime, last: datetime = T1, *, following: bool = False) -> Relationship:
    return Relationship(
        "42",
        follower=True,
        following=following,
        follower_first_seen=first,
        follower_last_seen=last,
        following_first_seen=T0 if following else None,
        following_last_seen=T1 if following else None,
    )


def followed_since(first: datetime, last: datetime = T1) -> Relationship:
    return Relationship("42", following=True, following_first_seen=first, following_last_seen=last)


@dataclass(frozen=True)
class Case:
    """Account 42 before (relationship, state) and in this sync (which list, gone or looked up)."""

    before: Relationship | None
    now: Fetched
    after: Relationship | None
    change: str | None = None  # the Changes field that names 42, if any
    state: AccountState = ACTIVE  # 42's state afterwards
    state_before: AccountState = ACTIVE


CASES: dict[str, Case] = {
    "new follower": Case(
        before=None,
        now=fetched(["42"]),
        after=Relationship("42", follower=True, follower_first_seen=T2, follower_last_seen=T2),
        change="new_followers",
    ),
    "follower stays": Case(
        before=follower_since(T0),
        now=fetched(["42"]),
        after=follower_since(T0, T2),
    ),
    "follower left": Case(
        before=follower_since(T0),
        now=fetched(looked_up=["42"]),
        after=Relationship("42", follower=False, follower_first_seen=T0, follower_last_seen=T1),
        change="left",
    ),
    "left and came back": Case(
        before=Relationship("42", follower=False, follower_first_seen=T0, follower_last_seen=T0),
        now=fetched(["42"]),
        after=Relationship("42", follower=True, follower_first_seen=T2, follower_last_seen=T2),
        change="new_followers",
    ),
    "follower suspended": Case(
        before=follower_since(T0),
        now=fetched(gone={"42": SUSPENDED}),
        after=Relationship("42", follower=False, follower_first_seen=T0, follower_last_seen=T1),
        change="suspended",
        state=SUSPENDED,
    ),
    "follower deleted": Case(
        before=follower_since(T0),
        now=fetched(gone={"42": DELETED}),
        after=Relationship("42", follower=False, follower_first_seen=T0, follower_last_seen=T1),
        change="deleted",
        state=DELETED,
    ),
    "mutual suspended: stays followed": Case(
        before=follower_since(T0, following=True),
        now=fetched(gone={"42": SUSPENDED}),
        after=replace(follower_since(T0, following=True), follower=False),
        change="suspended",
        state=SUSPENDED,
    ),
    "followed account suspended: stays followed, times kept": Case(
        before=followed_since(T0),
        now=fetched(gone={"42": SUSPENDED}),
        after=followed_since(T0),
        change="suspended",
        state=SUSPENDED,
    ),
    "followed account deleted: stays followed": Case(
        before=followed_since(T0),
        now=fetched(gone={"42": DELETED}),
        after=followed_since(T0),
        change="deleted",
        state=DELETED,
    ),
    "followed account already suspended: not counted again": Case(
        before=followed_since(T0),
        now=fetched(gone={"42": SUSPENDED}),
        after=followed_since(T0),
        state=SUSPENDED,
        state_before=SUSPENDED,
    ),
    "follower already suspended: not counted again": Case(
        before=Relationship("42", follower=False, follower_first_seen=T0, follower_last_seen=T0),
        now=fetched(gone={"42": SUSPENDED}),
        after=Relationship("42", follower=False, follower_first_seen=T0, follower_last_seen=T0),
        state=SUSPENDED,
        state_before=SUSPENDED,
    ),
    "suspended then deleted: not counted again": Case(
        before=followed_since(T0),
        now=fetched(gone={"42": DELETED}),
        after=followed_since(T0),
        state=DELETED,
        state_before=SUSPENDED,
    ),
    "followed account reinstated": Case(
        before=followed_since(T0),
        now=fetched(following=["42"]),
        after=followed_since(T0, T2),
        state_before=SUSPENDED,
    ),
    "user followed": Case(
        before=None,
        now=fetched(following=["42"]),
        after=followed_since(T2, T2),
        change="followed",
    ),
    "user unfollowed": Case(
        before=followed_since(T0),
        now=fetched(looked_up=["42"]),
        after=Relationship("42", following=False, following_first_seen=T0, following_last_seen=T1),
        change="unfollowed",
    ),
    "user followed again": Case(
        before=Relationship("42", following=False, following_first_seen=T0, following_last_seen=T0),
        now=fetched(following=["42"]),
        after=followed_since(T2, T2),
        change="followed",
    ),
    "follower followed back": Case(
        before=follower_since(T0),
        now=fetched(["42"], ["42"]),
        after=replace(follower_since(T0, T2), following=True, following_first_seen=T2, following_last_seen=T2),
        change="followed",
    ),
    "never related, only seen in a list": Case(
        before=None,
        now=fetched(looked_up=["42"]),
        after=None,
    ),
    "unknown account gone": Case(
        before=None,
        now=fetched(gone={"42": DELETED}),
        after=None,
        state=DELETED,
    ),
}
CHANGE_FIELDS = ("new_followers", "left", "suspended", "deleted", "followed", "unfollowed")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_transition(case: Case) -> None:
    # a bystander who follows throughout, so the snapshot is never empty
    bystander = Relationship("7", follower=True, follower_first_seen=T0, follower_last_seen=T1)
    before_accounts = [acct("7")]
    before_rels = [bystander]
    if case.before is not None or case.state_before is not ACTIVE:
        before_accounts.append(acct("42", case.state_before))
    if case.before is not None:
        before_rels.append(case.before)
    now = replace(case.now, followers=["7", *case.now.followers], accounts={"7": acct("7"), **case.now.accounts})

    merged = run(accounts=before_accounts, relationships=before_rels, fetched=now)

    rels = rels_by_id(merged)
    assert rels.get("42") == case.after
    assert rels["7"] == replace(bystander, follower_last_seen=T2)
    account = accounts_by_id(merged).get("42")
    assert account is not None
    assert account.state is case.state
    named = {name for name in CHANGE_FIELDS if "42" in getattr(merged.changes, name)}
    assert named == ({case.change} if case.change else set())
    assert not merged.changes.first_sync
    assert "7" not in {i for name in CHANGE_FIELDS for i in getattr(merged.changes, name)}


def test_new_followers_in_api_order() -> None:
    before = [Relationship("5", follower=True, follower_first_seen=T0, follower_last_seen=T1)]
    merged = run(relationships=before, fetched=fetched(["30", "5", "9", "100", "2"]))
    assert merged.changes.new_followers == ("30", "9", "100", "2")
    assert all(rels_by_id(merged)[i].follower_first_seen == T2 for i in ("30", "9", "100", "2"))
    assert rels_by_id(merged)["5"].follower_first_seen == T0


def test_counts_of_a_busy_sync() -> None:
    """Several of each change at once; the buckets do not overlap."""
    ids = [str(i) for i in range(100, 111)]
    before = [Relationship(i, follower=True, follower_first_seen=T0, follower_last_seen=T1) for i in ids]
    merged = run(
        accounts=[acct(i) for i in ids],
        relationships=before,
        fetched=fetched(
            ["200", "100", "201", "101"],
            gone={"102": SUSPENDED, "103": SUSPENDED, "104": DELETED},
            looked_up=["105", "106", "107", "108", "109", "110"],
        ),
    )
    assert merged.changes == Changes(
        first_sync=False,
        new_followers=("200", "201"),
        left=("105", "106", "107", "108", "109", "110"),
        suspended=("102", "103"),
        deleted=("104",),
    )


# -- posts and conversations -------------------------------------------------------------------------------------


def test_posts_kept_unless_refetched() -> None:
    old = (post(50, "10"),)
    new = (post(60, "11"), post(55, "11"))
    previous = [acct("10", posts=old), acct("11", posts=old), acct("12", posts=old), acct("13", posts=old)]
    merged = run(
        accounts=previous,
        fetched=fetched(
            ["10", "11", "13"],
            posts={"11": new, "12": (post(70, "12"),), "13": ()},
        ),
    )
    accounts = accounts_by_id(merged)
    assert accounts["10"].posts == old  # served again, posts not read: kept
    assert accounts["11"].posts == new  # read again: replaced
    assert accounts["12"].posts == (post(70, "12"),)  # not served (e.g. not in a list any more), but read
    assert accounts["13"].posts == ()  # read, and had none
    assert accounts["10"].name == "User 10"


def test_profile_updated_from_fetch() -> None:
    previous = [replace(acct("10"), name="Old name", followers_count=3)]
    merged = run(accounts=previous, fetched=fetched(["10"]))
    assert accounts_by_id(merged)["10"].name == "User 10"
    assert accounts_by_id(merged)["10"].followers_count is None  # the fetch did not say: not known, not 0


def test_accounts_never_dropped() -> None:
    """An account not seen by this sync stays in the cache (decisions and history refer to it)."""
    merged = run(accounts=[acct("10"), acct("11")], fetched=fetched(["11"]))
    assert set(accounts_by_id(merged)) == {"10", "11"}


def test_mentions_merged_by_id_newest_first() -> None:
    previous = [post(30), post(9), post(100)]
    now = [post(100, text="edited"), post(200), post(10)]
    merged = run(fetched=fetched(mentions=now, my_posts=list(reversed(now))), mentions=previous, my_posts=previous)
    for got in (merged.mentions, merged.my_posts):
        assert [p.id for p in got] == ["200", "100", "30", "10", "9"]  # numeric order, not text
        assert got[1].text == "edited"  # the fetched copy wins


def test_conversation_posts_capped() -> None:
    previous = [post(i) for i in range(1, 601)]
    now = [post(i) for i in range(501, 1001)]
    merged = run(fetched=fetched(mentions=now, my_posts=now), mentions=previous, my_posts=previous)
    for got in (merged.mentions, merged.my_posts):
        assert len(got) == KEEP_CONVERSATION_POSTS
        assert [p.id for p in got] == [str(i) for i in range(1000, 1000 - KEEP_CONVERSATION_POSTS, -1)]


# -- idempotence: a resumed sync may merge the same fetch twice ---------------------------------------------------


def remerge(first: Merged, now: Fetched, first_sync: bool) -> Merged:
    return run(
        accounts=first.accounts,
        relationships=first.relationships,
        mentions=first.mentions,
        my_posts=first.my_posts,
        fetched=now,
        first_sync=first_sync,
    )


def random_world(seed: int) -> tuple[list[Account], list[Relationship], Fetched]:
    """A previous snapshot and a fetch touching every kind of transition, drawn at random."""
    rng = random.Random(seed)
    ids = [str(1000 + i) for i in range(60)]
    times = [T0 - timedelta(days=d) for d in range(5)] + [T1]
    accounts: list[Account] = []
    rels: list[Relationship] = []
    for i in ids:
        if rng.random() < 0.8:
            state = rng.choice([ACTIVE] * 6 + [SUSPENDED, DELETED])
            accounts.append(acct(i, state, posts=(post(int(i) * 10, i),) if rng.random() < 0.5 else ()))
        if rng.random() < 0.7:
            is_follower, is_following = rng.random() < 0.6, rng.random() < 0.5
            first_f, first_g = rng.choice(times), rng.choice(times)
            rels.append(
                Relationship(
                    i,
                    follower=is_follower,
                    following=is_following,
                    follower_first_seen=first_f if is_follower or rng.random() < 0.5 else None,
                    follower_last_seen=T1 if is_follower else first_f,
                    following_first_seen=first_g if is_following or rng.random() < 0.5 else None,
                    following_last_seen=T1 if is_following else first_g,
                )
            )
    pool = ids + [str(5000 + i) for i in range(10)]  # some never seen before
    gone = {i: rng.choice([SUSPENDED, DELETED]) for i in rng.sample(pool, 8)}
    live = [i for i in pool if i not in gone]
    followers = rng.sample(live, 30)
    following = rng.sample(live, 25)
    looked_up = rng.sample(live, 10)
    posts: dict[str, tuple[Post, ...]] = {i: (post(int(i) * 10 + 1, i),) for i in rng.sample(live, 6)}
    mentions = [post(rng.randint(1, 10**6)) for _ in range(20)]
    now = fetched(followers, following, gone=gone, looked_up=looked_up, posts=posts, mentions=mentions)
    return accounts, rels, now


@pytest.mark.parametrize("first_sync", [False, True], ids=["later sync", "first sync"])
@pytest.mark.parametrize("seed", range(25))
def test_merging_twice_changes_nothing(seed: int, first_sync: bool) -> None:
    accounts, rels, now = random_world(seed)
    if first_sync:
        accounts, rels = [], []
    once = run(accounts=accounts, relationships=rels, fetched=now, first_sync=first_sync)
    twice = remerge(once, now, first_sync)
    assert twice.relationships == once.relationships
    assert accounts_by_id(twice) == accounts_by_id(once)
    assert twice.mentions == once.mentions
    assert twice.my_posts == once.my_posts
    # the second merge finds nothing new: a resumed sync does not count the same changes twice
    assert twice.changes == Changes(first_sync=first_sync)


@pytest.mark.parametrize("seed", range(25))
def test_invariants(seed: int) -> None:
    accounts, rels, now = random_world(seed)
    merged = run(accounts=accounts, relationships=rels, fetched=now)
    old = {r.account_id: r for r in rels}
    got = rels_by_id(merged)
    assert set(now.followers) == {i for i, r in got.items() if r.follower}
    assert set(now.following) <= {i for i, r in got.items() if r.following}
    for i, r in got.items():
        assert (r.follower_last_seen == T2) == r.follower
        if r.following and i not in now.following:  # kept: followed, and hidden because gone
            assert i in now.gone and old[i].following
            assert (r.following_first_seen, r.following_last_seen) == (
                old[i].following_first_seen,
                old[i].following_last_seen,
            )
        for first, last in (
            (r.follower_first_seen, r.follower_last_seen),
            (r.following_first_seen, r.following_last_seen),
        ):
            if first and last:
                assert first <= last
    states = {a.id: a.state for a in merged.accounts}
    assert all(states[i] is s for i, s in now.gone.items())
    c = merged.changes
    buckets = [set(c.left), set(c.suspended), set(c.deleted)]
    assert sum(len(b) for b in buckets) == len(set().union(*buckets))  # disjoint
    assert set(c.new_followers) <= set(now.followers)
    assert all(i not in now.following for i in c.unfollowed)
    assert all(states.get(i, ACTIVE) is ACTIVE for i in (*c.left, *c.unfollowed))


def test_first_sync_starts_every_side_it_sees_now() -> None:
    now = fetched(["7", "10"], ["8", "10"])
    now.following_gone = {"9", "7"}  # named gone by the following pages: still followed
    rels = rels_by_id(run(fetched=now, first_sync=True))
    assert rels == {
        "7": Relationship("7", True, True, T2, T2, T2, T2),
        "8": Relationship("8", following=True, following_first_seen=T2, following_last_seen=T2),
        "9": Relationship("9", following=True, following_first_seen=T2, following_last_seen=T2),
        "10": Relationship("10", True, True, T2, T2, T2, T2),
    }


def test_a_sync_that_fetches_everyone_again_builds_only_the_previous_accounts_it_needs() -> None:
    """Kept (not fetched), carrying posts over, or gone: only those previous accounts are built."""
    old_posts = (post(7, author="3"),)
    previous = Snapshot([acct("2"), acct("3", posts=old_posts), acct("4"), acct("5"), acct("6", SUSPENDED)])
    fresh = fetched(["2", "3", "4"], looked_up=["2", "3", "4"], gone={"5": DELETED})
    rels = [Relationship(i, follower=True, follower_first_seen=T1, follower_last_seen=T1) for i in "23456"]
    merged = run(accounts=previous, relationships=rels, fetched=fresh)
    assert sorted(set(previous.built)) == ["3", "5", "6"]  # 6 kept as it was, 3 for its posts, 5 now gone
    by_id = {a.id: a for a in merged.accounts}
    assert [a.id for a in merged.accounts] == ["2", "3", "4", "5", "6"]  # the old order
    assert by_id["3"].posts == old_posts and by_id["5"].state is DELETED and by_id["6"].state is SUSPENDED
    assert merged.changes.deleted == ("5",) and merged.changes.suspended == ()  # 6 was gone already


def test_a_sync_keeps_mutes_it_cannot_see_and_an_archive_sets_them() -> None:
    previous = [replace(acct("2"), muted=True), replace(acct("3"), muted=True)]
    synced = run(accounts=previous, fetched=fetched(["2", "3"]))  # X's API says nothing about mutes
    assert all(a.muted for a in synced.accounts)
    archive = fetched(["2", "3"])
    archive.mutes_known = True
    archive.accounts["3"] = replace(archive.accounts["3"], muted=True)  # the archive mutes 3, not 2
    imported = {a.id: a.muted for a in run(accounts=previous, fetched=archive).accounts}
    assert imported == {"2": False, "3": True}


def test_bluesky_conversation_posts_kept_newest_by_time() -> None:
    """An AT URI says nothing of a post's age: the newest by time are kept, then by URI for the same time."""

    def at(i: int) -> Post:
        return Post(
            id=f"at://did:plc:them/app.bsky.feed.post/{9999 - i:04d}",
            author_id="did:plc:them",
            text="",
            created_at=T0 + timedelta(minutes=i),
        )

    previous = [at(i) for i in range(1, 601)]
    now = [at(i) for i in range(501, 1001)]
    merged = run(fetched=fetched(mentions=now, my_posts=now), mentions=previous, my_posts=previous)
    for got in (merged.mentions, merged.my_posts):
        assert [p.id for p in got] == [at(i).id for i in range(1000, 1000 - KEEP_CONVERSATION_POSTS, -1)]
