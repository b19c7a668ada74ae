"""Suggested lists, by place (the location field) and by topic (bio keywords and hashtags). Pure: no store, no UI.

Places: a location is cleaned (emoji, flags, URLs and "(asides)" go), split into alternatives ("Berlin | Paris",
"NYC / LA") and each of those into parts, most specific first ("Kreuzberg, Berlin", "Berlin · DE"). Parts are
compared casefolded and without Latin accents, a few well-known aliases are merged (NYC, Lisboa, 東京), and
non-places are dropped ("the internet", "Earth", pronouns, "somewhere with coffee"). Each alternative joins the
group of every part that at least ``MIN_GROUP`` people give first, or else the part most people give at all.

Topics: hashtags and bio words, without stop words and generic bio words; a small table merges obvious
synonyms (#rustlang, Rustacean -> Rust; birder, birding -> Birding). A group needs ``MIN_GROUP`` people.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from followtui.domain.models import ListInfo
from followtui.domain.text import clean

MIN_GROUP = 3  # people a suggestion needs
MAX_NAME = 25  # X's limit for a list name

Kind = Literal["place", "topic"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


Term = tuple[str, str]  # (key, spelling)


@dataclass(frozen=True, slots=True)
class Profile:
    """What suggestions read of one account."""

    account_id: str
    location: str = ""
    bio: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A list to make, or an existing list to fill (``list_id``: then ``account_ids`` are not on it yet)."""

    kind: Kind
    name: str  # the proposed list name, at most 25 characters: "Berlin", "Rust"
    account_ids: tuple[str, ...]  # who would go on it
    reason: str  # "12 people give Berlin as their location"
    list_id: str | None = None


def suggest(profiles: Iterable[Profile], lists: Iterable[ListInfo] = ()) -> list[Suggestion]:
    """Place and topic suggestions over ``profiles``, largest first; ``lists`` are the user's own lists."""
    profiles = list(profiles)
    seen: set[str] = set()
    places = place_groups(profiles, seen)
    topics = topic_groups(profiles, exclude=seen)  # "Nurse in Lisbon": Lisbon is a place, not a topic
    lists = list(lists)
    out = [
        s
        for kind, groups in (("place", places), ("topic", topics))
        for key, (name, ids) in groups.items()
        if (s := _suggestion(kind, key, name, ids, lists)) is not None  # type: ignore[arg-type]
    ]
    out.sort(key=lambda s: (-len(s.account_ids), s.kind, s.name.casefold()))
    return out


# -- places -----------------------------------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)\S*|\S+\.(?:com|net|org|io|dev|me|co|app|xyz|social|link)(?:/\S*)?\b", re.I)
_ASIDE = re.compile(r"\([^)]*\)?|\[[^\]]*\]?|\{[^}]*\}?")
_ALTERNATIVES = re.compile(r"\s*(?:[|/&+;→←↔⇄⇆✈]|\s(?:x|via)\s)\s*", re.I)
_LEVELS = re.compile(r"\s*(?:[,·•‧、]|\s[-–—]\s|[–—])\s*")

