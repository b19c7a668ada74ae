"""The X backend through the real ``tweepy.Client`` against the spec-checked fake X API (``tests/fakex``)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followtui.backends.base import AuthError, Forbidden, NotFound, RateLimited, Transient
from followtui.backends.meter import RequestMeter
from followtui.backends.x.backend import XBackend
from followtui.backends.x.connect import x_backend
from followtui.backends.x.convert import USER_FIELDS, account_doc
from followtui.backends.x.credentials import OAuth1Credentials, OAuth2Credentials
from followtui.backends.x.http import API_BASE_ENV
from followtui.domain.models import Account, AccountState, Post, parse_time
from followtui.domain.signals import Conversation, evaluate
from followtui.store.rows import account_doc as row_doc
from followtui.store.rows import account_row
from tests.fakex import FakeX, World

TOKEN = "test-user-token-7f3a"
FOLLOWERS = "GET /2/users/:id/followers"


class Tokens:
    """A token source that hands out ``tokens`` in turn on refresh."""

    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.refreshed = 0

    def bearer(self) -> str:
        return self.tokens[0]

    def refresh(self) -> str:
        self.refreshed += 1
        if len(self.tokens) > 1:
            self.tokens.pop(0)
            return self.tokens[0]
        raise AuthError("X refused the saved credentials: run `followtui auth`.")


@pytest.fixture
def backend(fakex: FakeX) -> XBackend:
    fakex.world.add_user_token(TOKEN, fakex.world.me_id)
    return XBackend.oauth2(Tokens(TOKEN), user_id=fakex.world.me_id, base=fakex.base_url, timeout=(2, 2))


def read_all(backend: XBackend) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        page = backend.followers(cursor)
        ids += [a.id for a in page.accounts]
        cursor = page.next_cursor
        if cursor is None:
            return ids


def test_5000_followers_in_five_pages_of_1000() -> None:
    world = World.generate(followers=5000, following=50, mutual=10, posters=0, seed=3)
    world.add_user_token(TOKEN, world.me_id)
    with FakeX(world) as fx:
        backend = XBackend.oauth2(Tokens(TOKEN), user_id=world.me_id, base=fx.base_url)
        ids = read_all(backend)
        calls = fx.calls("GET", f"/2/users/{world.me_id}/followers")
        fx.check()
    assert ids == world.follower_ids()
    assert len(ids) == len(set(ids)) == 5000
    assert len(calls) == 5
    assert all(c.query["max_results"] == "1000" and c.auth == "oauth2-user" for c in calls)
    assert set(calls[0].query["user.fields"].split(",")) == set(USER_FIELDS)
    assert "pagination_token" not in calls[0].query
    tokens = [c.query["pagination_token"] for c in calls[1:]]
    assert len(set(tokens)) == 4
    assert backend.meter.usage()[0].resources == 5000


def test_accounts_are_converted(backend: XBackend, fakex: FakeX) -> None:
    page = backend.followers()
    world = fakex.world
    first = page.accounts[0]
    raw = world.users[first.id]
    assert first.username == raw["username"]
    assert first.followers_count == raw["public_metrics"]["followers_count"]
    assert first.created_at is not None and first.created_at.tzinfo is not None
    assert first.state is AccountState.ACTIVE
    eggs = [a for a in page.accounts if a.default_avatar]
    assert eggs, "the generated world has egg accounts"


def test_fields_x_did_not_send_are_not_known_all_the_way_to_the_store(
    backend: XBackend, fakex: FakeX, tmp_path: Path
) -> None:

    world = fakex.world
    target = world.follower_ids()[0]
    for key in ("public_metrics", "created_at", "profile_image_url", "most_recent_tweet_id"):
        world.users[target].pop(key, None)
    world.users[target]["description"] = ""
    account = next(a for a in backend.followers().accounts if a.id == target)
    assert (account.followers_count, account.tweet_count, account.listed_count) == (None, None, None)
    assert account.created_at is None and account.profile_image_url is None and account.most_recent_tweet_id is None
    doc = account.to_doc()
    assert doc["public_metrics"] is None
    assert Account.from_doc(row_doc(account_row(doc))) == account  # through the graph's rows, unchanged
    signals = {s.kind.value for s in evaluate(account, None, Conversation(), datetime.now(UTC))}
    assert signals.isdisjoint({"egg", "inactive", "newcomer", "high_volume"}), signals


def test_pages_carry_the_documents_of_their_accounts(backend: XBackend, fakex: FakeX) -> None:
    world = fakex.world
    members = backend.list_members(next(iter(world.lists)))
    pages = [backend.followers(), backend.following(), backend.lookup(world.follower_ids()[:5]), members]
    for page in pages:
        assert page.accounts
        assert page.docs == [a.to_doc() for a in page.accounts]
        assert page.account_docs() is page.docs


FULL_USER = {
    "id": "42",
    "username": "ada",
    "name": "Ada",
    "description": "Engines",
    "location": "London",
    "url": "https://t.co/x",
    "entities": {"url": {"urls": [{"url": "https://t.co/x", "expanded_url": "https://ada.example"}]}},
    "created_at": "2013-12-14T04:35:55.000Z",
    "profile_image_url": "https://pbs.twimg.com/a.jpg",
    "protected": True,
    "verified": True,
    "verified_type": "blue",
    "public_metrics": {"followers_count": 3, "following_count": 2, "tweet_count": 1, "listed_count": 7},
    "most_recent_tweet_id": "1895081444766646273",
}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (FULL_USER, {"url": "https://ada.example", "created_at": "2013-12-14T04:35:55.000Z", "verified_type": "blue"}),
        ({"id": 7}, {"id": "7", "username": "", "created_at": None, "most_recent_tweet_id": None}),
        ({"id": "1", "created_at": "2013-12-14T06:35:55+02:00"}, {"created_at": "2013-12-14T04:35:55.000Z"}),
        ({"id": "1", "created_at": "2013-12-14T04:35:55Z"}, {"created_at": "2013-12-14T04:35:55.000Z"}),
        ({"id": "1", "created_at": "2013-13-14T04:35:55.000Z"}, {"created_at": None}),
        ({"id": "1", "created_at": 1386995755}, {"created_at": None}),
        ({"id": "1", "verified_type": "gold"}, {"verified_type": "none"}),
        (
            {"id": "1", "public_metrics": {"followers_count": "12", "tweet_count": None, "listed_count": "x"}},
            {
                "public_metrics": {
                    "followers_count": 12,
                    "following_count": None,
                    "tweet_count": None,
                    "listed_count": None,
                }
            },
        ),
    ],
    ids=["full", "bare", "offset", "no-millis", "bad-date", "number-date", "odd-verified", "odd-metrics"],
)
def test_user_json_becomes_the_stored_document(user: dict[str, object], expected: dict[str, object]) -> None:
    doc = account_doc(user)
    assert {k: doc[k] for k in expected} == expected
    account = Account.from_doc(doc)
    assert account.to_doc() == doc  # the very document the account would make: journal and cache agree
    assert account.state is AccountState.ACTIVE and account.posts == () and account.hydrated


def test_a_document_round_trips_through_account_field_by_field() -> None:
    """Every field distinct, so a value landing in the wrong field shows (``from_doc`` fills them by position)."""
    doc = account_doc(FULL_USER) | {
        "protected": False,
        "state": "suspended",
        "posts": [Post("9", "42", "hi", parse_time("2020-01-02T03:04:05.000Z"), "8", ("7",)).to_doc()],
        "hydrated": False,
        "muted": True,
    }
    account = Account.from_doc(doc)
    assert account.to_doc() == doc
    assert (account.username, account.name, account.description, account.location) == (
        "ada",
        "Ada",
        "Engines",
        "London",
    )
    assert (account.protected, account.verified, account.verified_type) == (False, True, "blue")
    assert (account.followers_count, account.following_count, account.tweet_count, account.listed_count) == (3, 2, 1, 7)
    assert (account.state, account.hydrated, account.muted) == (AccountState.SUSPENDED, False, True)
    assert account == replace(account)  # the same as the dataclass's own constructor makes


def test_lookup_tells_suspended_from_deleted(backend: XBackend, fakex: FakeX) -> None:
    world = fakex.world
    active = world.follower_ids()[0]
    suspended, deleted = sorted(world.suspended)[0], sorted(world.deleted)[0]
    page = backend.lookup([active, suspended, deleted])
    assert [a.id for a in page.accounts] == [active]
    assert page.gone == {suspended: AccountState.SUSPENDED, deleted: AccountState.DELETED}


def test_lists_members_posts_and_mentions(backend: XBackend, fakex: FakeX) -> None:
    world = fakex.world
    lists = backend.owned_lists()
    assert {info.id for info in lists} == set(world.lists)
    some = lists[0]
    members = backend.list_members(some.id)
    assert [a.id for a in members.accounts] == [m for m in world.lists[some.id].members if world.visible(m)][:100]
    poster = next(uid for uid, timeline in world.timelines.items() if len(timeline) >= 5 and uid != world.me_id)
    posts = backend.recent_posts(poster, limit=3)
    assert len(posts) == 3 and all(p.author_id == poster for p in posts)
    assert fakex.calls("GET", f"/2/users/{poster}/tweets")[-1].query["max_results"] == "5"  # X's minimum
    mentions = backend.mentions(limit=20)
    assert mentions and all(world.me_id in p.mentioned_ids for p in mentions)


def test_writes_send_exactly_the_expected_requests(backend: XBackend, fakex: FakeX) -> None:
    world = fakex.world
    target = next(i for i in world.follower_ids() if i not in world.following_ids())
    backend.follow(target)
    backend.follow(target)  # already following: still a success
    backend.unfollow(target)
    created = backend.create_list("Birders", "People who watch birds", private=True)
    backend.add_list_member(created.id, target)
    backend.remove_list_member(created.id, target)
    writes = [(r.method, r.path, r.body) for r in fakex.requests if r.method != "GET"]
    me = world.me_id
    assert writes == [
        ("POST", f"/2/users/{me}/following", {"target_user_id": target}),
        ("POST", f"/2/users/{me}/following", {"target_user_id": target}),
        ("DELETE", f"/2/users/{me}/following/{target}", None),
        ("POST", "/2/lists", {"name": "Birders", "description": "People who watch birds", "private": True}),
        ("POST", f"/2/lists/{created.id}/members", {"user_id": target}),
        ("DELETE", f"/2/lists/{created.id}/members/{target}", None),
    ]
    assert world.lists[created.id].private is True
    # tweepy looks up the OAuth 2.0 user once per token before its first follow
    assert len(fakex.calls("GET", "/2/users/me")) == 1


def test_rate_limit_gives_the_reset_time(backend: XBackend, fakex: FakeX) -> None:
    fakex.fail(FOLLOWERS, "429", reset_in=120)
    with pytest.raises(RateLimited) as caught:
        backend.followers()
    expected = fakex.now() + 120
    assert abs(caught.value.reset_at.timestamp() - expected) < 3
    assert caught.value.endpoint == FOLLOWERS
    assert backend.followers().accounts  # no retry loop inside: the next call is the caller's choice


def test_expired_token_is_refreshed_once(fakex: FakeX) -> None:
    world = fakex.world
    world.add_user_token("old-token", world.me_id)
    tokens = Tokens("old-token", "new-token")
    backend = XBackend.oauth2(tokens, user_id=world.me_id, base=fakex.base_url)
    world.expire_tokens()
    world.add_user_token("new-token", world.me_id)
    assert backend.followers().accounts
    assert tokens.refreshed == 1
    assert [r.status for r in fakex.calls("GET", f"/2/users/{world.me_id}/followers")] == [401, 200]


def test_refused_refresh_asks_to_sign_in_without_leaking_the_token(fakex: FakeX) -> None:
    world = fakex.world
    backend = XBackend.oauth2(Tokens("unknown-token-xyz"), user_id=world.me_id, base=fakex.base_url)
    with pytest.raises(AuthError) as caught:
        backend.followers()
    assert "followtui auth" in str(caught.value)
    assert "unknown-token-xyz" not in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "error", "words"),
    [
        ("403-tier", Forbidden, "access"),
        ("500", Transient, "server error"),
        ("503", Transient, "server error"),
        ("drop", Transient, "cannot reach X"),
    ],
)
def test_faults_become_backend_errors(
    backend: XBackend, fakex: FakeX, kind: str, error: type[Exception], words: str
) -> None:
    fakex.fail(FOLLOWERS, kind)
    with pytest.raises(error) as caught:
        backend.followers()
    assert words in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_follow_refused_by_the_tier_shows_x_words(backend: XBackend, fakex: FakeX) -> None:
    fakex.fail("POST /2/users/:id/following", "403-follow")
    with pytest.raises(Forbidden) as caught:
        backend.follow(fakex.world.follower_ids()[0])
    assert caught.value.detail
    assert caught.value.detail == caught.value.detail.strip()


def test_a_slow_answer_times_out(fakex: FakeX) -> None:
    fakex.world.add_user_token(TOKEN, fakex.world.me_id)
    backend = XBackend.oauth2(Tokens(TOKEN), user_id=fakex.world.me_id, base=fakex.base_url, timeout=(1, 0.3))
    fakex.fail(FOLLOWERS, "slow", seconds=1.5)
    with pytest.raises(Transient, match="did not answer in time"):
        backend.followers()


def test_unknown_list_is_not_found(backend: XBackend) -> None:
    with pytest.raises(NotFound):
        backend.add_list_member("1999999999999999999", "12")


def test_meter_reads_the_rate_limit_headers(backend: XBackend, fakex: FakeX) -> None:
    backend.followers()
    usage = {u.endpoint: u for u in backend.meter.usage()}[FOLLOWERS]
    assert usage.requests == 1
    assert usage.limit == 300 and usage.remaining == 299
    assert usage.reset_at is not None and usage.reset_at > datetime.now(UTC)
    assert usage.cost == pytest.approx(0.010 * usage.resources)
    assert "followers 299/300 left" in backend.meter.summary()


def test_owned_reads_cost_less() -> None:
    meter = RequestMeter(owned_app=True)
    meter.count(FOLLOWERS, 1000, own=True)
    meter.count("GET /2/users", 100, own=True)  # a lookup is never an owned read
    assert meter.total_cost() == pytest.approx(1.0 + 1.0)


def test_oauth1_user_context(fakex: FakeX) -> None:
    world = fakex.world
    backend = XBackend.oauth1("ck", "cs", f"{world.me_id}-abc", "as", base=fakex.base_url)
    assert backend.me().id == world.me_id
    target = world.follower_ids()[0]
    backend.follow(target)
    assert {r.auth for r in fakex.requests} == {"oauth1"}
    assert fakex.calls("POST")[-1].path == f"/2/users/{world.me_id}/following"


def test_connect_uses_the_api_base_from_the_environment(
    fakex: FakeX, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    world = fakex.world
    world.add_user_token(TOKEN, world.me_id)
    monkeypatch.setenv(API_BASE_ENV, fakex.base_url + "/")
    creds = OAuth2Credentials(
        access_token=TOKEN,
        refresh_token=None,
        expires_at=None,
        scope=(),
        client_id="",
        client_secret=None,
        user_id="",
        username="",
        source="environment variable FOLLOWTUI_X_OAUTH2_TOKEN",
    )
    backend = x_backend(creds, path=tmp_path / "credentials.json", timeout=5, meter=RequestMeter())
    assert backend.followers().accounts  # the user ID came from one /2/users/me
    assert [r.path for r in fakex.requests][:1] == ["/2/users/me"]
    one = OAuth1Credentials("ck", "cs", f"{world.me_id}-x", "as", world.me_id, "me")
    assert x_backend(one, path=None, timeout=5, meter=RequestMeter()).me().id == world.me_id


def test_a_bad_api_base_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(API_BASE_ENV, "ftp://example")
    creds = OAuth1Credentials("ck", "cs", "1-x", "as", "1", "me")
    with pytest.raises(ValueError, match=API_BASE_ENV):
        x_backend(creds, path=None, timeout=5, meter=RequestMeter())


def test_no_secret_reaches_the_logs_even_at_debug(fakex: FakeX, caplog: pytest.LogCaptureFixture) -> None:
    world = fakex.world
    world.add_user_token("first-secret-token", world.me_id)
    tokens = Tokens("first-secret-token", "second-secret-token")
    with caplog.at_level(logging.DEBUG):
        backend = XBackend.oauth2(tokens, user_id=world.me_id, base=fakex.base_url)
        world.expire_tokens()
        world.add_user_token("second-secret-token", world.me_id)
        backend.followers()
        backend.follow(world.follower_ids()[0])
        logging.getLogger("tweepy.client").debug("Headers: {'Authorization': 'Bearer first-secret-token'}")
    assert tokens.refreshed == 1
    assert "secret-token" not in caplog.text
