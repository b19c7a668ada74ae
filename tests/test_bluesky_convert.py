"""AT Protocol JSON to domain objects: what a view lacks stays unknown, reposts are not the author's posts."""

from __future__ import annotations

from followtui.backends.bluesky import convert
from followtui.domain.models import Account

ME = "did:plc:me000000000000000000000"
THEM = "did:plc:them0000000000000000000"
POST = "app.bsky.feed.post"


def test_a_plain_view_is_not_hydrated_and_a_detailed_one_is() -> None:
    plain = convert.account_doc({"did": THEM, "handle": "them.bsky.social"})
    assert plain["hydrated"] is False
    assert set(plain["public_metrics"].values()) == {None}  # a plain view has no counts: unknown, not zero
    detailed = convert.account_doc(
        {
            "did": THEM,
            "handle": "them.bsky.social",
            "followersCount": 7,
            "followsCount": 3,
            "postsCount": 0,
            "verification": {"verifiedStatus": "valid", "trustedVerifierStatus": "none", "verifications": []},
        }
    )
    assert detailed["hydrated"] is True and detailed["public_metrics"]["tweet_count"] == 0 and detailed["verified"]
    assert detailed["public_metrics"]["listed_count"] is None  # Bluesky has no listed count
    assert detailed["profile_image_url"] == ""  # no avatar: an egg


def test_a_quote_notification_counts_as_about_the_user() -> None:
    record = {"$type": POST, "text": "look at this", "createdAt": "2026-11-02T09:00:00Z"}
    body = {
        "notifications": [
            {"uri": f"at://{THEM}/{POST}/3k1", "reason": "quote", "author": {"did": THEM}, "record": record},
            {"uri": f"at://{THEM}/{POST}/3k2", "reason": "like", "author": {"did": THEM}, "record": record},
        ]
    }
    (post,) = convert.notification_posts(body, ME)
    assert post.mentioned_ids == (ME,) and post.in_reply_to_user_id is None


def test_reposts_are_left_out_of_an_author_feed() -> None:
    own = {
        "uri": f"at://{THEM}/{POST}/3k3",
        "author": {"did": THEM},
        "record": {"text": "mine", "createdAt": "2026-11-02T09:00:00Z"},
    }
    other = {
        "uri": f"at://{ME}/{POST}/3k4",
        "author": {"did": ME},
        "record": {"text": "theirs", "createdAt": "2026-11-02T09:00:00Z"},
    }
    posts = convert.feed_posts({"feed": [{"post": own}, {"post": other}]}, THEM)
    assert [p.text for p in posts] == ["mine"]
    assert convert.did_of(posts[0].id) == THEM and convert.rkey_of(posts[0].id) == "3k3"


def test_o_opens_a_bluesky_account_on_bsky_app_and_an_x_account_on_x() -> None:
    bluesky = Account.from_doc(convert.account_doc({"did": THEM, "handle": "them.bsky.social"}))
    assert bluesky.profile_url == "https://bsky.app/profile/them.bsky.social"
    assert Account(id=THEM, username="").profile_url == f"https://bsky.app/profile/{THEM}"  # the DID still resolves
    assert Account(id="2244994945", username="XDevelopers").profile_url == "https://x.com/XDevelopers"