PLACE_ALIASES = {
    "nyc": "New York",
    "ny": "New York",
    "new york city": "New York",
    "new york ny": "New York",
    "sf": "San Francisco",
    "san fran": "San Francisco",
    "la": "Los Angeles",
    "washington dc": "Washington DC",
    "dc": "Washington DC",
    "lisboa": "Lisbon",
    "munchen": "Munich",
    "muenchen": "Munich",
    "wien": "Vienna",
    "koln": "Cologne",
    "praha": "Prague",
    "warszawa": "Warsaw",
    "roma": "Rome",
    "kobenhavn": "Copenhagen",
    "goteborg": "Gothenburg",
    "bruxelles": "Brussels",
    "brussel": "Brussels",
    "cdmx": "Mexico City",
    "ciudad de mexico": "Mexico City",
    "bangalore": "Bengaluru",
    "bombay": "Mumbai",
    "東京": "Tokyo",
    "東京都": "Tokyo",
    "大阪": "Osaka",
    "京都": "Kyoto",
    "서울": "Seoul",
    "北京": "Beijing",
    "上海": "Shanghai",
}
# addresses written without separators ("東京都渋谷区"): the city is the start
_PREFIX_ALIASES = {"東京": "Tokyo", "大阪": "Osaka", "京都": "Kyoto"}
_PRONOUNS = _words("he him his she her hers they them their theirs xe xem xir ze zir hir it its any all")
NOT_PLACES = frozenset(
    {
        "the internet",
        "internet",
        "online",
        "offline",
        "remote",
        "earth",
        "planet earth",
        "the world",
        "world",
        "worldwide",
        "global",
        "everywhere",
        "anywhere",
        "nowhere",
        "somewhere",
        "here",
        "there",
        "home",
        "the moon",
        "moon",
        "mars",
        "space",
        "outer space",
        "universe",
        "the universe",
        "cyberspace",
        "metaverse",
        "the cloud",
        "localhost",
        "the void",
        "void",
        "n a",
        "na",
        "none",
        "unknown",
        "hell",
        "heaven",
        "dms",
        "dm",
        "bio",
        "link in bio",
    }
)
_NOT_PLACE_WORDS = _words(
    "internet earth orbit planet universe timeline cyberspace metaverse online worldwide everywhere somewhere "
    "anywhere nowhere galaxy dreams heart head spirit vibes dms"
)
_NOT_PLACE_FIRST = _words(
    "your my our his her their in on at between behind under inside outside near probably currently mostly "
    "usually sometimes always living lost stuck travelling traveling wherever somewhere"
)


