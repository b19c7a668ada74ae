"""Suggested lists by place and by topic (``domain.suggest``), and ``Triage.suggestions`` over the demo."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from followtui.demo.texts import ODD_PLACES
from followtui.domain.models import DecisionKind, ListInfo
from followtui.domain.suggest import MAX_NAME, MIN_GROUP, Profile, Suggestion, places, suggest
from followtui.services.session import Session
from followtui.services.triage import Triage
from followtui.store import Store
from tests.factories import FakeClock, present, sample_graph
from tests.writes import make_writes


def located(*locations: str) -> list[Profile]:
    return [Profile(str(100 + i), location=loc) for i, loc in enumerate(locations)]


def bios(*texts: str) -> list[Profile]:
    return [Profile(str(200 + i), bio=text) for i, text in enumerate(texts)]


def named(found: list[Suggestion], name: str) -> Suggestion:
    (hit,) = [s for s in found if s.name == name]
    return hit


# -- places ------------------------------------------------------------------------------------------------


def test_spellings_of_one_city_are_one_group_named_after_it() -> None:
    profiles = located(
        "Berlin",
        "berlin, germany",
        "Berlin 🇩🇪",
        "Berlin · DE",
        "📍 BERLIN",
        "10115 Berlin",
        "Kreuzberg, Berlin",
        "Berlin-Neukölln",
    )
    (berlin,) = suggest(profiles)
    assert berlin == Suggestion(
        "place", "Berlin", tuple(p.account_id for p in profiles), "8 people give Berlin as their location"
    )


def test_alternatives_join_every_place_they_name() -> None:
    found = suggest(located("Berlin | Paris", "Paris / Berlin", "Berlin & Paris", "Paris"))
    assert named(found, "Paris").account_ids == ("100", "101", "102", "103")
    assert named(found, "Berlin").account_ids == ("100", "101", "102")


def test_a_few_well_known_aliases_merge_and_the_rest_stay_apart() -> None:
    found = suggest(
        located(
            "NYC",
            "New York City",
            "new york, ny",
            "SF",
            "San Fran",
            "San Francisco, CA",
            "Bay Area",
            "Bay Area, CA",
            "the bay area",
            "Lisboa",
            "Lisbon 🇵🇹",
            "Lisboa, Portugal",
            "東京",
            "東京都渋谷区",
            "Tokyo, Japan",
        )
    )
    assert {s.name: len(s.account_ids) for s in found} == {
        "New York": 3,
        "San Francisco": 3,
        "Bay Area": 3,
        "Lisbon": 3,
        "Tokyo": 3,
    }


def test_a_place_given_only_after_a_comma_still_groups() -> None:
    found = suggest(located("Leipzig, Germany", "Hamburg, Germany", "Köln, Germany"))
    assert [(s.name, len(s.account_ids)) for s in found] == [("Germany", 3)]


def test_non_places_never_become_suggestions() -> None:
    odd = [
        *ODD_PLACES,
        "Earth",
        "Planet Earth",
        "Everywhere",
        "he/him",
        "she/her · they/them",
        "https://example.com",
        "www.example.org",
        "@someone",
        "🌍🌎🌏",
        "",
        "   ",
        "52.52, 13.40",
        "Online",
        "127.0.0.1",
    ]
    assert suggest(located(*odd * 5)) == []
    assert all(places(text) == () for text in odd)


def test_places_are_cleaned_of_terminal_tricks() -> None:
    found = suggest(located("\x1b]0;pwned\x07Oslo", "\u202eOslo", "Oslo\x1b[2J", "O\u0000slo"))
    assert [(s.name, len(s.account_ids)) for s in found] == [("Oslo", 4)]


def test_two_people_are_not_a_group() -> None:
    assert suggest(located("Cardiff", "Cardiff, Wales")) == []
    assert MIN_GROUP == 3


def test_names_longer_than_x_allows_are_dropped() -> None:
    long_place = "Llanfairpwllgwyngyllgogerychwyrndrobwll"
    assert suggest(located(long_place, long_place, long_place)) == []


# -- topics ------------------------------------------------------------------------------------------------


def test_hashtags_and_synonyms_make_one_topic() -> None:
    found = suggest(bios("Writing #rustlang at night", "Rustacean: compilers", "Rust 🦀 and coffee", "#RustLang fan"))
    assert named(found, "Rust").account_ids == ("200", "201", "202", "203")
    assert named(found, "Rust").reason == "4 people mention Rust in their bio"


def test_an_unknown_hashtag_is_its_own_topic_in_its_usual_spelling() -> None:
    found = suggest(bios("#PyCon speaker", "see you at #PyCon", "#pycon organiser"))
    assert named(found, "PyCon").account_ids == ("200", "201", "202")


def test_stop_words_and_generic_bio_words_are_no_topics() -> None:
    generic = "Dad of two. Views my own. Coffee first. Opinions are mine. Love life. He/him."
    assert suggest(bios(*[generic] * 6)) == []


def test_words_that_go_together_are_one_topic() -> None:
    found = suggest(bios("Product manager at a bank", "Product manager, dog person", "Ex product manager."))
    assert [s.name for s in found] == ["Product manager"]


def test_a_place_in_a_bio_is_not_a_topic() -> None:
    profiles = [
        Profile("1", "Lisbon", "Nurse in Lisbon"),
        Profile("2", "Lisboa", "Chef in Lisbon"),
        Profile("3", "Lisbon, Portugal", "Pilot. Lisbon."),
    ]
    assert [(s.kind, s.name) for s in suggest(profiles)] == [("place", "Lisbon")]


# -- existing lists ----------------------------------------------------------------------------------------


def test_a_group_with_a_list_of_its_name_suggests_only_who_is_missing() -> None:
    profiles = bios("Rust dev", "Rust dev too", "#rustlang", "Rustacean")
    lists = [ListInfo("9", "Rust folks", member_ids=("200", "201")), ListInfo("8", "Birds")]
    (rust,) = suggest(profiles, lists)
    assert (rust.name, rust.list_id, rust.account_ids) == ("Rust folks", "9", ("202", "203"))
    assert rust.reason == "2 people mention Rust in their bio, not on Rust folks yet"
    full = replace(lists[0], member_ids=("200", "201", "202", "203"))
    assert suggest(profiles, [full]) == []


def test_an_exact_name_wins_over_a_name_that_starts_with_it() -> None:
    lists = [ListInfo("1", "Oslo friends"), ListInfo("2", "oslo")]
    (oslo,) = suggest(located("Oslo", "Oslo", "Oslo"), lists)
    assert oslo.list_id == "2"


# -- any input ---------------------------------------------------------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(list("|/,·-#@ ")), max_size=60
)
_PROFILE_TEXT = st.one_of(
    _TEXT, st.sampled_from(["Berlin", "berlin, germany", "NYC", "#rustlang", "Rust", "🌍", "he/him", *ODD_PLACES])
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_PROFILE_TEXT, _PROFILE_TEXT), max_size=25))
def test_any_profiles_give_sound_suggestions(pairs: list[tuple[str, str]]) -> None:
    profiles = [Profile(str(i), loc, bio) for i, (loc, bio) in enumerate(pairs)]
    found = suggest(profiles)
    sizes = [len(s.account_ids) for s in found]
    assert sizes == sorted(sizes, reverse=True)
    for s in found:
        assert s.kind in ("place", "topic") and s.list_id is None
        assert s.name.strip() and len(s.name) <= MAX_NAME and s.name.isprintable()
        assert len(set(s.account_ids)) == len(s.account_ids) >= MIN_GROUP
        assert set(s.account_ids) <= {p.account_id for p in profiles}
    assert not {s.name.casefold() for s in found} & {o.casefold() for o in ODD_PLACES}


# -- over the store ----------------------------------------------------------------------------------------


def test_suggestions_cover_who_you_follow_and_followers_you_chose_to_follow_back(
    store: Store, clock: FakeClock
) -> None:
    graph = sample_graph(8)  # 1002, 1004, 1006, 1008 follow you; you follow 1003 and 1006
    graph["accounts"] = [replace(a, location="Oslo") for a in graph["accounts"]]
    store.replace_graph(**graph)
    actions = make_writes(store, _NoCalls(), clock)
    triage = Triage(store, clock)
    assert triage.suggestions() == []  # two people you follow
    actions.decisions.decide("1002", DecisionKind.FOLLOW)
    actions.decisions.decide("1004", DecisionKind.SKIP)
    (oslo,) = triage.suggestions()
    assert (oslo.name, oslo.account_ids) == ("Oslo", ("1002", "1003", "1006"))


class _NoCalls:
    """A backend that is never reached (these tests send nothing)."""

    name = "none"

    def __getattr__(self, name: str) -> Any:  # Any: stands in for every Backend member
        raise AssertionError(f"unexpected call {name}")


def test_the_demo_suggests_places_and_topics_and_none_of_its_odd_places(demo_session: Session) -> None:
    store, triage = demo_session.store, demo_session.triage
    found = triage.suggestions()
    kinds = {s.kind for s in found}
    assert kinds == {"place", "topic"}
    names = {s.name for s in found}
    assert not {n.casefold() for n in names} & {o.casefold() for o in ODD_PLACES}
    assert {"Cycling", "Kreuzberg", "Seoul"} <= names
    followed = {r.account_id for r in store.relationships() if r.following}
    decided = {a for a, d in store.decisions().items() if d.kind is DecisionKind.FOLLOW}
    lists = {info.id: info for info in store.lists()}
    for s in found:
        assert set(s.account_ids) <= followed | decided and len(s.name) <= MAX_NAME
        if s.list_id is not None:  # an existing list: only who is not on it yet
            assert s.name == lists[s.list_id].name and not set(s.account_ids) & set(lists[s.list_id].member_ids)
    tokyo = next(s for s in found if s.list_id == next(i for i, info in lists.items() if info.name == "Tokyo"))
    assert tokyo.kind == "place" and tokyo.account_ids
    cycling = next(s for s in found if s.name == "Cycling")
    assert all(
        any(word in (present(store.account(i)).description or "").casefold() for word in ("cycl", "bike"))
        for i in cycling.account_ids
    )


def test_acting_on_a_suggestion_fills_the_list(demo_session: Session) -> None:
    triage, actions = demo_session.triage, demo_session
    place = next(s for s in triage.suggestions() if s.kind == "place" and s.list_id is None)
    info = actions.lists.create_list(place.name)
    queued = actions.lists.change_membership(place.account_ids, info.id, add=True)
    assert len(queued) == len(place.account_ids)
    assert place.name not in {s.name for s in triage.suggestions()}  # done: nobody left to add
