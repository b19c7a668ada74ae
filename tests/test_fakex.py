"""FakeX with the real tweepy.Client: paging, lookups, writes, faults, rate limits, OAuth 2.0 — and proof that the
spec validator catches bad requests, wrong auth and broken responses."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import tweepy

from tests.factories import present
from tests.fakex import (
    DEFAULT_CLIENT_ID,
    DEFAULT_REDIRECT_URI,
    FOLLOWTUI_SCOPES,
    FakeX,
    World,
    make_user,
    point_client_at,
)
from tests.fakex.server import decode_cursor, encode_cursor
from tests.fakex.spec import load_spec

TOKEN_URL = "https://api.twitter.com/2/oauth2/token"
USER_TOKEN = "user-token-for-tests"


def app_client(fx: FakeX, **kw: Any) -> tweepy.Client:
    client = tweepy.Client(bearer_token=fx.world.app_token, **kw)
    point_client_at(client, fx.base_url)
    return client


def user_client(fx: FakeX, *, timeout: float | None = None) -> tweepy.Client:
    """OAuth 2.0 user context (pass ``user_auth=False`` to writes and ``get_me``)."""
    fx.world.add_user_token(USER_TOKEN)
    client = tweepy.Client(USER_TOKEN)
    point_client_at(client, fx.base_url, timeout=timeout)
    return client


def oauth1_client(fx: FakeX) -> tweepy.Client:
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token=f"{fx.world.me_id}-tok", access_token_secret="ts"
    )
    point_client_at(client, fx.base_url)
    return client


def take_violations(fx: FakeX) -> list[str]:
    """The violations so far, cleared (for tests that provoke them on purpose)."""
    found, fx.violations[:] = list(fx.violations), []
    return found


@pytest.fixture(scope="module")
def big_world() -> World:
    return World.generate(followers=5000, following=300, mutual=100, lists=2, posters=50, seed=3)


@pytest.fixture
def big(big_world: World) -> Iterator[FakeX]:
    with FakeX(big_world) as fx:
        yield fx
    fx.check()


# -- the world ---------------------------------------------------------------------------------------------------


def test_generate_is_deterministic_quick_and_varied() -> None:
    started = time.perf_counter()
    world = World.generate(followers=5000, following=1000, mutual=400, seed=11)
    assert time.perf_counter() - started < 2.0  # ~0.2 s here
    again = World.generate(followers=5000, following=1000, mutual=400, seed=11)
    assert world.follower_ids() == again.follower_ids() and list(world.users) == list(again.users)
    assert list(world.tweets) == list(again.tweets) and list(world.lists) == list(again.lists)
    assert len(world.follower_ids()) == 5000 and len(world.following_ids()) == 1000
    assert len(set(world.follower_ids()) & set(world.following_ids())) == 400
    users = list(world.users.values())
    assert all(u["id"].isdigit() and u["created_at"].endswith(".000Z") for u in users)
    assert sum(len(u["id"]) >= 18 for u in users) > len(users) / 2  # snowflake-sized
    assert any(not u["name"].isascii() for u in users)
    assert any("\x1b[" in u["description"] for u in users) and any("[bold]" in u["description"] for u in users)
    assert any(u["profile_image_url"].endswith("/default_profile_normal.png") for u in users)
    assert any(u["protected"] for u in users) and any(u["verified"] for u in users)
    assert any(t["text"].startswith("I'm at ") and "https://4sq.com/" in t["text"] for t in world.tweets.values())
    assert world.mentions and world.suspended and world.deleted and len(world.lists) == 3


def test_cursor_codec_round_trip_and_shapes() -> None:
    token = encode_cursor("followers:1", 7, 1234)
    assert len(token) == 16 and decode_cursor(token, "followers:1") == 1234
    assert decode_cursor(token, "following:1") is None and decode_cursor("not-a-token", "followers:1") is None
    assert len(encode_cursor("tweets:1", 0, 2**62, 8)) <= 36


# -- reads -------------------------------------------------------------------------------------------------------


def test_5000_followers_in_five_pages_of_1000(big: FakeX) -> None:
    client = app_client(big)
    seen: list[int] = []
    for page in tweepy.Paginator(client.get_users_followers, big.world.me_id, max_results=1000):
        seen += [u.id for u in page.data]
    calls = big.calls("GET", f"/2/users/{big.world.me_id}/followers")
    assert len(calls) == 5 and len(seen) == 5000 == len(set(seen))
    assert [str(i) for i in seen] == big.world.follower_ids()  # newest first, suspended/deleted left out
    tokens = [c.query.get("pagination_token") for c in calls]
    assert tokens[0] is None and all(t and len(t) >= 16 for t in tokens[1:])
    assert all(c.auth == "app" and c.response["meta"]["result_count"] == 1000 for c in calls)
    assert "next_token" not in calls[-1].response["meta"]


def test_user_fields_and_expansions_are_honoured(fakex: FakeX) -> None:
    client = app_client(fakex)
    me = fakex.world.me_id
    bare = client.get_users_followers(me, max_results=50)
    assert all(set(u.data) == {"id", "name", "username"} for u in bare.data)
    rich = client.get_users_followers(
        me,
        max_results=1000,
        user_fields=["created_at", "public_metrics", "pinned_tweet_id"],
        expansions=["pinned_tweet_id"],
        tweet_fields=["created_at"],
    )
    allowed = {"id", "name", "username", "created_at", "public_metrics", "pinned_tweet_id"}
    assert all({"created_at", "public_metrics"} <= set(u.data) <= allowed for u in rich.data)
    pinned = {u.data["pinned_tweet_id"] for u in rich.data if "pinned_tweet_id" in u.data}
    assert pinned and {t.id for t in rich.includes["tweets"]} == {int(p) for p in pinned}
    assert all(t.created_at is not None for t in rich.includes["tweets"])


def test_connection_status_needs_user_context(fakex: FakeX) -> None:
    client = user_client(fakex)
    w = fakex.world
    mutual = next(i for i in w.following_ids() if i in w.followers)
    user = client.get_user(id=mutual, user_fields=["connection_status"]).data
    assert set(user.data["connection_status"]) == {"following", "followed_by"}


def test_cursors_survive_a_new_follower(fakex: FakeX) -> None:
    client = app_client(fakex)
    me = fakex.world.me_id
    first = client.get_users_followers(me, max_results=10)
    newcomer = fakex.world.add_follower(make_user("42", "newcomer", "New Comer"))
    second = client.get_users_followers(me, max_results=10, pagination_token=first.meta["next_token"])
    assert [u.id for u in first.data + second.data] == [int(i) for i in fakex.world.follower_ids()[1:21]]
    assert client.get_users_followers(me, max_results=1).data[0].id == int(newcomer)


def test_world_changes_show_in_the_next_sync(fakex: FakeX) -> None:
    client = app_client(fakex)
    w = fakex.world
    gone, left, dropped = w.follower_ids()[:3]
    w.suspend(gone)
    w.remove_follower(left)
    w.unfollow(w.following_ids()[0])
    w.follow(dropped)
    followers = {str(u.id) for u in tweepy.Paginator(client.get_users_followers, w.me_id, max_results=1000).flatten()}
    following = [str(u.id) for u in client.get_users_following(w.me_id, max_results=1000).data]
    assert gone not in followers and left not in followers and dropped in followers
    assert following[0] == dropped and len(following) == 80


def test_lookup_reports_suspended_and_deleted_as_partial_errors(fakex: FakeX) -> None:
    client = app_client(fakex)
    w = fakex.world
    alive, suspended, deleted = w.follower_ids()[0], sorted(w.suspended)[0], sorted(w.deleted)[0]
    resp = client.get_users(ids=[alive, suspended, deleted], user_fields=["created_at"])
    assert [u.id for u in resp.data] == [int(alive)]
    by_id = {e["resource_id"]: e for e in resp.errors}
    assert by_id[suspended]["detail"] == f"User has been suspended: [{suspended}]."
    assert by_id[suspended]["title"] == "Forbidden" and by_id[suspended]["parameter"] == "ids"
    assert by_id[deleted]["detail"] == f"Could not find user with ids: [{deleted}]."
    assert by_id[deleted]["title"] == "Not Found Error"
    only_gone = client.get_users(ids=[suspended, deleted])
    assert only_gone.data is None and len(only_gone.errors) == 2
    single = client.get_user(id=deleted)
    assert single.data is None and single.errors[0]["detail"] == f"Could not find user with id: [{deleted}]."


def test_posts_and_mentions(fakex: FakeX) -> None:
    client = app_client(fakex)
    w = fakex.world
    public = [uid for uid in w.timelines if uid != w.me_id and not w.users[uid]["protected"]]
    poster = max(public, key=lambda uid: len(w.timelines[uid]))
    pages = tweepy.Paginator(client.get_users_tweets, poster, max_results=5, tweet_fields=["created_at"])
    posts = list(pages.flatten())
    assert [str(p.id) for p in posts] == w.timelines[poster] and all(p.created_at for p in posts)
    threaded = next(uid for uid in public if any("in_reply_to_user_id" in w.tweets[t] for t in w.timelines[uid]))
    originals = client.get_users_tweets(threaded, exclude=["replies"], tweet_fields=["in_reply_to_user_id"]).data
    assert originals and all(p.in_reply_to_user_id is None for p in originals)
    assert len(originals) < len(w.timelines[threaded])
    mentions = client.get_users_mentions(w.me_id, max_results=10, expansions=["author_id"], tweet_fields=["author_id"])
    assert len(mentions.data) == 10 and mentions.meta["newest_id"] == w.mentions[0]
    assert {u.id for u in mentions.includes["users"]} == {t.author_id for t in mentions.data}


def test_oauth1_user_context(fakex: FakeX) -> None:
    client = oauth1_client(fakex)
    assert client.get_me().data.username == "me"
    assert client.create_list("oauth1 list").data["name"] == "oauth1 list"
    assert [c.auth for c in fakex.requests] == ["oauth1", "oauth1"]


# -- writes ------------------------------------------------------------------------------------------------------


def test_follow_and_unfollow(fakex: FakeX) -> None:
    client = user_client(fakex)
    w = fakex.world
    target = next(i for i in w.follower_ids() if i not in w.following and not w.users[i]["protected"])
    locked = next(i for i in w.follower_ids() if i not in w.following and w.users[i]["protected"])
    assert client.follow_user(target, user_auth=False).data == {"following": True, "pending_follow": False}
    assert client.follow_user(target, user_auth=False).data == {"following": True, "pending_follow": False}
    assert client.follow_user(locked, user_auth=False).data == {"following": False, "pending_follow": True}
    assert target in w.following and locked in w.pending
    assert client.unfollow_user(target, user_auth=False).data == {"following": False}
    assert target not in w.following
    assert len(fakex.calls("GET", "/2/users/me")) == 1  # tweepy caches the authenticating user
    body = fakex.calls("POST", f"/2/users/{w.me_id}/following")[0].body
    assert body == {"target_user_id": target}


def test_follow_for_someone_else_is_forbidden(fakex: FakeX) -> None:
    client = user_client(fakex)
    other = fakex.world.follower_ids()[0]
    with pytest.raises(tweepy.Forbidden):
        client.request("POST", f"/2/users/{other}/following", json={"target_user_id": fakex.world.me_id})


def test_list_lifecycle(fakex: FakeX) -> None:
    client = user_client(fakex)
    w = fakex.world
    created = client.create_list("triage ✂", description="to look at", private=True, user_auth=False).data
    list_id = created["id"]
    assert client.update_list(list_id, name="triage", user_auth=False).data == {"updated": True}
    members = w.following_ids()[:3]
    for uid in members:
        assert client.add_list_member(list_id, uid, user_auth=False).data == {"is_member": True}
    got = client.get_list_members(list_id, max_results=2)
    assert got.data is not None and len(got.data) == 2 and "next_token" in got.meta
    owned = client.get_owned_lists(w.me_id, list_fields=["private", "member_count", "owner_id"]).data
    mine = next(x for x in owned if x.id == list_id)
    assert (mine.name, mine.private, mine.member_count, mine.owner_id) == ("triage", True, 3, w.me_id)
    assert client.remove_list_member(list_id, members[0], user_auth=False).data == {"is_member": False}
    assert client.delete_list(list_id, user_auth=False).data == {"deleted": True}
    with pytest.raises(tweepy.NotFound):
        client.delete_list(list_id, user_auth=False)


def test_private_lists_are_hidden_from_app_only(fakex: FakeX) -> None:
    owned = app_client(fakex).get_owned_lists(fakex.world.me_id, list_fields=["private"]).data or []
    assert owned and not any(x.private for x in owned)
    private = next(x for x in fakex.world.lists.values() if x.private)
    assert app_client(fakex).get_list_members(private.id).errors[0]["resource_type"] == "list"


# -- faults, limits, auth ----------------------------------------------------------------------------------------

FOLLOWERS = "GET /2/users/:id/followers"


@pytest.mark.parametrize(
    ("kind", "raised", "message"),
    [
        ("401", tweepy.Unauthorized, "Unauthorized"),
        ("403-tier", tweepy.Forbidden, "You currently have access to a subset of X API V2 endpoints"),
        ("500", tweepy.TwitterServerError, "Internal Server Error"),
        ("503", tweepy.TwitterServerError, "Service Unavailable"),
        ("drop", requests.exceptions.ConnectionError, ""),
    ],
)
def test_faults_raise_what_tweepy_raises(fakex: FakeX, kind: str, raised: type[Exception], message: str) -> None:
    client = app_client(fakex)
    fakex.fail(FOLLOWERS, kind, times=2)
    for _ in range(2):
        with pytest.raises(raised) as info:
            client.get_users_followers(fakex.world.me_id)
        assert message in str(info.value)
    assert client.get_users_followers(fakex.world.me_id).data  # consumed; the next call works


def test_fault_429_carries_the_reset(fakex: FakeX) -> None:
    fakex.fail(FOLLOWERS, "429", reset_in=60)
    with pytest.raises(tweepy.TooManyRequests) as info:
        app_client(fakex).get_users_followers(fakex.world.me_id)
    assert abs(info.value.reset_time - (time.time() + 60)) <= 2
    assert info.value.response.headers["x-rate-limit-remaining"] == "0"


def test_fault_403_follow(fakex: FakeX) -> None:
    fakex.fail("POST /2/users/:id/following", "403-follow")
    with pytest.raises(tweepy.Forbidden) as info:
        oauth1_client(fakex).follow_user(fakex.world.follower_ids()[0])
    assert "not available" in info.value.api_messages[0]


def test_fault_slow_trips_the_client_timeout(fakex: FakeX) -> None:
    client = user_client(fakex, timeout=0.2)
    fakex.fail("GET /2/users/me", "slow", seconds=0.6)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.get_me(user_auth=False)
    assert client.get_me(user_auth=False).data.username == "me"


def test_fault_partial_answers_some_ids_as_errors(fakex: FakeX) -> None:
    ids = fakex.world.follower_ids()[:4]
    fakex.fail("GET /2/users", "partial")
    fakex.fail("GET /2/users", "partial", ids=ids[:1], suspended=True)
    client = app_client(fakex)
    first = client.get_users(ids=ids)
    assert [str(u.id) for u in first.data] == ids[0::2]
    assert [e["resource_id"] for e in first.errors] == ids[1::2]
    second = client.get_users(ids=ids)
    assert second.errors[0]["detail"] == f"User has been suspended: [{ids[0]}]." and len(second.data) == 3


def test_fault_on_unknown_route_is_refused(fakex: FakeX) -> None:
    with pytest.raises(ValueError, match="unknown route"):
        fakex.fail("GET /2/users/{id}/followers", "500")
    with pytest.raises(ValueError, match="unknown fault"):
        fakex.fail(FOLLOWERS, "teapot")


def test_rate_limit_window(fakex_world: World) -> None:
    with FakeX(fakex_world, limits={FOLLOWERS: 3}) as fx:
        client = app_client(fx, return_type=requests.Response)
        headers = [client.get_users_followers(fx.world.me_id).headers for _ in range(3)]
        assert [h["x-rate-limit-remaining"] for h in headers] == ["2", "1", "0"]
        assert {h["x-rate-limit-limit"] for h in headers} == {"3"}
        with pytest.raises(tweepy.TooManyRequests) as info:
            client.get_users_followers(fx.world.me_id)
        assert info.value.reset_time == int(headers[0]["x-rate-limit-reset"])
        assert 0 < info.value.reset_time - time.time() <= 900
        assert str(info.value) == "429 Too Many Requests\nToo Many Requests"
        fx.advance(901)
        assert client.get_users_followers(fx.world.me_id).headers["x-rate-limit-remaining"] == "2"
        other = client.get_users(ids=[fx.world.me_id]).headers  # each endpoint has its own budget
        assert (other["x-rate-limit-limit"], other["x-rate-limit-remaining"]) == ("300", "299")
        fx.check()


def test_unknown_and_expired_tokens_get_401(fakex: FakeX) -> None:
    stranger = tweepy.Client("no-such-token")
    point_client_at(stranger, fakex.base_url)
    with pytest.raises(tweepy.Unauthorized):
        stranger.get_users_followers(fakex.world.me_id)
    client = user_client(fakex)
    fakex.world.expire_tokens()
    with pytest.raises(tweepy.Unauthorized):
        client.get_me(user_auth=False)


def test_every_response_has_rate_limit_headers(fakex: FakeX) -> None:
    session = requests.Session()
    for headers in ({}, {"Authorization": f"Bearer {fakex.world.app_token}"}):
        resp = session.get(f"{fakex.base_url}/2/users/{fakex.world.me_id}", headers=headers)
        assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(resp.headers)
    assert [c.status for c in fakex.requests] == [401, 200]


# -- OAuth 2.0 PKCE ----------------------------------------------------------------------------------------------


def test_oauth2_pkce_round_trip_expiry_and_refresh(fakex: FakeX, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    handler = tweepy.OAuth2UserHandler(
        client_id=DEFAULT_CLIENT_ID, redirect_uri=DEFAULT_REDIRECT_URI, scope=list(FOLLOWTUI_SCOPES)
    )
    point_client_at(handler, fakex.base_url)
    callback = fakex.approve(handler.get_authorization_url())
    assert callback.startswith(DEFAULT_REDIRECT_URI + "?state=")
    token = handler.fetch_token(callback)
    assert token["token_type"] == "bearer" and token["expires_in"] == 7200
    assert token["scope"] == list(FOLLOWTUI_SCOPES) and token["refresh_token"]
    client = tweepy.Client(token["access_token"])
    point_client_at(client, fakex.base_url)
    assert client.get_me(user_auth=False).data.id == int(fakex.world.me_id)

    fakex.world.expire_tokens()
    with pytest.raises(tweepy.Unauthorized):
        client.get_me(user_auth=False)
    fresh = handler.refresh_token(TOKEN_URL, refresh_token=token["refresh_token"], client_id=DEFAULT_CLIENT_ID)
    assert fresh["refresh_token"] != token["refresh_token"]  # rotated
    client.bearer_token = fresh["access_token"]
    assert client.get_me(user_auth=False).data.username == "me"
    fakex.advance(7201)  # the access token's own two hours
    with pytest.raises(tweepy.Unauthorized):
        client.get_me(user_auth=False)
    with pytest.raises(Exception, match="invalid"):  # the old refresh token was used up
        handler.refresh_token(TOKEN_URL, refresh_token=token["refresh_token"], client_id=DEFAULT_CLIENT_ID)
    forms = [c.body for c in fakex.calls("POST", "/2/oauth2/token")]
    assert forms[0]["grant_type"] == "authorization_code" and len(forms[0]["code_verifier"]) == 128
    assert [f["grant_type"] for f in forms[1:]] == ["refresh_token", "refresh_token"]


def test_oauth2_confidential_client_uses_basic_auth(fakex: FakeX, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    fakex.world.register_client("conf-client", "http://127.0.0.1:9/cb", secret="s3cret")
    handler = tweepy.OAuth2UserHandler(
        client_id="conf-client",
        redirect_uri="http://127.0.0.1:9/cb",
        scope=["tweet.read", "users.read"],
        client_secret="s3cret",
    )
    point_client_at(handler, fakex.base_url)
    token = handler.fetch_token(fakex.approve(handler.get_authorization_url()))
    assert "refresh_token" not in token  # no offline.access, no refresh token
    assert fakex.calls("POST", "/2/oauth2/token")[0].auth == "basic"


def test_oauth2_bad_verifier_and_bad_authorize_url_are_violations(
    fakex: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    handler = tweepy.OAuth2UserHandler(
        client_id=DEFAULT_CLIENT_ID, redirect_uri=DEFAULT_REDIRECT_URI, scope=["tweet.read"]
    )
    point_client_at(handler, fakex.base_url)
    callback = fakex.approve(handler.get_authorization_url())
    handler._client.code_verifier = "x" * 64
    with pytest.raises(Exception, match="S256"):
        handler.fetch_token(callback)
    with pytest.raises(ValueError, match="redirect_uri"):
        fakex.approve(handler.get_authorization_url().replace("8765", "9999"))
    found = take_violations(fakex)
    assert any("code_verifier does not match" in v for v in found) and any("redirect_uri" in v for v in found)


# -- the validator catches violations ----------------------------------------------------------------------------


def test_spec_is_loaded_once() -> None:
    spec = load_spec()
    assert spec is load_spec() and spec.load_seconds < 5
    assert present(spec.match("GET", "/2/users/me"))[0].route == "GET /2/users/me"
    assert present(spec.match("GET", "/2/users/12/followers"))[1] == {"id": "12"}
    assert spec.match("GET", "/2/nowhere") is None


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda c, me: c.request("GET", f"/2/users/{me}/followers", params={"foo": "bar"}),
            "undeclared query parameter 'foo'",
        ),
        (lambda c, me: c.get_users_followers(me, max_results=5000), "5000 is greater than the maximum of 1000"),
        (lambda c, me: c.get_users_followers(me, max_results=0), "0 is less than the minimum of 1"),
        (lambda c, me: c.get_users_followers(me, user_fields=["created_at", "bogus"]), "'bogus' is not one of"),
        (lambda c, me: c.get_users_tweets(me, exclude=["likes"]), "'likes' is not one of"),
        (lambda c, me: c.get_users(ids=[str(n) for n in range(101)]), "is too long"),
        (lambda c, me: c.get_users_followers("@me"), "does not match"),
        (lambda c, me: c.get_users_followers(me, pagination_token="short"), "is too short"),
        (lambda c, me: c.get_users_followers(me, pagination_token=encode_cursor("x", 0, 1)), "was not issued for this"),
    ],
)
def test_bad_requests_are_rejected_and_recorded(fakex: FakeX, call: Any, expected: str) -> None:
    with pytest.raises(tweepy.BadRequest) as info:
        call(app_client(fakex), fakex.world.me_id)
    assert any(expected in m for m in info.value.api_messages)  # the 400 Problem names the violation
    found = take_violations(fakex)
    assert found and all(v.startswith("GET /2/users") for v in found) and any(expected in v for v in found)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"name": "x" * 26}, "is too long"),
        ({"name": "ok", "private": "yes"}, "'yes' is not of type 'boolean'"),
        ({"description": "no name"}, "'name' is a required property"),
        ({"name": "ok", "privat": True}, "keys the schema does not define: ['privat']"),
        (None, "JSON request body missing"),
    ],
)
def test_bad_json_bodies_are_rejected(fakex: FakeX, body: Any, expected: str) -> None:
    with pytest.raises(tweepy.BadRequest):
        user_client(fakex).request("POST", "/2/lists", json=body)
    found = take_violations(fakex)
    assert any(v.startswith("POST /2/lists: ") and expected in v for v in found), found


def test_follow_body_with_numeric_id_is_rejected(fakex: FakeX) -> None:
    with pytest.raises(tweepy.BadRequest):
        oauth1_client(fakex).request(
            "POST", f"/2/users/{fakex.world.me_id}/following", json={"target_user_id": 12}, user_auth=True
        )
    assert any("12 is not of type 'string'" in v for v in take_violations(fakex))


def test_wrong_auth_scheme_is_a_violation(fakex: FakeX) -> None:
    app = app_client(fakex)
    with pytest.raises(tweepy.Forbidden) as info:
        app.get_me(user_auth=False)
    assert info.value.response.json()["type"].endswith("/unsupported-authentication")
    with pytest.raises(tweepy.Forbidden):
        app.create_list("nope", user_auth=False)
    found = take_violations(fakex)
    assert found == [
        "GET /2/users/me: OAuth 2.0 Application-Only is not allowed; the spec allows [OAuth 2.0 User Context, OAuth 1.0a User Context]",
        "POST /2/lists: OAuth 2.0 Application-Only is not allowed; the spec allows [OAuth 2.0 User Context, OAuth 1.0a User Context]",
    ]


def test_missing_scope_is_a_violation(fakex: FakeX) -> None:
    fakex.world.add_user_token("narrow", scopes=["tweet.read", "users.read"])
    client = tweepy.Client("narrow")
    point_client_at(client, fakex.base_url)
    with pytest.raises(tweepy.Forbidden):
        client.get_users_followers(fakex.world.me_id)
    assert take_violations(fakex) == [
        "GET /2/users/:id/followers: the OAuth 2.0 token lacks the scopes ['follows.read']"
    ]


def test_unknown_path_is_a_violation(fakex: FakeX) -> None:
    with pytest.raises(tweepy.NotFound):
        app_client(fakex).request("GET", "/2/users/1/likes_given")
    assert take_violations(fakex) == ["GET /2/users/1/likes_given: no such operation in the spec"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda b: b["data"].update(id=12345), "12345 is not of type 'string'"),
        (lambda b: b["data"].update(created_at="yesterday"), "'yesterday' is not a 'date-time'"),
        (lambda b: b["data"].update(created_at="2024-01-01T00:00:00Z"), "lacks X's .000Z form"),
        (lambda b: b["data"].update(username="has space"), "does not match"),
        (lambda b: b["data"].update(location="leak"), "has fields not asked for with user.fields: ['location']"),
        (lambda b: b.update(errors=[{"type": "about:blank"}]), "'title' is a required property"),
        (
            lambda b: b.update(
                errors=[{"title": "x", "type": "https://api.twitter.com/2/problems/resource-not-found"}]
            ),
            "ResourceNotFoundProblem",
        ),
        (
            lambda b: b.update(errors=[{"title": "x", "type": "https://example.com/nope"}]),
            "not in the spec's discriminator mapping",
        ),
    ],
)
def test_broken_responses_are_caught(fakex: FakeX, mutate: Any, expected: str) -> None:
    fakex.corrupt("GET /2/users/:id", mutate)
    with contextlib.suppress(ValueError, tweepy.TweepyException):  # tweepy may choke on the broken body too
        app_client(fakex).get_user(id=fakex.world.me_id, user_fields=["created_at"])
    found = take_violations(fakex)
    assert found and found[0].startswith("GET /2/users/:id: response 200: ")
    assert any(expected in v for v in found), found


def test_broken_item_deep_in_a_big_page_is_caught_by_sampling(big: FakeX) -> None:
    def corrupt(body: dict[str, Any]) -> None:
        body["data"][-1]["created_at"] = "2024-01-01 00:00:00"

    big.corrupt(FOLLOWERS, corrupt)
    with pytest.raises(ValueError, match="does not match format"):  # tweepy chokes on it too
        app_client(big).get_users_followers(big.world.me_id, max_results=1000, user_fields=["created_at"])
    assert any("is not a 'date-time'" in v for v in take_violations(big))


def test_validation_of_a_1000_user_page_is_cheap(big: FakeX) -> None:
    spec = big.spec
    op, _ = present(spec.match("GET", f"/2/users/{big.world.me_id}/followers"))
    fields = "created_at,description,location,url,entities,profile_image_url,protected,public_metrics,verified,verified_type,most_recent_tweet_id"
    client = app_client(big, return_type=dict)
    page = client.get_users_followers(big.world.me_id, max_results=1000, user_fields=fields.split(","))
    query = [("max_results", "1000"), ("user.fields", fields)]
    started = time.perf_counter()
    path = f"/2/users/{big.world.me_id}/followers"
    for _ in range(10):
        assert spec.check_request(op, path, query, b"", "") == []
        assert spec.check_response(op, path, query, 200, page, "application/json") == []
    assert (time.perf_counter() - started) / 10 < 0.1  # ~20 ms per exchange on the 2-core CI machine


def test_fixture_check_fails_on_violations(fakex: FakeX) -> None:
    fakex.check()
    fakex.violations.append("GET /2/x: made up")
    with pytest.raises(AssertionError, match="made up"):
        fakex.check()
    fakex.violations.clear()


def test_the_spec_is_x_official_v2_166_verbatim() -> None:
    import hashlib

    from tests.fakex.spec import SPEC_SHA256, spec_path

    path = spec_path()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SPEC_SHA256
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "x-api" / "openapi.json"
    if shared.is_file():  # beside the repository in CI: the copy here is the same file
        assert shared.read_bytes() == path.read_bytes()