def place_groups(profiles: Sequence[Profile], seen: set[str] | None = None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Place key -> (display name, account IDs) for every place at least ``MIN_GROUP`` people give.

    ``seen``, if given, receives the key of every place found, grouped or not.
    """
    parsed = [(p.account_id, places(p.location)) for p in profiles]
    first: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for _, alternatives in parsed:
        first.update({parts[0][0] for parts in alternatives})
        anywhere.update({key for parts in alternatives for key, _ in parts})
    if seen is not None:
        seen.update(anywhere)
    members: dict[str, dict[str, None]] = {}
    spellings: dict[str, Counter[str]] = {}
    for account_id, alternatives in parsed:
        for parts in alternatives:
            for key, shown in _joins(parts, first, anywhere):
                members.setdefault(key, {})[account_id] = None
                spellings.setdefault(key, Counter())[shown] += 1
    return {
        key: (_display(spellings[key]), tuple(ids))
        for key, ids in members.items()
        if len(ids) >= MIN_GROUP and len(_display(spellings[key])) <= MAX_NAME
    }


def _joins(parts: Sequence[Term], first: Counter[str], anywhere: Counter[str]) -> list[Term]:
    """The groups one alternative joins: each of its parts that ``MIN_GROUP`` people give first ("Kreuzberg,
    Berlin" joins Kreuzberg and Berlin), or else the part most people give anywhere ("Germany")."""
    joined = [part for part in parts if first[part[0]] >= MIN_GROUP]
    if joined:
        return joined
    best = max(parts, key=lambda part: anywhere[part[0]])
    return [best] if anywhere[best[0]] >= MIN_GROUP else []


@functools.lru_cache(maxsize=1 << 14)  # the same few locations come back over and over
def places(location: str) -> tuple[tuple[Term, ...], ...]:
    """The places in a location field: per alternative, its parts (key, spelling), most specific first."""
    text = _URL.sub("|", _safe(location))
    text = _ASIDE.sub(" ", text)
    out: list[tuple[Term, ...]] = []
    for alternative in _ALTERNATIVES.split(text):
        alternative = "".join(" " if unicodedata.category(c)[0] == "S" else c for c in alternative)
        whole = _key(alternative)
        if whole in PLACE_ALIASES:
            out.append(((_key(PLACE_ALIASES[whole]), PLACE_ALIASES[whole]),))
            continue
        parts: list[tuple[str, str]] = []
        for level in _LEVELS.split(alternative):
            part = _place(level)
            if part is None:
                continue
            parts.append(part)
            if "-" in part[1]:  # "Berlin-Neukölln": its pieces count too, after it
                parts += [p for piece in part[1].split("-") if (p := _place(piece)) is not None]
        if parts:
            out.append(tuple(dict.fromkeys(parts)))
    return tuple(out)


def _place(text: str) -> tuple[str, str] | None:
    """One part of a location as (key, spelling), or None when it is no place."""
    shown = " ".join(w for w in text.split() if any(c.isalpha() for c in w)).strip(_EDGE)  # "10115 Berlin"
    key = _key(shown)
    key = key[4:] if key.startswith("the ") else key  # "the Bay Area" is the Bay Area
    if key in PLACE_ALIASES:
        return _key(PLACE_ALIASES[key]), PLACE_ALIASES[key]
    for prefix, name in _PREFIX_ALIASES.items():
        if key.startswith(prefix):
            return _key(name), name
    words = key.split()
    if (
        len(key) < 2
        or len(shown) > MAX_NAME
        or "@" in shown
        or not any(c.isalpha() for c in key)
        or key in NOT_PLACES
        or all(w in _PRONOUNS for w in words)
        or words[0] in _NOT_PLACE_FIRST
        or not _NOT_PLACE_WORDS.isdisjoint(words)
    ):
        return None
    return key, shown


# -- topics -----------------------------------------------------------------------------------------------

_HASHTAG = re.compile(r"(?<![\w&])#(\w{2,})")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")

TOPIC_ALIASES = {
    **dict.fromkeys(["rust", "rustlang", "rustacean", "rustaceans"], "Rust"),
    **dict.fromkeys(["python", "pythonista", "pythonistas", "pydata"], "Python"),
    **dict.fromkeys(["javascript", "js"], "JavaScript"),
    **dict.fromkeys(["typescript"], "TypeScript"),
    **dict.fromkeys(["golang"], "Go"),
    **dict.fromkeys(["bird", "birds", "birder", "birders", "birding", "birdwatching", "birdwatcher"], "Birding"),
    **dict.fromkeys(["climate", "climatechange", "climatecrisis", "climateaction"], "Climate"),
    **dict.fromkeys(["ai", "machinelearning", "ml", "deeplearning", "llm", "llms"], "AI"),
    **dict.fromkeys(["photographer", "photography", "photos"], "Photography"),
    **dict.fromkeys(["cyclist", "cycling", "bike", "bikes"], "Cycling"),
    **dict.fromkeys(["runner", "running", "marathon", "parkrun"], "Running"),
    **dict.fromkeys(["baker", "baking", "sourdough"], "Baking"),
    **dict.fromkeys(["hiker", "hiking"], "Hiking"),
    **dict.fromkeys(["boulderer", "bouldering", "climber", "climbing"], "Climbing"),
    **dict.fromkeys(["gardener", "gardening", "allotment"], "Gardening"),
    **dict.fromkeys(["knitter", "knitting"], "Knitting"),
    **dict.fromkeys(["bookworm", "books", "reading", "reader"], "Books"),
    **dict.fromkeys(["cook", "cooking"], "Cooking"),
    **dict.fromkeys(["vinyl"], "Vinyl"),
    **dict.fromkeys(["chess"], "Chess"),
    **dict.fromkeys(["opensource", "oss", "foss"], "Open source"),
    **dict.fromkeys(["a11y", "accessibility"], "Accessibility"),
    **dict.fromkeys(["gamedev"], "Game development"),
}
# Function words (several languages) and words that say nothing about a topic.
STOP_WORDS = _words(
    """
    a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each else ever every few for from further had has have
    having here how however i if in into is it its just like may me might more most much must my myself no nor not
    now of off on once only or other our ours out over own per same she should so some such than that the their
    theirs them then there these they this those through to too under until up upon very via was we were what when
    where which while who whom why will with within without would yet you your yours
    he him his her hers xe xem ze zir any
    und der die das den dem des ein eine einer ich du er sie wir ihr mit für fur von auf ist nicht bei aus zu im
    am als auch oder aber nur noch wie mein meine
    et le la les un une du de des en pour avec sur je tu il elle nous vous est au aux ou mais par dans ce ces mon ma mes
    y el los las del una por para con es mi mis que se su sus lo al muy
    e o os as do da dos das um uma em no na nos nas com é eu meu minha
    il lo gli di che non per una sono
    een het van en ik je op te dat voor met zijn niet
    """
)
GENERIC_WORDS = _words(
    """
    love lover lovers loves loving life living lives dad mom mum father mother husband wife parent parents kids
    opinions opinion views thoughts tweets tweet posts post retweets rts endorsement endorsements fan fans
    enthusiast enthusiasts account official personal based working work works worker currently former ex new news
    things stuff making make made building build writing write writes day days daily time times night nights
    weekend weekends weekday weekdays always sometimes mostly often everything nothing someone something good best
    great better nice free full part team member people person human humans world way lot lots bit little big
    coffee tea beer wine pizza too much many more addict hoarder collector amateur professional aspiring
    hobbyist passionate proud happy hi hello welcome follow following followers link bio here there
    see views day-to-day mine own forever still yet ever really trying bad lapsed replying learning former
    retired covering home one two three four five six seven eight nine ten first second third last next every inc ltd
    """
)
COMMON_SHARE = 0.25  # a word in more bios than this (with 40 or more of them) says little


def topic_groups(profiles: Sequence[Profile], exclude: Iterable[str] = ()) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Topic key -> (display name, account IDs) for every topic at least ``MIN_GROUP`` people share.

    Two words that stand together in ``MIN_GROUP`` bios or more ("product manager", "film buff") are one topic,
    and then not two; ``exclude`` holds place keys: a place is no topic ("Nurse in Lisbon").
    """
    excluded = set(exclude)
    place_words = {word for key in excluded for word in key.split()}
    terms = [(p.account_id, bio_terms(p.bio)) for p in profiles]
    pairs: Counter[str] = Counter()
    for _, (_, runs) in terms:
        pairs.update({f"{a[0]} {b[0]}" for run in runs for a, b in itertools.pairwise(run)})
    members: dict[str, dict[str, None]] = {}
    spellings: dict[str, Counter[str]] = {}

    def add(account_id: str, key: str, shown: str) -> None:
        members.setdefault(key, {})[account_id] = None
        spellings.setdefault(key, Counter())[shown] += 1

    for account_id, (fixed, runs) in terms:
        found = dict(fixed)
        for run in runs:
            for phrase in _phrases(run, pairs):
                key = " ".join(k for k, _ in phrase)
                found.setdefault(key, " ".join(w for _, w in phrase))
        for key, shown in found.items():
            add(account_id, key, shown)
    for key in [k for k in members if k.endswith("s") and not k.endswith("ss") and k[:-1] in members]:
        members[key[:-1]].update(members.pop(key))  # "engineers" counts as "engineer"
        spellings[key[:-1]].update(spellings.pop(key))
    bios = sum(1 for p in profiles if p.bio.strip())
    too_common = COMMON_SHARE * bios if bios >= 40 else float("inf")
    out = {}
    for key, ids in members.items():
        if len(ids) < MIN_GROUP or (len(ids) > too_common and key not in _TOPIC_KEYS):
            continue
        name = _display(spellings[key])
        place = _place(name)
        if len(name) > MAX_NAME or (place is not None and place[0] in excluded):
            continue
        if not place_words.isdisjoint(_key(name).split()):  # "Port Harcourt", "Hồ Chí Minh City": a place's words
            continue
        out[key] = (name, tuple(ids))
    return out


def _phrases(run: list[Term], pairs: Counter[str]) -> list[list[Term]]:
    """A run cut into phrases: words joined where their pair is frequent ("primary school teacher")."""
    out = [[run[0]]]
    for a, b in itertools.pairwise(run):
        if pairs[f"{a[0]} {b[0]}"] >= MIN_GROUP:
            out[-1].append(b)
        else:
            out.append([b])
    return out


_TOPIC_KEYS = frozenset(name.casefold() for name in TOPIC_ALIASES.values())
_BREAK = re.compile(r"[.,;:!?·•|/()\[\]{}\"“”«»]+|\s[-–—]\s")


def bio_terms(bio: str) -> tuple[list[Term], list[list[Term]]]:
    """The topic words of a bio: hashtags and known topics (synonyms merged), then the runs of other words.

    A run is words that stand next to each other with no stop word or punctuation between them.
    """
    text = _URL.sub(" ", _safe(bio))
    fixed: list[Term] = []
    for tag in _HASHTAG.findall(text):
        key = tag.casefold()
        alias = TOPIC_ALIASES.get(key)
        if alias is not None:
            fixed.append((alias.casefold(), alias))
        elif not key.isdigit() and len(tag) <= MAX_NAME:
            fixed.append((key, tag))
    runs: list[list[Term]] = []
    for chunk in _BREAK.split(_HASHTAG.sub(" , ", text)):
        run: list[Term] = []
        for token in chunk.split():
            word = (token[:-2] if token.endswith(("'s", "’s")) else token).strip(_EDGE)
            key = word.casefold()
            alias = TOPIC_ALIASES.get(key)
            if alias is not None:
                fixed.append((alias.casefold(), alias))
            elif (
                _WORD.fullmatch(word)
                and len(key) >= 3
                and len(word) <= MAX_NAME
                and key not in STOP_WORDS
                and key not in GENERIC_WORDS
            ):
                run.append((key, word))
                continue
            if run:
                runs.append(run)
            run = []
        if run:
            runs.append(run)
    return fixed, runs


# -- shared -----------------------------------------------------------------------------------------------

_EDGE = " \t.,;:!?'\"`´‘’“”«»-–—_*~()[]{}<>#"


def _safe(text: str) -> str:
    """Untrusted text without escape sequences or control characters (``clean`` only when needed: it is slow)."""
    if not text.isprintable():  # and then no format, private-use or unassigned characters either
        text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in clean(text, keep_newlines=False))
    return unicodedata.normalize("NFKC", text)


def _key(text: str) -> str:
    """How names are compared: casefolded, Latin accents dropped, "." gone, other punctuation a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    previous = ""
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" and previous.isascii():
            continue  # an accent on a Latin letter: "Zürich" = "Zurich"
        if char == ".":
            continue
        kept.append(" " if category[0] in "PSZC" else char)
        previous = char
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).casefold().split())


