"""Posts read on demand, through the real ``tweepy.Client`` against the spec-checked FakeX: one request of the
smallest page X serves, counted by the meter, kept on disk, refused reads in X's words, and the day's budget."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

from followtui.backends.x.backend import XBackend
from followtui.services.posts import POSTS_FILE, OnDemandPosts
from tests.fakex import FakeX
from tests.fakex.server import TIER_DETAIL
from tests.test_x_backend import TOKEN, Tokens

TWEETS = "GET /2/users/:id/tweets"
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def backend_for(fakex: FakeX) -> XBackend:
    fakex.world.add_user_token(TOKEN, fakex.world.me_id)
    return XBackend.oauth2(Tokens(TOKEN), user_id=fakex.world.me_id, base=fakex.base_url, timeout=(2, 2))


def test_one_request_reads_the_posts_and_a_restart_keeps_them(fakex: FakeX, tmp_path: Path) -> None:
    backend = backend_for(fakex)
    poster = next(uid for uid, line in fakex.world.timelines.items() if len(line) >= 3 and uid != fakex.world.me_id)
    posts = OnDemandPosts(tmp_path, backend, lambda: NOW, per_day=5, per_account=5)
    read = posts.read(poster)
    assert read.posts and all(p.author_id == poster for p in read.posts) and read.note is None
    (call,) = fakex.calls("GET", f"/2/users/{poster}/tweets")
    assert call.query["max_results"] == "5"  # the smallest page X serves
    usage = {u.endpoint: u for u in backend.meter.usage()}[TWEETS]
    assert usage.requests == 1 and usage.resources == len(read.posts)
    assert usage.cost == len(read.posts) * 0.005  # someone else's posts: no "Owned Reads" price

    again = OnDemandPosts(tmp_path, backend, lambda: NOW, per_day=1)
    again.load()
    assert again.posts(poster) == read.posts
    other = next(uid for uid in fakex.world.timelines if uid not in (poster, fakex.world.me_id))
    stopped = again.read(other)  # the day's one read was made before the restart
    assert stopped.note is not None and "today's budget of 1 account is used" in stopped.note
    assert len(fakex.calls("GET", "/2/users/")) == 1
    assert len((tmp_path / POSTS_FILE).read_text().splitlines()) == 1
    assert json.loads((tmp_path / POSTS_FILE).read_text())["account_id"] == poster


def test_a_refused_read_shows_xs_words_and_the_budget_stops_the_next(fakex: FakeX, tmp_path: Path) -> None:
    backend = backend_for(fakex)
    first, second = fakex.world.follower_ids()[:2]
    posts = OnDemandPosts(tmp_path, backend, lambda: NOW, per_day=1)
    fakex.fail(TWEETS, "403-tier")
    refused = posts.read(first)
    assert refused.posts is None
    assert refused.note is not None and refused.note.startswith("X did not show their posts: You currently have")
    assert TIER_DETAIL[:60] in refused.note
    stopped = posts.read(second)  # the refused one was a request too: the day's one is used
    assert stopped.posts is None and stopped.note is not None and "today's budget of 1 account is used" in stopped.note
    assert len(fakex.calls("GET", "/2/users/")) == 1


def test_a_read_after_a_killed_append_is_kept(fakex: FakeX, tmp_path: Path) -> None:
    backend = backend_for(fakex)
    first, second = [uid for uid, line in fakex.world.timelines.items() if line and uid != fakex.world.me_id][:2]
    posts = OnDemandPosts(tmp_path, backend, lambda: NOW, per_day=5)
    posts.read(first)
    with (tmp_path / POSTS_FILE).open("ab") as fh:
        fh.write(b'{"account_id": "' + second.encode() + b'", "at": "20')  # a kill mid-append: never shown
    read = posts.read(second)  # paid for: it must survive the torn line before it
    again = OnDemandPosts(tmp_path, backend, lambda: NOW, per_day=5)
    again.load()
    assert again.posts(second) == read.posts and again.posts(first) is not None
    assert stat.S_IMODE((tmp_path / POSTS_FILE).stat().st_mode) == 0o600
