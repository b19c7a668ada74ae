"""A deterministic fake social graph for the offline demo.

``generate(now, seed)`` is pure: every choice comes from one ``random.Random(seed)`` and every time is
relative to ``now``, so the same arguments always give the same graph.
"""

from __future__ import annotations

import enum
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from followtui.domain.models import (
    Account,
    AccountState,
    ListInfo,
    Me,
    Post,
    Relationship,
    VerifiedType,
)

DEMO_SEED = 2026
DEFAULT_AVATAR_URL = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"

_TWITTER_EPOCH_MS = 1288834974657
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)
_HOUR = 3_600_000
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
_ME = Me(id="1000", username="ada_demo", name="Ada Lovelace (demo)")


@dataclass(frozen=True, slots=True)
class DemoGraph:
    """Everything the demo backend serves, as of ``last_sync``."""

    me: Me
    accounts: tuple[Account, ...]
    relationships: tuple[Relationship, ...]
    lists: tuple[ListInfo, ...]
    mentions: tuple[Post, ...]
    my_posts: tuple[Post, ...]
    previous_sync: datetime
    last_sync: datetime


def generate(now: datetime, seed: int = DEMO_SEED) -> DemoGraph:
    """Build the demo graph as seen at ``now`` (naive times are taken as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return _Builder(now, random.Random(seed)).build()


def snowflake(ms: int, seq: int) -> str:
    """An X-style ID whose embedded time is ``ms`` (Unix milliseconds)."""
    return str(((ms - _TWITTER_EPOCH_MS) << 22) | (seq & 0x3FFFFF))


def _ms(t: datetime) -> int:
    return (t - _UNIX) // timedelta(milliseconds=1)


def _dt(ms: int) -> datetime:
    return _UNIX + timedelta(milliseconds=ms)


def _post_ms(post: Post) -> int:
    return (int(post.id) >> 22) + _TWITTER_EPOCH_MS


# --------------------------------------------------------------------------------------------- the plan


class _Bucket(enum.Enum):
    """How an account relates to me."""

    NEW_FOLLOWER = "new follower, not followed back"
    NEW_MUTUAL = "new follower, already followed"
    FOLLOWER = "older follower, not followed back"
    MUTUAL = "older follower, followed"
    FOLLOWING = "followed, not a follower"
    LEFT = "unfollowed me"


class _Kind(enum.Enum):
    ORDINARY = "ordinary"
    NEWCOMER = "newcomer"
    EGG = "egg"
    ORG = "organisation"
    CHECKIN = "check-in poster"
    TALKER = "talks with me"
    MENTIONER = "only mentions me"
    INACTIVE = "inactive"
    PROTECTED = "protected"
    SUSPENDED = "suspended"
    DELETED = "deleted"
    CELEB = "celebrity"


class _Hard(enum.Enum):
    CJK = "cjk"
    RTL = "rtl"
    EMOJI = "emoji"
    COMBINING = "combining"
    LONG_BIO = "long bio"
    MARKUP = "markup"
    ESCAPE = "escape"


_B = _Bucket
_K = _Kind

_BUCKET_SIZES = {
    _B.NEW_FOLLOWER: 56,
    _B.NEW_MUTUAL: 6,
    _B.FOLLOWER: 118,
    _B.MUTUAL: 172,
    _B.FOLLOWING: 245,
    _B.LEFT: 16,
}

_KIND_PLAN: dict[_Kind, dict[_Bucket, int]] = {
    _K.NEWCOMER: {_B.NEW_FOLLOWER: 8, _B.FOLLOWER: 2, _B.FOLLOWING: 2, _B.MUTUAL: 1},
    _K.EGG: {_B.NEW_FOLLOWER: 8, _B.FOLLOWER: 5, _B.FOLLOWING: 1},
    _K.ORG: {_B.NEW_FOLLOWER: 4, _B.FOLLOWER: 4, _B.FOLLOWING: 8, _B.MUTUAL: 2},
    _K.CHECKIN: {_B.NEW_FOLLOWER: 5, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.MUTUAL: 3},
    _K.TALKER: {_B.NEW_FOLLOWER: 2, _B.NEW_MUTUAL: 1, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.MUTUAL: 13},
    _K.MENTIONER: {_B.NEW_FOLLOWER: 3, _B.FOLLOWER: 3, _B.FOLLOWING: 1, _B.MUTUAL: 2},
    _K.INACTIVE: {_B.FOLLOWER: 4, _B.FOLLOWING: 10, _B.MUTUAL: 4, _B.LEFT: 2},
    _K.PROTECTED: {_B.NEW_FOLLOWER: 2, _B.FOLLOWER: 3, _B.FOLLOWING: 3, _B.LEFT: 2},
    _K.SUSPENDED: {_B.FOLLOWING: 4, _B.LEFT: 3},
    _K.DELETED: {_B.FOLLOWING: 3, _B.LEFT: 3},
    _K.CELEB: {_B.FOLLOWING: 6, _B.MUTUAL: 1},
}

# Kinds whose profile can carry a hard-text overlay without losing what makes them that kind.
_OVERLAY_KINDS = (_K.ORDINARY, _K.NEWCOMER, _K.TALKER, _K.MENTIONER, _K.CHECKIN)


@dataclass(frozen=True, slots=True)
class _Theme:
    """An owned list and what its members look like."""

    name: str
    description: str
    private: bool
    size: int
    places: tuple[str, ...] = ()  # locations of members (place lists)
    bios: tuple[str, ...] = ()  # bio openings of members (topic lists)
    posts: tuple[str, ...] = ()
    culture: str | None = None


@dataclass(slots=True)
class _Slot:
    bucket: _Bucket
    kind: _Kind
    theme: _Theme | None = None
    hard: _Hard | None = None


@dataclass(slots=True)
class _Draft:
    """An account under construction."""

    username: str
    name: str
    created_ms: int
    id: str = ""  # assigned last, from the final creation time
    description: str = ""
    location: str = ""
    url: str = ""
    avatar: str = ""
    protected: bool = False
    verified_type: str = VerifiedType.NONE
    followers: int = 0
    following: int = 0
    tweets: int = 0
    listed: int = 0
    state: AccountState = AccountState.ACTIVE
    n_posts: int = 0
    newest_ago: int = 0  # ms before now of the newest post
    span: int = 30 * _DAY  # how far back the posts reach from the newest
    lead: list[str] = field(default_factory=list)  # texts of the newest posts, in order
    lines: list[str] = field(default_factory=list)  # other post texts to pick from
    mentions_me: int = 0  # how many of the posts mention me
    talks: bool = False  # I reply to their mentions


# --------------------------------------------------------------------------------------------- text pools


@dataclass(frozen=True, slots=True)
class _Culture:
    first: tuple[str, ...]
    last: tuple[str, ...]
    places: tuple[str, ...]


_CULTURES: dict[str, _Culture] = {
    "us": _Culture(
        ("Emily", "Jake", "Maya", "Tyler", "Jordan", "Olivia", "Marcus", "Hannah", "Caleb", "Aisha"),
        ("Johnson", "Miller", "Brooks", "Carter", "Reed", "Foster", "Hayes", "Simmons"),
        ("Portland, OR", "Austin, TX", "Chicago", "Brooklyn, NY", "Minneapolis", "Denver, CO", "Oakland, CA"),
    ),
    "gb": _Culture(
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Alfie", "Poppy", "Niamh", "Callum"),
        ("Taylor", "Evans", "Hughes", "Walsh", "Clarke", "Bennett", "O'Neill", "MacLeod"),
        ("Manchester", "Bristol", "Leeds", "London", "Glasgow", "Cardiff", "Belfast"),
    ),
    "de": _Culture(
        ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Tobias", "Johanna", "Katrin", "Matthias"),
        ("Müller", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer", "Krüger"),
        ("Hamburg", "München", "Köln", "Leipzig", "Wien", "Zürich", "Stuttgart", "Dresden"),
    ),
    "pt": _Culture(
        ("João", "Inês", "Tiago", "Beatriz", "Rui", "Mariana", "Duarte", "Sofia", "Thiago", "Larissa"),
        ("Silva", "Santos", "Ferreira", "Costa", "Oliveira", "Pereira", "Rodrigues", "Almeida"),
        ("Porto", "Coimbra", "Braga", "Faro", "São Paulo", "Recife", "Belo Horizonte"),
    ),
    "es": _Culture(
        ("Lucía", "Mateo", "Carmen", "Diego", "Valentina", "Javier", "Paula", "Andrés", "Ximena"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Ortega"),
        ("Madrid", "Barcelona", "Sevilla", "Valencia", "CDMX", "Buenos Aires", "Bogotá", "Santiago"),
    ),
    "fr": _Culture(
        ("Camille", "Léa", "Hugo", "Chloé", "Théo", "Manon", "Julien", "Élodie", "Mathis"),
        ("Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Fontaine"),
        ("Lyon", "Paris", "Marseille", "Nantes", "Bordeaux", "Montréal", "Bruxelles"),
    ),
    "ng": _Culture(
        ("Chinedu", "Ngozi", "Oluwaseun", "Amaka", "Tunde", "Funmilayo", "Emeka", "Adaeze"),
        ("Okafor", "Adeyemi", "Nwosu", "Balogun", "Eze", "Ogunleye", "Okonkwo"),
        ("Lagos", "Abuja", "Ibadan", "Enugu", "Port Harcourt"),
    ),
    "in": _Culture(
        ("Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Siddharth", "Ishaan"),
        ("Sharma", "Iyer", "Reddy", "Banerjee", "Nair", "Kulkarni", "Gupta", "Menon"),
        ("Bengaluru", "Mumbai", "Pune", "Chennai", "Hyderabad", "Kolkata", "New Delhi"),
    ),
    "jp": _Culture(
        ("Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Kenji", "Sakura", "Daiki", "Mei"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
        ("Osaka", "Kyoto", "Sapporo", "Fukuoka", "Nagoya", "Yokohama"),
    ),
    "cn": _Culture(
        ("Wei", "Na", "Jun", "Xiaoming", "Mei", "Hao", "Yan", "Zhiwei", "Jing"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhou"),
        ("Shanghai", "Beijing", "Shenzhen", "Chengdu", "Taipei", "Hong Kong", "Singapore"),
    ),
    "kr": _Culture(
        ("Minjun", "Seoyeon", "Jiho", "Hayun", "Dohyun", "Jiwoo", "Yuna", "Taeyang"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon"),
        ("Seoul", "Busan", "Incheon", "Daejeon"),
    ),
    "ar": _Culture(
        ("Layla", "Omar", "Yasmin", "Karim", "Nour", "Hassan", "Rania", "Tariq", "Salma"),
        ("Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "Aziz", "Farouk"),
        ("Amman", "Beirut", "Cairo", "Dubai", "Casablanca", "Tunis", "Doha"),
    ),
    "tr": _Culture(
        ("Elif", "Emre", "Zeynep", "Burak", "Ayşe", "Mert", "Deniz", "Cem"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"),
        ("İstanbul", "Ankara", "İzmir", "Antalya"),
    ),
    "pl": _Culture(
        ("Katarzyna", "Piotr", "Agnieszka", "Tomasz", "Zofia", "Michał", "Wojciech"),
        ("Kowalski", "Nowak", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski"),
        ("Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań"),
    ),
    "nordic": _Culture(
        ("Astrid", "Erik", "Ingrid", "Lars", "Sigrid", "Magnus", "Freja", "Nils", "Aino"),
        ("Andersson", "Johansson", "Lindqvist", "Nielsen", "Hansen", "Berg", "Virtanen"),
        ("Stockholm", "Göteborg", "Oslo", "København", "Helsinki", "Malmö", "Bergen"),
    ),
    "ke": _Culture(
        ("Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Kiprop", "Wambui"),
        ("Mwangi", "Odhiambo", "Kariuki", "Chebet", "Kimani", "Ouma"),
        ("Nairobi", "Mombasa", "Kisumu", "Nakuru"),
    ),
    "vn": _Culture(
        ("Linh", "Minh", "Thảo", "Huy", "Trang", "Quang", "Vy"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"),
        ("Hà Nội", "Hồ Chí Minh City", "Đà Nẵng", "Huế"),
    ),
}
_CULTURE_NAMES = tuple(_CULTURES)
_ODD_PLACES = (
    "the internet",
    "somewhere with coffee",
    "🌍",
    "he/him · Earth",
    "Low Earth Orbit (in spirit)",
    "between trains",
    "your timeline",
)

_JOBS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Backend engineer", ("Spent the whole day chasing a timezone bug. It was DST. It is always DST.",)),
    ("Nurse", ("Night shift done. Twelve hours, three coffees, one very grateful patient.",)),
    ("Primary school teacher", ("A seven-year-old asked me today if dinosaurs had birthdays. I said yes.",)),
    ("Carpenter", ("Finished an oak dining table today. Forty hours of work, zero nails.",)),
    ("PhD student in marine biology", ("Fieldwork tomorrow: 5am start, 40 sea urchins to count.",)),
    ("UX designer", ("If your form needs a tutorial, the form is the problem.",)),
    ("Journalist", ("Filed at 23:58 for a midnight deadline. Living on the edge.",)),
    ("Librarian", ("Someone returned a book 14 years late today. No fine. Just joy.",)),
    ("Barista", ("Latte art today: one swan, two tulips, one thing I'm calling abstract.",)),
    ("Data scientist", ("Cleaned a CSV for six hours, trained the model in four minutes.",)),
    ("Architect", ("Site visit in the rain. The concrete looks great, my shoes do not.",)),
    ("Midwife", ("Three babies on my shift last night. Still the best job in the world.",)),
    ("Translator (DE/EN/PT)", ("Some words just don't translate. Saudade, Feierabend, and 'fine'.",)),
    ("Product manager", ("Shipped it. Now the real work starts: reading the feedback.",)),
    ("Physiotherapist", ("Stretch your hamstrings. That's the tweet.",)),
    ("Sound engineer", ("Mixed a live set tonight. My ears are ringing in a good way.",)),
    ("Bookseller", ("Staff pick this week: a 900-page novel nobody asked for. You're welcome.",)),
    ("Pharmacist", ("Please finish your antibiotics. Thank you, that is all.",)),
    ("Civil engineer", ("Bridges are just very confident shelves.",)),
    ("Illustrator", ("New sketchbook, first page terror. Drew a cat to break the spell.",)),
    ("Firefighter", ("Quiet shift, so we cooked. Chili for eleven.",)),
    ("Baker", ("Up at 3:30, first loaves out at 6. The smell never gets old.",)),
    ("Historian", ("Found a 17th-century shopping list in the archive today. Mostly cheese.",)),
    ("Accountant", ("Tax season is over. I am going to sleep until June.",)),
    ("Game developer", ("Fixed a bug where the ducks could walk through walls. Added a bug where they fly.",)),
    ("Bike mechanic", ("Trued 14 wheels today. My thumbs have opinions.",)),
    ("Paramedic", ("Please learn CPR. It takes an afternoon and it matters.",)),
    ("Chef", ("Service for 90 tonight and nothing caught fire. Personal best.",)),
)

_HOBBIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "marathon runner",
        (
            "Long run done: 24 km in the rain and I loved every minute.",
            "New PB at parkrun this morning 🏃",
            "Does anyone else plan holidays around races or is it just me?",
        ),
    ),
    (
        "sourdough baker",
        (
            "Day 3 of feeding the starter. It smells like bananas?",
            "Focaccia tonight. Rosemary from the balcony.",
            "The crumb on this loaf is the best I've ever managed 🍞",
        ),
    ),
    (
        "amateur photographer",
        (
            "Golden hour on the river. No filter, just luck.",
            "Bought a 50mm lens second-hand, already in love.",
            "Film is back from the lab: 36 shots, 4 keepers. Normal.",
        ),
    ),
    (
        "chess addict (1450 on a good day)",
        (
            "Blundered my queen in move 12 and still won. Chess is a social game.",
            "Watching the candidates tournament instead of working.",
        ),
    ),
    (
        "allotment gardener",
        (
            "First tomatoes of the season 🍅",
            "Slugs ate all the lettuce overnight. War has been declared.",
            "Planted garlic today, see you in July.",
        ),
    ),
    (
        "hiker",
        (
            "Six hours on the ridge, not a single cloud.",
            "Packed too many snacks. Impossible, I know.",
            "Trail recommendations within two hours of the city? Asking for my weekend.",
        ),
    ),
    (
        "boulderer",
        (
            "Finally sent the purple V4 I've been projecting for a month!",
            "Chalk everywhere. On the cat, somehow.",
        ),
    ),
    (
        "board game hoarder",
        (
            "Game night: four hours of Terraforming Mars, zero friendships lost.",
            "Shelf of shame is now two shelves.",
        ),
    ),
    (
        "vinyl collector",
        (
            "Found a 1972 pressing for €4 at the flea market today 🎶",
            "Sunday = records + coffee + nowhere to be.",
        ),
    ),
    (
        "knitter",
        (
            "Sweater number 3 is done and the sleeves are the same length this time.",
            "Yarn shop had a sale. I have no self-control.",
        ),
    ),
    (
        "cyclist",
        (
            "80 km today with a headwind both ways. How?",
            "Fixed my own puncture on the road like a grown-up.",
            "Commuting by bike all winter. Ask me about my gloves.",
        ),
    ),
    (
        "home cook",
        (
            "Made my grandmother's dumplings from memory. Close, but not quite hers.",
            "Dinner: whatever was left in the fridge, and it was great.",
        ),
    ),
    (
        "bookworm",
        (
            "Finished three novels this week. The laundry did not get done.",
            "Library haul: seven books, two weeks. Optimistic.",
        ),
    ),
    (
        "film buff",
        (
            "Rewatched a 1950s noir tonight. They don't light faces like that any more.",
            "Cinema was empty at the 11pm showing. My own private screening.",
        ),
    ),
    (
        "amateur astronomer",
        (
            "Clear skies tonight! Saturn's rings through the little telescope 🔭",
            "Clouds. Always clouds when there's a meteor shower.",
        ),
    ),
    (
        "potter",
        (
            "Three bowls came out of the kiln. One cracked, two are perfect.",
            "Centering clay is a meditation and also a workout.",
        ),
    ),
    (
        "football fan",
        (
            "What a goal in the 89th minute. I screamed at the TV.",
            "Season ticket renewed. Hope is a dangerous thing.",
        ),
    ),
    (
        "dog person",
        (
            "The dog learned to open the fridge. We are in trouble.",
            "Walked 12 km today, 11 of them were sniffing breaks.",
        ),
    ),
    (
        "cat person",
        (
            "The cat knocked my coffee off the desk while maintaining eye contact.",
            "Working from home means a cat on the keyboard. kjdfhgkjsdhfg",
        ),
    ),
    (
        "language learner",
        (
            "Day 400 of my Duolingo streak and I still can't order bread confidently.",
            "Had my first full conversation in Portuguese today!",
        ),
    ),
    (
        "retro computing nerd",
        (
            "Got my 1984 computer booting again. New capacitors, same beeps.",
            "BASIC was a perfectly good first language, fight me.",
        ),
    ),
    (
        "jazz piano noodler",
        (
            "Learning a standard a week. This week: 'Autumn Leaves', again.",
            "Played at an open mic and nobody threw anything.",
        ),
    ),
)

_GENERIC_POSTS = (
    "Good morning! Coffee first, then the world.",
    "Anyone have a recommendation for a good rain jacket that actually keeps out rain?",
    "Reading list for the weekend: three novels and zero plans.",
    "Long week. Pizza tonight.",
    "The train was on time today and I don't know how to process this.",
    "Started a new notebook. Page one is always the best page.",
    "Small win: fixed the dripping tap myself.",
    "Sunday walk, no phone (except for this post).",
    "Thinking about the best meal I ever had. It was soup.",
    "Out of office until Monday. Do not perceive me.",
    "Why is every podcast two hours long now?",
    "Museum day. Saw a painting I've wanted to see for ten years.",
)

_EXTRAS = (
    "she/her",
    "he/him",
    "they/them",
    "Views my own.",
    "Dad of two.",
    "Mum of three.",
    "🌱",
    "Always learning.",
    "Bad at replying.",
    "Coffee first.",
    "Lapsed blogger.",
)

_THEMES = (
    _Theme(
        "Berlin",
        "People in and around Berlin",
        private=False,
        size=24,
        places=("Berlin", "Berlin, Germany", "Berlin-Neukölln", "Kreuzberg, Berlin", "Berlin 🐻"),
        posts=(
            "U8 delayed again. Berlin is healing.",
            "Späti beer on the Landwehrkanal, finally summer.",
            "Tempelhofer Feld at sunset never gets old.",
        ),
    ),
    _Theme(
        "Lisbon friends",
        "Amigos em Lisboa",
        private=True,
        size=11,
        places=("Lisbon", "Lisboa", "Lisboa, Portugal", "Lisbon 🇵🇹"),
        posts=(
            "Pastéis de nata count this week: too many.",
            "Tram 28 full of tourists again, walking up the hill instead.",
        ),
        culture="pt",
    ),
    _Theme(
        "Tokyo",
        "Tokyo people",
        private=False,
        size=14,
        places=("Tokyo", "東京", "Tokyo, Japan", "東京都渋谷区", "Shibuya, Tokyo"),
        posts=("Yamanote line at 8am is a contact sport.", "桜が咲き始めました 🌸"),
        culture="jp",
    ),
    _Theme(
        "Rust folks",
        "Rustaceans I learn from",
        private=False,
        size=28,
        bios=(
            "Rust 🦀 and coffee",
            "Writing Rust at work and at night",
            "Rustacean: compilers, async, embedded",
            "Rust, WebAssembly and bikes",
        ),
        posts=(
            "cargo clippy found three bugs before my coffee did.",
            "The borrow checker was right. Again.",
            "New crate release: 0.4 with no_std support 🦀",
        ),
    ),
    _Theme(
        "Birding",
        "Birders and bird photographers",
        private=True,
        size=16,
        bios=(
            "Birder 🐦",
            "Birding on weekends, coding on weekdays",
            "Bird nerd, county list 212",
            "Counting birds, mostly gulls",
        ),
        posts=(
            "Black redstart on the balcony this morning!",
            "Spent 3 hours in a hide for one kingfisher. Worth it.",
            "First swifts of the year are back 🐦",
        ),
    ),
    _Theme(
        "Climate science",
        "Climate scientists and science journalists",
        private=False,
        size=19,
        bios=(
            "Climate scientist",
            "Climate science & sea level rise",
            "Atmospheric physicist, climate models",
            "Science journalist covering climate",
        ),
        posts=(
            "New paper out: ocean heat content keeps climbing.",
            "Weather is not climate, but this heatwave is right on the trend line.",
            "Ice core data never stops being beautiful.",
        ),
    ),
)

# (name, username, bio, verified type, url, location)
_ORGS = (
    (
        "Nordwind Coffee Roasters",
        "nordwindcoffee",
        "We roast small batches in Hamburg. Shop: https://nordwind.example/shop",
        "business",
        "https://nordwind.example",
        "Hamburg",
    ),
    (
        "City of Porto",
        "portocity",
        "The official account of the City of Porto. Serviços municipais, eventos e avisos.",
        "government",
        "https://porto.example",
        "Porto",
    ),
    (
        "Kiwi Telecom Help",
        "kiwi_help",
        "Customer service for Kiwi Telecom, 8am-10pm daily. We're here to help!",
        "business",
        "https://kiwi.example/help",
        "Auckland",
    ),
    (
        "Acme Widgets Inc",
        "acmewidgets",
        "Acme Widgets Inc. Widgets for every occasion since 1949. Shop now → https://acme.example",
        "business",
        "https://acme.example",
        "Phoenix, AZ",
    ),
    (
        "Verkehrsbetriebe Nord",
        "vbnord_info",
        "Official service account of Verkehrsbetriebe Nord. Delays, detours, and lost umbrellas.",
        "government",
        "https://vbnord.example",
        "Bremen",
    ),
    (
        "Greenleaf Bikes",
        "greenleafbikes",
        "We build bikes in Utrecht. Customer service: @greenleaf_help. Free shipping in the EU.",
        "business",
        "https://greenleaf.example",
        "Utrecht",
    ),
    (
        "National Weather Service Demo",
        "nws_demo",
        "The official account of the National Weather Service (demo office). Forecasts and warnings.",
        "government",
        "https://weather.example",
        "USA",
    ),
    (
        "Sakura Stationery",
        "sakura_station",
        "Official account of Sakura Stationery Co., Ltd. 文房具 ✏️ Shop: https://sakura-st.example",
        "business",
        "https://sakura-st.example",
        "Tokyo",
    ),
    (
        "Lumen Bank",
        "lumenbank",
        "Lumen Bank Inc. Banking without the queue. Customer service: DM us, never share your PIN.",
        "business",
        "https://lumen.example",
        "London",
    ),
    (
        "Museum of Tiny Things",
        "tinymuseum",
        "We are a museum of very small objects. Open Tue-Sun. Tickets: https://tiny.example",
        "business",
        "https://tiny.example",
        "Copenhagen",
    ),
    (
        "Ministry of Digital Affairs",
        "digitalmin_demo",
        "The official account of the Ministry of Digital Affairs. Press releases and consultations.",
        "government",
        "https://gov.example",
        "Warszawa",
    ),
    (
        "Pixelforge Games",
        "pixelforgegames",
        "We make cozy games. Official account. Wishlist our new game on Steam!",
        "business",
        "https://pixelforge.example",
        "Montréal",
    ),
    (
        "Café Bohème Chain",
        "cafe_boheme",
        "Official account of Café Bohème. 120 cafés, one croissant recipe. Order online: https://boheme.example",
        "business",
        "https://boheme.example",
        "Paris",
    ),
    (
        "OpenMaps Foundation",
        "openmapsfdn",
        "We support open map data for everyone. Donate: https://openmaps.example/donate",
        "business",
        "https://openmaps.example",
        "Berlin-Mitte",
    ),
    (
        "Tidewater Airlines",
        "tidewaterair",
        "Official Tidewater Airlines. For customer service, DM us your booking reference.",
        "business",
        "https://tidewater.example",
        "Dublin",
    ),
    (
        "Lagos State Emergency Demo",
        "lasema_demo",
        "The official account of the Lagos State Emergency Management Agency (demo). Call 112.",
        "government",
        "https://lasema.example",
        "Lagos",
    ),
    (
        "Quanta Cloud Status",
        "quantastatus",
        "We post incidents and maintenance for Quanta Cloud Inc. Status page: https://status.quanta.example",
        "business",
        "https://status.quanta.example",
        "Seattle, WA",
    ),
    (
        "Hanami Ramen",
        "hanamiramen",
        "Official account of Hanami Ramen 🍜 We open at 11. Order: https://hanami.example",
        "business",
        "https://hanami.example",
        "Osaka",
    ),
    (
        "Seoul Metro Demo",
        "seoulmetro_demo",
        "서울교통공사 공식 계정 (demo). The official account of Seoul Metro.",
        "government",
        "https://metro.example",
        "Seoul",
    ),
    (
        "Fjord Outdoor Gear",
        "fjordgear",
        "We make jackets that survive Norwegian weather. Shop: https://fjord.example",
        "business",
        "https://fjord.example",
        "Bergen",
    ),
)
_ORG_POSTS = (
    "We're hiring! Join the {name} team: {url}/jobs",
    "Our opening hours change next week. Details: {url}",
    "Hi! Sorry to hear that. Please send us a DM with your reference number and we'll look into it.",
    "New this month at {name}: more of what you asked for. {url}",
    "Scheduled maintenance tonight from 02:00 to 04:00. Thank you for your patience.",
    "Thank you for 10 years with {name}! 🎉",
    "Reminder: we will never ask for your password by DM.",
)

# (name, username, bio, location)
_CELEBS = (
    ("Marisol Vega", "marisolvega", "Singer. New album 'Tidal' out now. Tour dates ↓", "Los Angeles"),
    ("Dr. Kofi Mensah", "kofimensah", "Astrophysicist, author of 'Small Stars'. TV sometimes.", "Accra / London"),
    ("Hiro Tanabe", "hirotanabe", "Chef. Five restaurants, one grandmother's recipe book.", "Tokyo"),
    ("Ingrid Solberg", "ingridsolberg", "Olympic cross-country skier 🥇🥇. Coffee ambassador.", "Trondheim"),
    ("Sam Okoro", "samokoro", "Comedian. I say things into microphones. Tickets in bio link.", "Lagos / NYC"),
    ("Elena Marchetti", "elenamarchetti", "Novelist. 'The Salt Road' is a Netflix series now, apparently.", "Milano"),
    ("Jae-won Park", "jaewonpark", "Actor. 배우. Thank you for watching.", "Seoul"),
    ("Priya Desai", "priyadesai", "Tennis. Three slams, zero chill.", "Mumbai"),
)
_CELEB_POSTS = (
    "Thank you {city}!! What a night. See you next year ❤️",
    "Big news coming Friday. 👀",
    "Grateful for every single one of you.",
    "On set today. Can't say more yet!",
    "Link to tickets: https://tickets.example/tour",
    "Rest day. Doing nothing, professionally.",
)

# (place, city) pairs for Foursquare/Swarm check-ins.
_VENUES = (
    ("Café Central", "Wien"),
    ("Ichiran", "Shibuya, Tokyo"),
    ("Time Out Market", "Lisboa"),
    ("Hauptbahnhof", "Berlin"),
    ("Starbucks", "Chicago"),
    ("Mercado da Ribeira", "Lisboa"),
    ("LX Factory", "Lisboa"),
    ("Blue Bottle Coffee", "Oakland"),
    ("Gate B12", "Amsterdam Airport Schiphol"),
    ("Planet Fitness", "Austin"),
    ("IKEA", "Malmö"),
    ("REWE", "Köln"),
    ("Dishoom", "London"),
    ("La Boqueria", "Barcelona"),
    ("Powell's City of Books", "Portland"),
    ("Shinjuku Gyoen", "Tokyo"),
    ("Trader Joe's", "Brooklyn"),
    ("Kaffeebar", "Leipzig"),
    ("Centraal Station", "Utrecht"),
    ("Dentist", "Hamburg"),
)
_CHECKIN_COMMENTS = ("Lunch 🍜", "Back again", "Coffee time ☕", "Finally!", "Meeting here", "With @friends", "")

_EGG_NAMES = (
    "Kevin",
    "Jennifer Smith",
    "user8823341",
    "Crypto King",
    "mike",
    "Daniela",
    "Alex",
    "Sophie Martin",
    "Rich Life 💰",
    "Tom B",
    "Lena",
    "John Williams",
    "bot? no",
    "Maria",
)
_EGG_POSTS = (
    "hi",
    "hello twitter",
    "good morning",
    "Who else is watching the game tonight?",
    "Check my profile for an amazing opportunity 💰",
    "first tweet",
    "nice",
    "lol",
)

_NEWCOMER_POSTS = (
    "New here 👋 Finally made an account after lurking for years.",
    "Still figuring out how this site works. Hi everyone!",
    "Second week here and my timeline is mostly birds and bread. Perfect.",
    "Okay I get it now, this place is fun.",
)

_MENTION_TALK = (
    "did you ever get the Bernoulli numbers to work?",
    "loved your thread on the engine, saving it",
    "same here! what's your setup?",
    "haha that's exactly what happened to me last week",
    "would you be up for a coffee when you're in town?",
    "counterpoint: punch cards are a perfectly good UI",
    "thanks for the recommendation, finished it in two days",
    "is the talk going to be recorded?",
    "this is brilliant, can I share it with my students?",
    "I think you're right, but the second part needs a source 😄",
)
_MENTION_ONLY = (
    "Great talk by @ada_demo today",
    "cc @ada_demo you'd like this",
    "Following @ada_demo for the engine updates, highly recommend",
    "@ada_demo check this out https://example.com/looms",
    "According to @ada_demo this is a solved problem. It is not.",
)
_MY_REPLIES = (
    "yes! Note G finally works.",
    "thank you 😊",
    "absolutely, let me know when",
    "ha, I knew it",
    "I'll send you the notes",
    "that's a fair point, I'll think about it",
    "coffee sounds great",
    "it will be, I'll post the link",
    "of course, please do",
)
_MY_POSTS = (
    "Note G is finally done. It's longer than the paper it annotates.",
    "Thinking about machines that could compose music.",
    "The engine weaves algebraic patterns just as the loom weaves flowers and leaves.",
    "Today's lesson: a table of numbers is a program waiting to happen.",
    "Mathematics before breakfast, poetry after.",
    "Why does everyone think the engine is just a calculator?",
    "Rewrote the Bernoulli table for the third time. It is correct now. Probably.",
    "Long walk, better ideas.",
    "Reading about looms again. Punched cards are underrated.",
    "Letter from Charles: the engine is delayed. Again.",
    "Imagination is the discovering faculty, pre-eminently.",
    "Working on a talk about poetical science. Feedback welcome!",
    "Tea, paper, a quiet afternoon. Perfect.",
    "Hot take: debugging is older than computers.",
    "Demo mode: everything here is made up, including me.",
)

# Hard text: (name, bio, location, posts) by kind; a pick uses entries in order.
_CJK = (
    (
        "山田 花子",
        "東京で写真を撮っています。猫と珈琲が好き。",
        "東京都",
        ("今日は雨なので家で読書 📚", "新しいカメラを買いました！"),
    ),
    ("王伟", "上海 · 程序员，喜欢徒步和咖啡。", "上海", ("周末去爬山，空气很好。", "今天的代码终于跑通了 🎉")),
    (
        "김지민",
        "서울에서 일러스트를 그려요 🎨 고양이 두 마리",
        "서울특별시",
        ("오늘 카페에서 그림 그렸어요", "새 작품 공개합니다!"),
    ),
    ("佐藤 健太郎", "大阪出身のエンジニア。ラーメンと将棋。", "大阪", ("将棋の大会に出ました。三回戦で負けた。",)),
    ("陈静", "台北的图书管理员，每天读一本书。", "台北市", ("今天推荐一本好书：《活着》",)),
    ("이서연", "부산 바다 사진 📷 여행 좋아해요", "부산", ("해운대 일몰 최고예요",)),
)
_RTL = (
    (
        "ليلى الحسن",
        "مهندسة برمجيات في عمّان. أحب القهوة والكتب.",
        "عمّان، الأردن",
        ("صباح الخير من عمّان ☀️", "أنهيت كتابًا رائعًا اليوم"),
    ),
    ("נועה כהן", "מפתחת ווב בתל אביב. אוהבת ים וקפה.", "תל אביב", ("בוקר טוב! קפה ראשון של היום ☕",)),
    ("عمر خليل", "مصوّر فوتوغرافي | Photographer based in Beirut 📷 بيروت", "بيروت", ("غروب الشمس على الكورنيش اليوم",)),
    (
        "דוד לוי",
        "Teacher / מורה למתמטיקה. Mixed RTL and LTR: שלום world 123",
        "ירושלים",
        ("היום למדנו על מספרים ראשוניים",),
    ),
    ("مريم Maryam 😊", "طالبة طب في القاهرة — med student, Cairo", "القاهرة 🇪🇬", ("امتحان غدًا، ادعوا لي",)),
)
_EMOJI = (
    (
        " 👩🏽\u200d💻🏳️\u200d🌈",
        "👨\u200d👩\u200d👧\u200d👦 parent · 🧑\u200d🍳 cook · 🏴󠁧󠁢󠁳󠁣󠁴󠁿 · 🇵🇹🇯🇵🇧🇷",
        "🌍✈️",
        ("🧑\u200d🚀🚀✨ launch day!!!",),
    ),
    (" ❤️\u200d🔥", "🏳️\u200d⚧️ she/her · 🧶🐈\u200d⬛ · 🇺🇦", "🇺🇦 → 🇩🇪", ("🐈\u200d⬛ sat on my keyboard again 😾",)),
    (
        " 🧑🏿\u200d🔬🇳🇬",
        "Lab rat 🧑🏿\u200d🔬 · 👁️\u200d🗨️ · 🏃🏾\u200d♀️ runner · 🇳🇬🇬🇧",
        "🇬🇧",
        ("🏃🏾\u200d♀️ 10k done 🎉🎉🎉",),
    ),
    (" 🇯🇵🇰🇷🇨🇳", "🍜🍣🥟 food first · 👨🏻\u200d🦰 · 🫶🏼", "🗾", ("👨🏻\u200d🍳 cooked for 12 people 🫡",)),
    (" 🐻\u200d❄️", "❄️🐻\u200d❄️ climate nerd 🌡️ · 👩\u200d❤️\u200d👩 · 🏴\u200d☠️", "🧊", ("🐻\u200d❄️ facts thread 🧵👇",)),
)
_COMBINING = (
    ("Zoe\u0308 Martin", "Artist. Zoe\u0308, not Zoe, not Zoë-with-one-codepoint.", "Montre\u0301al"),
    ("".join(c + "\u0337" for c in "Zalgo"), "he comes", "the void"),
    ("Rene\u0301e Dubois", "Cafe\u0301 owner. Cre\u0300me bru\u0302le\u0301e expert.", "Lyon"),
    ("Nguye\u0302\u0303n Thi\u0323 Lan", "Ha\u0300 No\u0323\u0302i food blogger", "Ha\u0300 No\u0323\u0302i"),
    ("A\u030angstro\u0308m Ma\u030angsdo\u0301ttir", "Physicist. Unit of length enthusiast.", "Reykjavi\u0301k"),
)
_MARKUP = (
    (
        "[bold red]Mallory[/]",
        "[link=https://evil.example]click[/link] for a prize [/]",
        "[red]Mars[/red]",
        ("[blink]Free coins[/blink] → [link=https://evil.example]here[/link]",),
    ),
    (
        "Trudy [/]",
        "I write docs in [b]bold[/b] and [i]italics[/i]. Escape with \\[ and [/]",
        "[@click=app.quit]Quitsville[/]",
        ("[@click=app.quit]tap here[/] for dark mode",),
    ),
    (
        "[reverse]Rev[/reverse] Ruth",
        "Array fan: a[0], a[1:], matrix[i][j]. Also [dim]whispers[/dim] and [bold red]x[/]",
        "[link=https://evil.example]home[/link]",
        ("Status: [green]OK[/green] [/]",),
    ),
    ("Ivan [on yellow]", "[bold red]x[/] [/] [/bold] [", "[italic]", ("[/]",)),
    ("Brackets [[]] Bob", "[link=file:///etc/passwd]my cv[/link] [$var]", "\\[escaped]", ("[b]", "[$accent]hi[/]")),
)
_ESCAPE = (
    (
        "Eve\x1b[2J\x1b[31mred",
        "\x1b]0;pwned\x07Just a normal bio\x1b[0m",
        "\x1b[?1049lNowhere",
        ("\x1b[2J\x1b[31mred alert\x1b[0m",),
    ),
    ("Carriage\rReturn", "null\x00byte and bell\x07\x07", "Bell\x07ville", ("line one\rOVERWRITE",)),
    (
        "\x1b[5mBlinky\x1b[0m",
        "\x1b]8;;https://evil.example\x07hidden link\x1b]8;;\x07",
        "\x1b[1;1H\x1b[2KTop-left",
        ("\x1b]0;pwned\x07 title changed?",),
    ),
    ("Tab\tby\tTab\x08\x08", "\x1b[?1049l\x1b[?25l cursor gone", "\x00", ("\x9b31mC1 CSI too\x1b[0m",)),
    ("Zed\x1b[31m", "\x1bc full reset", "\r\nNewline City", ("bell\x07bell\x07",)),
)
_LONG_SENTENCES = (
    "I have opinions about fonts, trains, and the correct way to make tea.",
    "Formerly a chemist, then a baker, now a software developer who still bakes.",
    "I post about cities, public transport, cycling infrastructure and the occasional cat.",
    "If you are looking for hot takes, I am sorry, mine are lukewarm at best.",
    "Currently reading far too many books at the same time and finishing none of them.",
    "Ask me about the history of maps, the migration of birds, or the best bakery in my street.",
    "This account is a personal one and nothing here represents my employer, my cat, or my mother.",
    "Sometimes I write long threads about obscure things and then delete them in embarrassment.",
    "I believe in good documentation, kind code review and long lunches.",
    "Please do not send me crypto. Please do send me pictures of your dog.",
    "Bio too long? X says 160 characters, but this is a demo and demos do what they want.",
)


# --------------------------------------------------------------------------------------------- building


class _Builder:
    """Holds the random source and the state shared while one graph is built."""

    def __init__(self, now: datetime, rng: random.Random) -> None:
        self.now = now
        self.rng = rng
        self.now_ms = _ms(now)
        self.previous_sync = now - timedelta(days=2)
        self.last_sync = now - timedelta(hours=1)
        self.seq = 0
        self.ids: set[str] = {_ME.id}
        self.usernames: set[str] = {_ME.username}
        self.orgs = list(_ORGS)
        self.celebs = list(_CELEBS)
        self.hard_used: dict[_Hard, int] = dict.fromkeys(_Hard, 0)
        rng.shuffle(self.orgs)
        rng.shuffle(self.celebs)

    # ---- top level

    def build(self) -> DemoGraph:
        slots = self._plan()
        drafts = [self._draft(slot) for slot in slots]
        accounts = [self._account(d) for d in drafts]
        relationships = tuple(self._relationship(s, a) for s, a in zip(slots, accounts, strict=True))
        mentions = sorted(
            (p for a in accounts for p in a.posts if _ME.id in p.mentioned_ids),
            key=lambda p: p.created_at or self.now,
            reverse=True,
        )
        talkers = {d.id for d in drafts if d.talks}
        my_posts = self._my_posts([p for p in mentions if p.author_id in talkers], [a for a in accounts if a.posts])
        lists = tuple(self._list(theme, slots, accounts) for theme in _THEMES)
        return DemoGraph(
            me=_ME,
            accounts=tuple(accounts),
            relationships=relationships,
            lists=lists,
            mentions=tuple(mentions),
            my_posts=tuple(my_posts),
            previous_sync=self.previous_sync,
            last_sync=self.last_sync,
        )

    def _plan(self) -> list[_Slot]:
        rng = self.rng
        slots = [
            _Slot(bucket, kind)
            for kind, per_bucket in _KIND_PLAN.items()
            for bucket, n in per_bucket.items()
            for _ in range(n)
        ]
        for bucket, size in _BUCKET_SIZES.items():
            have = sum(1 for s in slots if s.bucket is bucket)
            slots.extend(_Slot(bucket, _K.ORDINARY) for _ in range(size - have))

        def free(buckets: tuple[_Bucket, ...], kinds: tuple[_Kind, ...] = (_K.ORDINARY,)) -> list[_Slot]:
            return [s for s in slots if s.bucket in buckets and s.kind in kinds and s.theme is None and s.hard is None]

        for theme in _THEMES:
            outside = max(1, theme.size // 8)  # a few members I don't follow
            members = rng.sample(free((_B.MUTUAL, _B.FOLLOWING)), theme.size - outside)
            members += rng.sample(free((_B.FOLLOWER,)), outside)
            for s in members:
                s.theme = theme
        for hard in _Hard:
            picks = rng.sample(free((_B.NEW_FOLLOWER,), _OVERLAY_KINDS), 2)
            for bucket in (_B.FOLLOWER, _B.MUTUAL, _B.FOLLOWING):
                picks.append(rng.choice(free((bucket,), _OVERLAY_KINDS)))
            for s in picks:
                s.hard = hard
        rng.shuffle(slots)
        return slots

    # ---- ids and names

    def _new_id(self, created_ms: int) -> str:
        while True:
            if created_ms >= _TWITTER_EPOCH_MS + _YEAR * 3:
                self.seq += 1
                candidate = snowflake(created_ms, self.seq)
            else:
                candidate = str(self.rng.randint(1_000_000, 2_400_000_000))
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def _username(self, name: str, hint: str = "") -> str:
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        words = [w for w in re.split(r"[^a-z0-9]+", folded) if w] or ["user"]
        first, last = words[0], words[-1]
        shapes = [f"{first}{self.rng.randint(1, 99)}"]
        if last != first:
            shapes += [first + last, f"{first}_{last}", first[0] + last]
        if hint:
            shapes.append(f"{first}_{hint}")
        candidate = self.rng.choice(shapes)[:15]
        while candidate in self.usernames:
            candidate = f"{candidate[:10]}{self.rng.randint(1, 9999)}"
        self.usernames.add(candidate)
        return candidate

    def _avatar(self) -> str:
        word = "".join(
            self.rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") for _ in range(8)
        )
        return f"https://pbs.twimg.com/profile_images/{self.rng.randint(10**17, 10**19 - 1)}/{word}_normal.jpg"

    def _tweets(self, created_ms: int, low: float, high: float) -> int:
        """A lifetime post count for an account posting between ``low`` and ``high`` times a day."""
        rate = low * (high / low) ** self.rng.random()
        return int(rate * (self.now_ms - created_ms) / _DAY)

    def _log_int(self, low: int, high: int) -> int:
        """A whole number between low and high, spread evenly in orders of magnitude."""
        return min(high, int(low * (high / low) ** self.rng.random()))

    def _created(self, min_days: int, max_days: int) -> int:
        return self.now_ms - self.rng.randint(min_days * _DAY, max_days * _DAY)

    # ---- profiles by kind

    def _draft(self, slot: _Slot) -> _Draft:
        rng = self.rng
        kind = slot.kind
        if kind is _K.ORG:
            d = self._org()
        elif kind is _K.CELEB:
            d = self._celeb()
        elif kind is _K.EGG:
            d = self._egg()
        elif kind in (_K.SUSPENDED, _K.DELETED):
            d = self._person(slot)
            state = AccountState.SUSPENDED if kind is _K.SUSPENDED else AccountState.DELETED
            username = "" if state is AccountState.DELETED and rng.random() < 0.4 else d.username
            return _Draft(username=username, name="", created_ms=d.created_ms, state=state)
        else:
            d = self._person(slot)
        if kind is _K.NEWCOMER:
            d.created_ms = self._created(6, 85)
            d.followers = rng.randint(3, 60)
            d.following = rng.randint(20, 250)
            d.tweets = max(8, self._tweets(d.created_ms, 0.3, 4))
            d.listed = 0
            d.lead = [rng.choice(_NEWCOMER_POSTS)]
            d.newest_ago = rng.randint(2 * _HOUR, 4 * _DAY)
            if rng.random() < 0.5:
                d.description = f"New here 👋 {d.description}".strip()
        elif kind is _K.CHECKIN:
            d.lead = [self._checkin(), self._checkin()]
            d.lines = [*(self._checkin() for _ in range(8)), d.lines[0]]
            d.n_posts = rng.randint(7, 10)  # check-ins stay the majority even with a hard-text post or two
            d.newest_ago = rng.randint(_HOUR, 5 * _DAY)
        elif kind is _K.INACTIVE:
            d.newest_ago = rng.randint(_YEAR + 10 * _DAY, 3 * _YEAR - 10 * _DAY)
            d.span = rng.randint(30, 300) * _DAY
            d.created_ms = min(d.created_ms, self.now_ms - d.newest_ago - d.span - 30 * _DAY)
        elif kind is _K.PROTECTED:
            d.protected = True
            d.n_posts = 0 if rng.random() < 0.5 else rng.randint(3, 6)
        elif kind is _K.TALKER:
            d.talks = True
            d.mentions_me = rng.randint(1, 2)
        elif kind is _K.MENTIONER:
            d.mentions_me = 1
        if slot.hard is not None:
            self._overlay(d, slot.hard)
        return d

    def _person(self, slot: _Slot) -> _Draft:
        rng = self.rng
        theme = slot.theme
        culture_name = (theme.culture if theme and theme.culture and rng.random() < 0.8 else None) or rng.choice(
            _CULTURE_NAMES
        )
        culture = _CULTURES[culture_name]
        name = f"{rng.choice(culture.first)} {rng.choice(culture.last)}"
        job, job_posts = rng.choice(_JOBS)
        hobby, hobby_posts = rng.choice(_HOBBIES)
        hobby2, hobby2_posts = rng.choice(_HOBBIES)
        city = rng.choice(culture.places)
        roll = rng.random()
        location = city if roll < 0.75 else (rng.choice(_ODD_PLACES) if roll < 0.87 else "")
        if theme and theme.places:
            location = city = rng.choice(theme.places)
        bio = self._bio(job, hobby, hobby2, city)
        lines = [*hobby_posts, *hobby2_posts, *job_posts, *rng.sample(_GENERIC_POSTS, 3)]
        if theme:
            if theme.bios:
                bio = f"{rng.choice(theme.bios)}. {job} in {city}."
            lines = [*theme.posts, *theme.posts, *lines]
        created = self._created(200, 16 * 365)
        return _Draft(
            username=self._username(name, hobby.split()[0]),
            name=name,
            created_ms=created,
            description=bio,
            location=location,
            url=f"https://{name.split()[0].lower()}.example" if rng.random() < 0.15 else "",
            avatar=self._avatar(),
            followers=self._log_int(50, 3000),
            following=self._log_int(80, 1500),
            tweets=self._tweets(created, 0.05, 12),
            listed=rng.randint(0, 40),
            n_posts=rng.randint(3, 10),
            newest_ago=rng.randint(_HOUR, 20 * _DAY),
            span=rng.randint(10, 120) * _DAY,
            lines=lines,
        )

    def _bio(self, job: str, hobby: str, hobby2: str, city: str) -> str:
        rng = self.rng
        extra = rng.choice(_EXTRAS)
        shapes = (
            f"{job} in {city}. {hobby.capitalize()}.",
            f"{job} · {hobby} · {extra}",
            f"{hobby.capitalize()}, {hobby2} and too much coffee. {extra}",
            f"{job}. Opinions my own.",
            f"{job} by day, {hobby} by night. {city}.",
            "",
        )
        weights = (5, 5, 4, 2, 4, 1)
        return rng.choices(shapes, weights)[0]

    def _org(self) -> _Draft:
        rng = self.rng
        name, username, bio, vtype, url, location = self.orgs.pop()
        created = self._created(3 * 365, 15 * 365)
        self.usernames.add(username)
        return _Draft(
            username=username,
            name=name,
            created_ms=created,
            description=bio,
            location=location,
            url=url,
            avatar=self._avatar(),
            verified_type=vtype,
            followers=self._log_int(5_000, 2_000_000),
            following=rng.randint(10, 900),
            tweets=self._tweets(created, 0.5, 25),
            listed=rng.randint(50, 3000),
            n_posts=rng.randint(3, 8),
            newest_ago=rng.randint(_HOUR, 3 * _DAY),
            span=rng.randint(5, 40) * _DAY,
            lines=[p.format(name=name, url=url) for p in _ORG_POSTS],
        )

    def _celeb(self) -> _Draft:
        rng = self.rng
        name, username, bio, location = self.celebs.pop()
        created = self._created(6 * 365, 15 * 365)
        self.usernames.add(username)
        city = location.split(" / ")[0]
        return _Draft(
            username=username,
            name=name,
            created_ms=created,
            description=bio,
            location=location,
            url=f"https://{username}.example",
            avatar=self._avatar(),
            verified_type=VerifiedType.BLUE,
            followers=self._log_int(1_000_000, 40_000_000),
            following=rng.randint(50, 900),
            tweets=self._tweets(created, 0.5, 12),
            listed=rng.randint(2_000, 40_000),
            n_posts=rng.randint(3, 10),
            newest_ago=rng.randint(_HOUR, 6 * _DAY),
            span=rng.randint(10, 60) * _DAY,
            lines=[p.format(city=city) for p in _CELEB_POSTS],
        )

    def _egg(self) -> _Draft:
        rng = self.rng
        name = rng.choice(_EGG_NAMES)
        n_posts = rng.randint(1, 3)
        created = self._created(10, 900)
        handle = self._username(name)
        if rng.random() < 0.6:
            self.usernames.discard(handle)
            handle = f"{handle[:6]}{rng.randint(10**7, 10**9 - 1)}"[:15]
            self.usernames.add(handle)
        return _Draft(
            username=handle,
            name=name,
            created_ms=created,
            avatar=DEFAULT_AVATAR_URL,
            followers=rng.randint(0, 8),
            following=rng.randint(40, 2000),
            tweets=n_posts + rng.randint(0, 5),
            n_posts=n_posts,
            newest_ago=rng.randint(_HOUR, 40 * _DAY),
            span=rng.randint(1, 60) * _DAY,
            lines=list(_EGG_POSTS),
        )

    def _checkin(self) -> str:
        rng = self.rng
        place, city = rng.choice(_VENUES)
        code = "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        if rng.random() < 0.5:
            return f"I'm at {place} in {city} https://www.swarmapp.com/c/{code}"
        comment = rng.choice(_CHECKIN_COMMENTS)
        return f"{comment} (@ {place} in {city}) https://4sq.com/{code[:7]}".lstrip()

    def _overlay(self, d: _Draft, hard: _Hard) -> None:
        """Give a profile the hard text of one kind (names, bios, locations and a post or two)."""
        i = self.hard_used[hard]
        self.hard_used[hard] += 1
        posts: tuple[str, ...] = ()
        if hard is _Hard.CJK:
            d.name, d.description, d.location, posts = _CJK[i % len(_CJK)]
        elif hard is _Hard.RTL:
            d.name, d.description, d.location, posts = _RTL[i % len(_RTL)]
        elif hard is _Hard.EMOJI:
            suffix, d.description, d.location, posts = _EMOJI[i % len(_EMOJI)]
            d.name += suffix
        elif hard is _Hard.COMBINING:
            d.name, bio, d.location = _COMBINING[i % len(_COMBINING)]
            d.description = f"{bio} {self._zalgo('he comes')}"
            posts = (self._zalgo("it is fine, everything is fine"),)
        elif hard is _Hard.LONG_BIO:
            sentences = list(_LONG_SENTENCES)
            self.rng.shuffle(sentences)
            d.description = " ".join(sentences)
        elif hard is _Hard.MARKUP:
            d.name, d.description, d.location, posts = _MARKUP[i % len(_MARKUP)]
        else:
            d.name, d.description, d.location, posts = _ESCAPE[i % len(_ESCAPE)]
        d.lead = [*d.lead, *posts]
        d.n_posts = max(d.n_posts, len(d.lead) + d.mentions_me)

    def _zalgo(self, text: str) -> str:
        marks = [chr(c) for c in range(0x0300, 0x0370)]
        return "".join(c + "".join(self.rng.choices(marks, k=self.rng.randint(1, 4))) for c in text)

    # ---- posts, accounts, relationships

    def _account(self, d: _Draft) -> Account:
        d.id = self._new_id(d.created_ms)
        posts = self._posts(d)
        return Account(
            id=d.id,
            username=d.username,
            name=d.name,
            description=d.description,
            location=d.location,
            url=d.url,
            created_at=_dt(d.created_ms),
            profile_image_url=d.avatar,
            protected=d.protected,
            verified=d.verified_type != VerifiedType.NONE,
            verified_type=d.verified_type,
            followers_count=d.followers,
            following_count=d.following,
            tweet_count=max(d.tweets, len(posts)),
            listed_count=d.listed,
            most_recent_tweet_id=posts[0].id if posts else None,
            state=d.state,
            posts=posts,
        )

    def _posts(self, d: _Draft) -> tuple[Post, ...]:
        rng = self.rng
        if d.n_posts == 0:
            return ()
        floor = d.created_ms + _HOUR
        newest = max(self.now_ms - d.newest_ago, floor + _HOUR)
        times = sorted(
            (newest, *(rng.randint(max(floor, newest - d.span), newest) for _ in range(d.n_posts - 1))),
            reverse=True,
        )
        mention_times = sorted(
            (rng.randint(max(floor, self.now_ms - 25 * _DAY), self.now_ms - 20 * 60_000) for _ in range(d.mentions_me)),
            reverse=True,
        )
        texts = [*d.lead]
        pool = [t for t in d.lines if t not in texts]
        rng.shuffle(pool)
        texts += pool
        while len(texts) < d.n_posts:
            texts.append(rng.choice(_GENERIC_POSTS))
        posts = [self._post(d.id, ms, text) for ms, text in zip(times[d.mentions_me :], texts, strict=False)]
        for ms in mention_times:
            posts.append(self._mention(d, ms))
        posts.sort(key=lambda p: int(p.id), reverse=True)
        return tuple(posts)

    def _post(
        self, author_id: str, ms: int, text: str, reply_to: str | None = None, mentioned: tuple[str, ...] = ()
    ) -> Post:
        self.seq += 1
        return Post(
            id=snowflake(ms, self.seq),
            author_id=author_id,
            text=text,
            created_at=_dt(ms),
            in_reply_to_user_id=reply_to,
            mentioned_ids=mentioned,
        )

    def _mention(self, d: _Draft, ms: int) -> Post:
        rng = self.rng
        if d.talks:
            text = f"@{_ME.username} {rng.choice(_MENTION_TALK)}"
            reply_to = _ME.id if rng.random() < 0.6 else None
            return self._post(d.id, ms, text, reply_to, (_ME.id,))
        return self._post(d.id, ms, rng.choice(_MENTION_ONLY), None, (_ME.id,))

    def _my_posts(self, talk: list[Post], active: list[Account]) -> list[Post]:
        rng = self.rng
        usernames = {a.id: a.username for a in active}
        posts = [
            self._post(_ME.id, self.now_ms - rng.randint(_HOUR, 40 * _DAY), text) for text in rng.sample(_MY_POSTS, 12)
        ]
        for mention in talk:
            ms = min(_post_ms(mention) + rng.randint(5 * 60_000, 8 * _HOUR), self.now_ms - 60_000)
            text = f"@{usernames[mention.author_id]} {rng.choice(_MY_REPLIES)}"
            posts.append(self._post(_ME.id, ms, text, mention.author_id, (mention.author_id,)))
        talkers = {p.author_id for p in talk}
        for other in rng.sample([a for a in active if a.id not in talkers], 4):
            ms = min(_post_ms(other.posts[0]) + rng.randint(10 * 60_000, 3 * _HOUR), self.now_ms - 60_000)
            text = f"@{other.username} {rng.choice(_MY_REPLIES)}"
            posts.append(self._post(_ME.id, ms, text, other.id, (other.id,)))
        posts.sort(key=lambda p: int(p.id), reverse=True)
        return posts

    def _relationship(self, slot: _Slot, account: Account) -> Relationship:
        rng = self.rng
        created = account.created_at or self.now
        old_floor = max(created + timedelta(days=1), self.now - timedelta(days=6 * 365))
        old_ceiling = self.previous_sync - timedelta(days=1)

        def old() -> datetime:
            span = max(0, int((old_ceiling - old_floor).total_seconds()))
            return old_ceiling - timedelta(seconds=rng.randint(0, span))

        def new() -> datetime:
            span = int((self.last_sync - self.previous_sync).total_seconds())
            return self.previous_sync + timedelta(seconds=rng.randint(60, span))

        bucket = slot.bucket
        follower_first: datetime | None = None
        follower_last: datetime | None = None
        following = bucket in (_B.NEW_MUTUAL, _B.MUTUAL, _B.FOLLOWING) or (bucket is _B.LEFT and rng.random() < 0.4)
        if bucket in (_B.NEW_FOLLOWER, _B.NEW_MUTUAL):
            follower_first, follower_last = new(), self.last_sync
        elif bucket in (_B.FOLLOWER, _B.MUTUAL):
            follower_first, follower_last = old(), self.last_sync
        elif bucket is _B.LEFT:
            follower_first, follower_last = old(), self.previous_sync
        return Relationship(
            account_id=account.id,
            follower=bucket not in (_B.FOLLOWING, _B.LEFT),
            following=following,
            follower_first_seen=follower_first,
            follower_last_seen=follower_last,
            following_first_seen=old() if following else None,
            following_last_seen=self.last_sync if following else None,
        )

    def _list(self, theme: _Theme, slots: list[_Slot], accounts: list[Account]) -> ListInfo:
        members = tuple(a.id for s, a in zip(slots, accounts, strict=True) if s.theme is theme)
        return ListInfo(
            id=str(self.rng.randint(10**18, 2 * 10**18)),
            name=theme.name,
            description=theme.description,
            private=theme.private,
            member_ids=members,
        )
