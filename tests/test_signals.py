"""Triage signals, their rules and weights, and the queue rules: each with its sentence, on missing fields,
protected accounts, non-Latin and hostile text too."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from followtui.domain.filters import accepts, parse
from followtui.domain.models import Account, AccountState, Decision, DecisionKind, Post, Relationship
from followtui.domain.queues import haystack, in_unfollow_candidates
from followtui.domain.signals import (
    DEFAULT_RULES,
    Conversation,
    ConversationIndex,
    Rules,
    Signal,
    SignalKind,
    evaluate,
    follow_bait,
    organisation,
)
from followtui.services.triage import Triage
from followtui.store import Store
from tests.factories import FakeClock

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
REAL_AVATAR = "https://pbs.twimg.com/profile_images/1/abc_normal.jpg"
EGG_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


def person(**changes: Any) -> Account:
    base: dict[str, Any] = {
        "id": "42",
        "username": "someone",
        "name": "Some One",
        "description": "Cyclist, baker, reads too much.",
        "profile_image_url": REAL_AVATAR,
        "created_at": NOW - timedelta(days=3000),
        "followers_count": 500,
        "tweet_count": 900,
        "posts": tuple(post(days_ago=d) for d in (2, 5, 9)),
    }
    base.update(changes)
    return Account(**base)


def post(text: str = "Baked bread today.", days_ago: int = 1, **changes: Any) -> Post:
    return Post(
        id=f"p{days_ago}{len(text)}", author_id="42", text=text, created_at=NOW - timedelta(days=days_ago), **changes
    )


def kinds(account: Account, rel: Relationship | None = None, rules: Rules = DEFAULT_RULES) -> set[SignalKind]:
    return {s.kind for s in evaluate(account, rel, Conversation(), NOW, rules)}


def found(account: Account, kind: SignalKind, rules: Rules = DEFAULT_RULES) -> Signal | None:
    return next((s for s in evaluate(account, None, Conversation(), NOW, rules) if s.kind is kind), None)


def the(account: Account, kind: SignalKind, rules: Rules = DEFAULT_RULES) -> Signal:
    signal = found(account, kind, rules)
    assert signal is not None, f"no {kind} signal"
    return signal


def assert_well_formed(signals: list[Signal]) -> None:
    for signal in signals:
        assert -1.0 <= signal.strength <= 1.0
        assert signal.sentence.endswith(".") and len(signal.sentence.splitlines()) == 1
        assert not any(unicodedata.category(c)[0] == "C" or c in "\u2028\u2029" for c in signal.sentence)


@pytest.mark.parametrize(
    ("account", "expected", "absent"),
    [
        (person(), set(), {SignalKind.EGG, SignalKind.ORGANISATION, SignalKind.INACTIVE}),
        (person(profile_image_url=EGG_AVATAR, description="", tweet_count=1, posts=()), {SignalKind.EGG}, set()),
        (person(profile_image_url=None), set(), {SignalKind.EGG}),  # X did not send the picture: not known
        (person(verified_type="business"), {SignalKind.ORGANISATION}, set()),
        (person(verified_type="government"), {SignalKind.ORGANISATION}, set()),
        (
            person(description="The official account of Acme Inc. Customer service: DM us."),
            {SignalKind.ORGANISATION},
            set(),
        ),
        (
            person(
                posts=(
                    post("I'm at Café Central https://www.swarmapp.com/c/x", 1),
                    post("(@ Bar) https://4sq.com/y", 2),
                )
            ),
            {SignalKind.CHECKIN},
            set(),
        ),
        (person(created_at=NOW - timedelta(days=20), followers_count=42), {SignalKind.NEWCOMER}, {SignalKind.EGG}),
        (person(posts=(post(days_ago=800),), most_recent_tweet_id=None), {SignalKind.INACTIVE}, set()),
        (
            person(state=AccountState.SUSPENDED, profile_image_url=EGG_AVATAR, posts=()),
            {SignalKind.GONE},
            {SignalKind.EGG, SignalKind.INACTIVE},
        ),
        (
            person(state=AccountState.DELETED, username="", name="", profile_image_url=EGG_AVATAR, posts=()),
            {SignalKind.GONE},
            {SignalKind.EGG},
        ),
        (person(protected=True, posts=()), {SignalKind.PROTECTED}, {SignalKind.INACTIVE}),
        (person(description="#TeamFollowBack 100% follow back, DM for promo"), {SignalKind.FOLLOW_BAIT}, set()),
        (person(created_at=NOW - timedelta(days=100), tweet_count=100_000), {SignalKind.HIGH_VOLUME}, set()),
        (
            person(name="陈静", description="今天的代码终于跑通了 🎉", location="上海"),
            set(),
            {SignalKind.ORGANISATION, SignalKind.EGG},
        ),
        (person(name="عمر خليل", description="مصوّر فوتوغرافي"), set(), {SignalKind.ORGANISATION}),
        (
            Account(id="7", username="", hydrated=False),
            set(),
            {SignalKind.INACTIVE, SignalKind.EGG, SignalKind.NEWCOMER},
        ),
        (
            Account(
                id="8",
                username="quiet_one",
                profile_image_url=REAL_AVATAR,
                tweet_count=0,
                created_at=NOW - timedelta(days=3000),
            ),
            {SignalKind.INACTIVE},
            {SignalKind.CHECKIN},
        ),
    ],
)
def test_signals(account: Account, expected: set[SignalKind], absent: set[SignalKind]) -> None:
    got = kinds(account)
    assert expected <= got
    assert not (absent & got)
    assert_well_formed(evaluate(account, None, Conversation(), NOW))


BARE = Account(  # hydrated: an old egg account X says has no posts and no followers
    id="9",
    username="bare",
    profile_image_url=EGG_AVATAR,
    created_at=NOW - timedelta(days=3000),
    followers_count=0,
    following_count=0,
    tweet_count=0,
    listed_count=0,
)
UNKNOWN = Account(id="10", username="unknown")  # hydrated, but X sent none of the fields: every one unknown


@pytest.mark.parametrize(
    ("account", "kind", "strength", "words"),
    [
        # egg: a default avatar alone is a note; an empty bio and almost no posts make it a concern
        (person(profile_image_url=EGG_AVATAR), SignalKind.EGG, -0.2, "default avatar."),
        (person(profile_image_url=EGG_AVATAR, description=" \u200b\u2060 "), SignalKind.EGG, -0.5, "empty bio"),
        (person(profile_image_url=EGG_AVATAR, description="", tweet_count=3, posts=()), SignalKind.EGG, -0.7, "posts"),
        (person(profile_image_url=EGG_AVATAR, tweet_count=0, posts=(post(),)), SignalKind.EGG, -0.5, "almost no posts"),
        (person(profile_image_url=EGG_AVATAR, description="🌱"), SignalKind.EGG, -0.2, "default avatar."),
        (BARE, SignalKind.EGG, -0.7, "empty bio, almost no posts"),
        # a protected account's posts are hidden, not missing
        (
            person(profile_image_url=EGG_AVATAR, protected=True, tweet_count=0, posts=()),
            SignalKind.EGG,
            -0.2,
            "avatar.",
        ),
        (
            person(profile_image_url=EGG_AVATAR, description="", protected=True, posts=()),
            SignalKind.EGG,
            -0.5,
            "empty bio.",
        ),
        # organisation
        (person(verified_type="business"), SignalKind.ORGANISATION, -0.5, "a business"),
        (person(verified_type="government"), SignalKind.ORGANISATION, -0.5, "a government body"),
        (person(description="Customer support for Kiwi Telecom."), SignalKind.ORGANISATION, -0.4, "Customer support"),
        (person(description="The official account of Porto."), SignalKind.ORGANISATION, -0.4, '"The official"'),
        (person(description="🏛️ Official account. Tweets 9-5."), SignalKind.ORGANISATION, -0.4, "Official"),
        (person(description="Official service account of VB Nord."), SignalKind.ORGANISATION, -0.4, '"Official"'),
        (person(description="Acme Widgets Inc. Since 1949."), SignalKind.ORGANISATION, -0.4, '"Inc"'),
        (person(description="Questions? DM us."), SignalKind.ORGANISATION, -0.4, '"DM us"'),
        (person(description="Handmade mugs. Shop now!"), SignalKind.ORGANISATION, -0.4, '"Shop now"'),
        (person(description="We roast small batches in Hamburg."), SignalKind.ORGANISATION, -0.3, '"We roast"'),
        (person(description="We’re a museum of tiny things."), SignalKind.ORGANISATION, -0.3, "We’re a"),
        (person(description="Fresh bread daily. Our products are vegan."), SignalKind.ORGANISATION, -0.3, "products"),
        (person(url="https://shop.nordwind.example"), SignalKind.ORGANISATION, -0.2, "Links to a shop."),
        (person(url="nordwind.example/store/"), SignalKind.ORGANISATION, -0.2, "shop"),
        (person(url="https://nordwind.shop"), SignalKind.ORGANISATION, -0.2, "shop"),
        (person(url="https://acme.myshopify.com/"), SignalKind.ORGANISATION, -0.2, "shop"),
        # check-ins: Swarm's link, Foursquare's, the "(@ Place)" tag, and the "I'm at" opening (any apostrophe)
        (
            person(posts=(post("I’m at Café Central in Wien"), post("Lunch (@ Ichiran in Shibuya, Tokyo)"), post())),
            SignalKind.CHECKIN,
            -0.6,
            "2 of 3 recent posts",
        ),
        (
            person(posts=(post("https://www.swarmapp.com/c/abc", 1), post("https://4sq.com/xyz", 2))),
            SignalKind.CHECKIN,
            -0.6,
            "2 of 2",
        ),
        # newcomer: a reason to welcome
        (person(created_at=NOW - timedelta(days=3)), SignalKind.NEWCOMER, 0.2, "joined 3 days ago"),
        (person(created_at=NOW + timedelta(days=1)), SignalKind.NEWCOMER, 0.2, "joined today"),  # a skewed clock
        (person(followers_count=0), SignalKind.NEWCOMER, 0.1, "not their numbers"),
        (BARE, SignalKind.NEWCOMER, 0.1, "Small account"),
        # inactive: from the newest post seen, or most_recent_tweet_id's timestamp
        (person(posts=(post(days_ago=400),)), SignalKind.INACTIVE, -0.7, "13 months ago"),
        (person(posts=(), most_recent_tweet_id="1000000000000000000"), SignalKind.INACTIVE, -0.7, "years ago"),
        (
            person(protected=True, posts=(), most_recent_tweet_id="1000000000000000000"),
            SignalKind.INACTIVE,
            -0.7,
            "years ago",
        ),
        (person(posts=(), tweet_count=0, created_at=NOW - timedelta(days=900)), SignalKind.INACTIVE, -0.5, "never"),
        (BARE, SignalKind.INACTIVE, -0.5, "Has never posted."),
        # gone, protected, high volume, follow-back bait
        (person(state=AccountState.SUSPENDED), SignalKind.GONE, -1.0, "Suspended"),
        (person(state=AccountState.DELETED), SignalKind.GONE, -1.0, "Deleted"),
        (person(protected=True, posts=()), SignalKind.PROTECTED, 0.0, "hidden"),
        (person(created_at=NOW - timedelta(hours=5), tweet_count=500), SignalKind.HIGH_VOLUME, -0.4, "500 times"),
        (person(created_at=NOW - timedelta(days=10), tweet_count=600), SignalKind.HIGH_VOLUME, -0.4, "60 times a day"),
        (person(description="#F4F #followback"), SignalKind.FOLLOW_BAIT, -0.5, '"F4F"'),
        (person(description="Crypto. DM for paid promo 💰"), SignalKind.FOLLOW_BAIT, -0.5, '"DM for paid promo"'),
        (person(description="follow\u2028back\ttrain"), SignalKind.FOLLOW_BAIT, -0.5, '"follow back"'),
        (person(description="f\u200bollow\u2060 back 💯"), SignalKind.FOLLOW_BAIT, -0.5, '"follow back"'),
        (person(description="\u202eCustomer\u200b service"), SignalKind.ORGANISATION, -0.4, '"Customer service"'),
    ],
)
def test_each_signal_its_strength_and_sentence(account: Account, kind: SignalKind, strength: float, words: str) -> None:
    signal = the(account, kind)
    assert signal.strength == pytest.approx(strength)
    assert words in signal.sentence
    assert_well_formed(evaluate(account, None, Conversation(), NOW))


@pytest.mark.parametrize(
    ("account", "kind"),
    [
        # people say "we", "official", "Inc" and "shop" too
        (person(description="We moved to Lisbon in 2019. I bake, we hike."), SignalKind.ORGANISATION),
        (
            person(description="Dad of two. We make pancakes on Sundays and my kids judge them."),
            SignalKind.ORGANISATION,
        ),
        (person(description="We are all made of stardust."), SignalKind.ORGANISATION),
        (person(description="Elected official, mother of three, Packers fan."), SignalKind.ORGANISATION),
        (person(description="Match official (FIFA). Opinions my own."), SignalKind.ORGANISATION),
        (person(description="Parody. Not the official account."), SignalKind.ORGANISATION),
        (person(description="Unofficial Seahawks stats nerd."), SignalKind.ORGANISATION),
        (person(description="Backend engineer at Acme Inc. Cyclist."), SignalKind.ORGANISATION),
        (person(description="Ex-Google, formerly @ Initech LLC. Now: sourdough."), SignalKind.ORGANISATION),
        (person(description="Brand designer at an agency. PhD, Department of Physics."), SignalKind.ORGANISATION),
        (person(description="Youth ministry pastor. Company man. Incredible at naps."), SignalKind.ORGANISATION),
        (person(description="I run our team's incident reviews."), SignalKind.ORGANISATION),
        (person(url="https://workshop.example/blog"), SignalKind.ORGANISATION),
        (person(url="https://example.com/blog/shopping-list"), SignalKind.ORGANISATION),
        (person(url="http://[broken"), SignalKind.ORGANISATION),
        # saying you do not trade follows is not follow bait
        (person(description="I don't follow back, sorry."), SignalKind.FOLLOW_BAIT),
        (person(description="No follow backs, no DMs."), SignalKind.FOLLOW_BAIT),
        (person(description="I do not always follow back."), SignalKind.FOLLOW_BAIT),
        # one post starting "I'm at" is not a habit
        (person(posts=(post("I'm at home with a cold, send soup"),)), SignalKind.CHECKIN),
        (person(posts=(post("Meeting (@jack) later"), post("(@ home)"), post(), post())), SignalKind.CHECKIN),
        # a newcomer that is gone is not welcomed
        (person(created_at=NOW - timedelta(days=3), state=AccountState.DELETED), SignalKind.NEWCOMER),
        (person(followers_count=0, state=AccountState.SUSPENDED), SignalKind.NEWCOMER),
        # a young account that has not posted yet is not quiet; nor is a protected one, nor one with posts unseen
        (person(posts=(), tweet_count=0, created_at=NOW - timedelta(days=20)), SignalKind.INACTIVE),
        (person(posts=(), tweet_count=0, protected=True), SignalKind.INACTIVE),
        (person(posts=(), tweet_count=4000, most_recent_tweet_id=None), SignalKind.INACTIVE),
        (person(posts=(post(days_ago=30),), most_recent_tweet_id="not-a-snowflake"), SignalKind.INACTIVE),
        # a protected account with posts you can see is not "protected and unseen"
        (person(protected=True), SignalKind.PROTECTED),
        (person(protected=True, posts=(), state=AccountState.SUSPENDED), SignalKind.PROTECTED),
        # no created_at, or no posts at all: no rate to judge
        (person(created_at=None, tweet_count=10**6), SignalKind.HIGH_VOLUME),
        (person(created_at=NOW - timedelta(days=1), tweet_count=0), SignalKind.HIGH_VOLUME),
        (BARE, SignalKind.HIGH_VOLUME),
        (BARE, SignalKind.CHECKIN),
    ],
)
def test_signals_that_must_not_fire(account: Account, kind: SignalKind) -> None:
    signals = evaluate(account, None, Conversation(), NOW)
    assert kind not in {s.kind for s in signals}, [s.sentence for s in signals]
    assert_well_formed(signals)


def test_a_protected_account_with_no_visible_posts() -> None:
    """Neither quiet nor an egg with "almost no posts": its posts are hidden, not missing."""
    hidden = person(protected=True, posts=(), tweet_count=0, most_recent_tweet_id=None, profile_image_url=EGG_AVATAR)
    signals = evaluate(hidden, Relationship("42", following=True), Conversation(), NOW)
    by_kind = {s.kind: s for s in signals}
    assert SignalKind.INACTIVE not in by_kind
    assert by_kind[SignalKind.PROTECTED].strength == 0.0
    assert "almost no posts" not in by_kind[SignalKind.EGG].sentence
    assert not in_unfollow_candidates(Relationship("42", following=True, follower=True), None, signals, NOW)


NON_LATIN = [
    ("عمر خليل", "مصوّر فوتوغرافي من القاهرة. نحن نحب القهوة", "القاهرة"),  # Arabic (with "we")
    ("山田 花子", "東京在住のエンジニア。週末はパン作り🍞 フォローバックは気まぐれ", "東京"),  # Japanese
    ("สมชาย ใจดี", "ช่างภาพอิสระ ชอบเดินป่าและกาแฟ", "กรุงเทพฯ"),  # Thai (no spaces between words)
    ("Ольга Смирнова", "Переводчик. Мы с мужем печём хлеб. Официальный аккаунт кота", "Санкт-Петербург"),  # Cyrillic
    ("陈静", "今天的代码终于跑通了 🎉", "上海"),
    ("Zoë Ångström", "İstanbul'da öğretmen. ﷽ Ⓘⓝⓒ ＩＮＣ", "Ørsted"),
]


@pytest.mark.parametrize(("name", "bio", "location"), NON_LATIN)
def test_non_latin_people_are_judged_by_their_posts(name: str, bio: str, location: str) -> None:
    posts = tuple(post(text=f"{bio[:12]} {i}", days_ago=i + 1) for i in range(4))
    account = person(name=name, description=bio, location=location, posts=posts)
    signals = evaluate(account, None, Conversation(), NOW)
    assert signals == [], [s.sentence for s in signals]
    egg_like = person(name=name, description=bio, profile_image_url=EGG_AVATAR, posts=())
    assert_well_formed(evaluate(egg_like, None, Conversation(), NOW))


HOSTILE = [
    "\x1b[2J\x1b]0;pwned\x07 official\x00 account \u202eraboF\u202c",
    "\x1b\x07\u202e\u200b Official\u202c account",
    "\u202eCustomer\u200b service\u202c",
    "[bold red]We make[/] ${jndi:ldap://x} <script>alert(1)</script> Inc",
    "follow" + "\u200b" * 50 + "back " + "z\u0301\u0302\u0303" * 200,
    "we are " * 20_000,
    "at Acme Inc " * 8_000,
    "I don't follow back " * 5_000,
    "(@ " * 30_000,
    "\ud800\udfff",  # lone surrogates, as a broken decoder might leave them
    "",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_breaks_nothing(text: str) -> None:
    posts = tuple(post(text=text[:5000] + str(i), days_ago=i) for i in range(5))
    for account in (
        person(name=text[:200], description=text, url=text[:500], location=text[:100], posts=posts),
        person(description=text, profile_image_url=EGG_AVATAR, posts=(), created_at=None),
    ):
        assert_well_formed(evaluate(account, Relationship("42", following=True), Conversation(), NOW))


def test_quoted_bio_words_stay_on_one_line() -> None:
    bait = follow_bait(person(description="100% follow\n\n\x1c back!"))
    assert bait is not None and bait.sentence == 'Follow-back bait in the bio ("follow back").'
    org = organisation(person(description="CUSTOMER\u2028SERVICE, 24/7"))
    assert org is not None and org.sentence == 'Bio reads like an organisation ("CUSTOMER SERVICE").'
    hidden = organisation(person(description="\x1b\x07\u202e🏛️ Official\u202c account"))
    assert hidden is not None and hidden.sentence == 'Bio reads like an organisation ("Official").'


def test_conversation_both_ways_is_the_strongest_reason() -> None:
    me = "1"
    mentions = [Post("m1", "42", "@me hi", NOW - timedelta(days=3), mentioned_ids=("1",))]
    mine = [Post("r1", "1", "@someone hello", NOW - timedelta(days=2), in_reply_to_user_id="42")]
    index = ConversationIndex.build(me, mentions, mine, since=NOW - timedelta(days=180))
    signals = evaluate(person(), None, index.get("42"), NOW)
    assert signals[0].kind is SignalKind.CONVERSATION and signals[0].strength == 1.0
    assert "replied once" in signals[0].sentence
    one_way = ConversationIndex.build(me, mentions, [], since=NOW - timedelta(days=180)).get("42")
    assert evaluate(person(), None, one_way, NOW)[0].strength == 0.5
    old = ConversationIndex.build(me, mentions, mine, since=NOW)
    assert old.get("42") == Conversation()


def test_not_following_back_and_left() -> None:
    following_only = Relationship("42", follower=False, following=True)
    assert SignalKind.NOT_FOLLOWING_BACK in kinds(person(), following_only)
    left = Relationship("42", following=True, follower_first_seen=NOW - timedelta(days=90))
    assert any(s.sentence == "Unfollowed you." for s in evaluate(person(), left, Conversation(), NOW))


def test_new_follower_queue_rules(seeded: Store, clock: FakeClock) -> None:
    """One-way followers with no active decision (``Triage``'s rule); an expired snooze counts as undecided."""
    triage = Triage(seeded, clock)
    assert set(triage.new_followers().ids) == {"1002", "1004"}  # 1006 follows and is followed: not new
    seeded.put_decision(Decision("1002", DecisionKind.SKIP, clock(), seq=1), [])
    until = clock() + timedelta(days=3)
    seeded.put_decision(Decision("1004", DecisionKind.SNOOZE, clock(), seq=2, until=until), [])
    assert triage.new_followers().ids == []
    clock.advance(days=3, seconds=1)
    assert triage.new_followers().ids == ["1004"]


def test_unfollow_candidate_rules() -> None:
    rel = Relationship("42", following=True)
    quiet = person(posts=(post(days_ago=900),))
    signals = evaluate(quiet, rel, Conversation(), NOW)
    assert in_unfollow_candidates(rel, None, signals, NOW)
    assert not in_unfollow_candidates(rel, Decision("42", DecisionKind.KEEP, NOW, seq=1), signals, NOW)
    talking = evaluate(quiet, rel, Conversation(theirs=2, mine=1), NOW)
    assert not in_unfollow_candidates(rel, None, talking, NOW)
    assert not in_unfollow_candidates(rel, None, evaluate(person(), rel, Conversation(), NOW), NOW)


def test_text_filter_matches_every_word_in_any_field() -> None:
    text = haystack({"username": "zoe", "name": "Zoë Ångström", "description": "Birder", "location": "東京"})
    assert accepts(parse("zoë birder"), text)
    assert accepts(parse("東京"), text)
    assert accepts(parse("ÅNGSTRÖM"), text)
    assert not accepts(parse("berlin"), text)


def test_a_weight_of_zero_switches_a_signal_off_and_others_scale_then_clamp() -> None:
    egg = person(
        profile_image_url=EGG_AVATAR, description="", tweet_count=1, posts=(), followers_count=3
    )  # -0.7; small +0.1
    assert found(egg, SignalKind.EGG) is not None
    off = Rules(weights={SignalKind.EGG: 0.0})
    assert SignalKind.EGG not in kinds(egg, rules=off)
    assert SignalKind.NEWCOMER in kinds(egg, rules=off)  # a kind not named keeps weight 1

    doubled = Rules(weights={SignalKind.EGG: 2.0, SignalKind.NEWCOMER: 2.0})
    assert the(egg, SignalKind.EGG, doubled).strength == -1.0  # -1.4, clamped
    assert the(egg, SignalKind.NEWCOMER, doubled).strength == pytest.approx(0.2)
    halved = Rules(weights={SignalKind.EGG: 0.5})
    assert the(egg, SignalKind.EGG, halved).strength == -0.35

    talk = evaluate(person(), None, Conversation(theirs=1, mine=1), NOW, Rules(weights={SignalKind.CONVERSATION: 3}))
    assert talk[0].kind is SignalKind.CONVERSATION and talk[0].strength == 1.0
    strengths = [abs(s.strength) for s in evaluate(egg, None, Conversation(), NOW, doubled)]
    assert strengths == sorted(strengths, reverse=True)  # still strongest first, after the weights


@pytest.mark.parametrize(
    ("rules", "concerning"),
    [
        (Rules(), True),  # quiet (-0.7) is a concern at -0.3
        (Rules(concerning_below=-0.8), False),
        (Rules(inactive_days=1000), False),  # not quiet at all any more
        (Rules(weights={SignalKind.INACTIVE: 0.4}), False),  # -0.28
        (Rules(weights={SignalKind.INACTIVE: 0.0}), False),
        (Rules(concerning_below=-0.8, weights={SignalKind.INACTIVE: 2.0}), True),  # -1.0
    ],
)
def test_the_rules_decide_what_is_concerning(rules: Rules, concerning: bool) -> None:
    rel = Relationship("42", following=True, follower=True)
    quiet = person(posts=(post(days_ago=400),))
    signals = evaluate(quiet, rel, Conversation(), NOW, rules)
    assert in_unfollow_candidates(rel, None, signals, NOW, rules) is concerning
    assert any(rules.concerning(s) for s in signals) is concerning
    assert any(s.concerning for s in signals) is concerning  # a signal remembers the rules it was judged by


def test_a_conversation_keeps_an_account_unless_its_weight_says_otherwise() -> None:
    rel = Relationship("42", following=True)
    quiet = person(posts=(post(days_ago=900),))
    they_wrote = Conversation(theirs=1)  # +0.5
    assert not in_unfollow_candidates(rel, None, evaluate(quiet, rel, they_wrote, NOW), NOW)
    weaker = Rules(weights={SignalKind.CONVERSATION: 0.5})
    assert in_unfollow_candidates(rel, None, evaluate(quiet, rel, they_wrote, NOW, weaker), NOW, weaker)
    i_wrote = Conversation(mine=1)  # +0.4: not enough by default, enough when conversations count double
    assert in_unfollow_candidates(rel, None, evaluate(quiet, rel, i_wrote, NOW), NOW)
    stronger = Rules(weights={SignalKind.CONVERSATION: 2.0})
    assert not in_unfollow_candidates(rel, None, evaluate(quiet, rel, i_wrote, NOW, stronger), NOW, stronger)


@pytest.mark.parametrize(
    ("rules", "account", "kind", "fires"),
    [
        (Rules(newcomer_days=10), person(created_at=NOW - timedelta(days=20)), SignalKind.NEWCOMER, False),
        (Rules(newcomer_days=30), person(created_at=NOW - timedelta(days=20)), SignalKind.NEWCOMER, True),
        (Rules(newcomer_followers=501), person(followers_count=500), SignalKind.NEWCOMER, True),
        (Rules(newcomer_followers=0), person(followers_count=0), SignalKind.NEWCOMER, False),
        (Rules(egg_posts=2), person(profile_image_url=EGG_AVATAR, tweet_count=5, posts=()), SignalKind.EGG, True),
        (Rules(inactive_days=30), person(posts=(post(days_ago=40),)), SignalKind.INACTIVE, True),
        (
            Rules(inactive_days=3650),
            person(posts=(), tweet_count=0),
            SignalKind.INACTIVE,
            False,
        ),  # joined 3000 days ago
        (Rules(), person(posts=(), tweet_count=0), SignalKind.INACTIVE, True),
        (
            Rules(checkin_share=0.9),
            person(posts=(post("I'm at X"), post("I'm at Y"), post())),
            SignalKind.CHECKIN,
            False,
        ),
        (Rules(checkin_min=1), person(posts=(post("I'm at the gym"),)), SignalKind.CHECKIN, True),
        (Rules(high_volume_per_day=5), person(tweet_count=18_000), SignalKind.HIGH_VOLUME, True),  # 6 a day
        (Rules(), person(tweet_count=18_000), SignalKind.HIGH_VOLUME, False),
    ],
)
def test_every_limit_is_a_rule(rules: Rules, account: Account, kind: SignalKind, fires: bool) -> None:
    assert (kind in kinds(account, rules=rules)) is fires


def test_absent_is_not_zero_no_signal_fires_on_a_field_x_did_not_send() -> None:
    assert kinds(UNKNOWN) == set()  # no egg from a missing picture, no "never posted", no "small account"
    egg_unknown_posts = replace(UNKNOWN, profile_image_url=EGG_AVATAR, description="Hi")
    assert the(egg_unknown_posts, SignalKind.EGG).sentence == "Egg account: default avatar."
    assert found(replace(UNKNOWN, created_at=NOW - timedelta(days=5)), SignalKind.HIGH_VOLUME) is None
    assert found(replace(UNKNOWN, tweet_count=0), SignalKind.INACTIVE) is None  # joined when? not known
    assert the(replace(UNKNOWN, tweet_count=0, created_at=NOW - timedelta(days=900)), SignalKind.INACTIVE)


def test_egg_posts_rule_counts_lifetime_posts() -> None:
    few = person(profile_image_url=EGG_AVATAR, tweet_count=5, posts=())
    assert "almost no posts" in the(few, SignalKind.EGG).sentence
    assert "almost no posts" not in the(few, SignalKind.EGG, Rules(egg_posts=2)).sentence


def test_an_account_known_only_by_id_is_weighted_too() -> None:
    unknown = Account(id="7", username="", hydrated=False)
    rel = Relationship("7", following=True)
    assert [s.kind for s in evaluate(unknown, rel, Conversation(), NOW)] == [SignalKind.NOT_FOLLOWING_BACK]
    off = Rules(weights={SignalKind.NOT_FOLLOWING_BACK: 0})
    assert evaluate(unknown, rel, Conversation(), NOW, off) == []