def _display(spellings: Counter[str]) -> str:
    """The most common spelling (the first seen on a tie), capitalised if everyone wrote it in lower case."""
    shown = max(spellings, key=lambda s: (spellings[s], s != s.lower()))
    return shown[:1].upper() + shown[1:] if shown == shown.lower() else shown


def _suggestion(kind: Kind, key: str, name: str, ids: tuple[str, ...], lists: Sequence[ListInfo]) -> Suggestion | None:
    existing = _matching_list(key, lists)
    if existing is None:
        return Suggestion(kind, name, ids, _reason(kind, name, len(ids)), None)
    on = set(existing.member_ids)
    missing = tuple(i for i in ids if i not in on)
    if not missing:
        return None
    reason = f"{_reason(kind, name, len(missing))}, not on {existing.name} yet"
    return Suggestion(kind, existing.name, missing, reason, existing.id)


def _matching_list(key: str, lists: Sequence[ListInfo]) -> ListInfo | None:
    """The user's list named like the group ("Rust"), or else one whose name starts with it ("Rust folks")."""
    named = [(info, _key(info.name)) for info in lists]
    for info, list_key in named:
        if list_key == key:
            return info
    for info, list_key in named:
        if list_key.split(" ", 1)[0] == key:
            return info
    return None


def _reason(kind: Kind, name: str, n: int) -> str:
    people = "1 person" if n == 1 else f"{n} people"
    if kind == "place":
        return f"{people} give{'s' if n == 1 else ''} {name} as their location"
    return f"{people} mention{'s' if n == 1 else ''} {name} in their bio"
