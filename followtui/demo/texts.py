"""The demo's text pools: names, places, bios, posts, organisations, lists and hostile strings.

Pure data, no logic: ``followtui.demo.generator`` draws from these in a fixed order, so reordering or
editing any entry changes the generated demo graph.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    """An owned list and what its members look like."""

    name: str
    description: str
    private: bool
    size: int
    places: tuple[str, ...] = ()  # locations of members (place lists)
    bios: tuple[str, ...] = ()  # bio openings of members (topic lists)
    posts: tuple[str, ...] = ()
    culture: str | None = None


@dataclass(frozen=True, slots=True)
class Culture:
    first: tuple[str, ...]
    last: tuple[str, ...]
    places: tuple[str, ...]


CULTURES: dict[str, Culture] = {
    "us": Culture(
        ("Emily", "Jake", "Maya", "Tyler", "Jordan", "Olivia", "Marcus", "Hannah", "Caleb", "Aisha"),
        ("Johnson", "Miller", "Brooks", "Carter", "Reed", "Foster", "Hayes", "Simmons"),
        ("Portland, OR", "Austin, TX", "Chicago", "Brooklyn, NY", "Minneapolis", "Denver, CO", "Oakland, CA"),
    ),
    "gb": Culture(
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Freya", "Alfie", "Poppy", "Niamh", "Callum"),
        ("Taylor", "Evans", "Hughes", "Walsh", "Clarke", "Bennett", "O'Neill", "MacLeod"),
        ("Manchester", "Bristol", "Leeds", "London", "Glasgow", "Cardiff", "Belfast"),
    ),
    "de": Culture(
        ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Tobias", "Johanna", "Katrin", "Matthias"),
        ("Müller", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer", "Krüger"),
        ("Hamburg", "München", "Köln", "Leipzig", "Wien", "Zürich", "Stuttgart", "Dresden"),
    ),
    "pt": Culture(
        ("João", "Inês", "Tiago", "Beatriz", "Rui", "Mariana", "Duarte", "Sofia", "Thiago", "Larissa"),
        ("Silva", "Santos", "Ferreira", "Costa", "Oliveira", "Pereira", "Rodrigues", "Almeida"),
        ("Porto", "Coimbra", "Braga", "Faro", "São Paulo", "Recife", "Belo Horizonte"),
    ),
    "es": Culture(
        ("Lucía", "Mateo", "Carmen", "Diego", "Valentina", "Javier", "Paula", "Andrés", "Ximena"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Ortega"),
        ("Madrid", "Barcelona", "Sevilla", "Valencia", "CDMX", "Buenos Aires", "Bogotá", "Santiago"),
    ),
    "fr": Culture(
        ("Camille", "Léa", "Hugo", "Chloé", "Théo", "Manon", "Julien", "Élodie", "Mathis"),
        ("Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Fontaine"),
        ("Lyon", "Paris", "Marseille", "Nantes", "Bordeaux", "Montréal", "Bruxelles"),
    ),
    "ng": Culture(
        ("Chinedu", "Ngozi", "Oluwaseun", "Amaka", "Tunde", "Funmilayo", "Emeka", "Adaeze"),
        ("Okafor", "Adeyemi", "Nwosu", "Balogun", "Eze", "Ogunleye", "Okonkwo"),
        ("Lagos", "Abuja", "Ibadan", "Enugu", "Port Harcourt"),
    ),
    "in": Culture(
        ("Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Siddharth", "Ishaan"),
        ("Sharma", "Iyer", "Reddy", "Banerjee", "Nair", "Kulkarni", "Gupta", "Menon"),
        ("Bengaluru", "Mumbai", "Pune", "Chennai", "Hyderabad", "Kolkata", "New Delhi"),
    ),
    "jp": Culture(
        ("Haruto", "Yui", "Sota", "Hina", "Ren", "Aoi", "Kenji", "Sakura", "Daiki", "Mei"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
        ("Osaka", "Kyoto", "Sapporo", "Fukuoka", "Nagoya", "Yokohama"),
    ),
    "cn": Culture(
        ("Wei", "Na", "Jun", "Xiaoming", "Mei", "Hao", "Yan", "Zhiwei", "Jing"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhou"),
        ("Shanghai", "Beijing", "Shenzhen", "Chengdu", "Taipei", "Hong Kong", "Singapore"),
    ),
    "kr": Culture(
        ("Minjun", "Seoyeon", "Jiho", "Hayun", "Dohyun", "Jiwoo", "Yuna", "Taeyang"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon"),
        ("Seoul", "Busan", "Incheon", "Daejeon"),
    ),
    "ar": Culture(
        ("Layla", "Omar", "Yasmin", "Karim", "Nour", "Hassan", "Rania", "Tariq", "Salma"),
        ("Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "Aziz", "Farouk"),
        ("Amman", "Beirut", "Cairo", "Dubai", "Casablanca", "Tunis", "Doha"),
    ),
    "tr": Culture(
        ("Elif", "Emre", "Zeynep", "Burak", "Ayşe", "Mert", "Deniz", "Cem"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"),
        ("İstanbul", "Ankara", "İzmir", "Antalya"),
    ),
    "pl": Culture(
        ("Katarzyna", "Piotr", "Agnieszka", "Tomasz", "Zofia", "Michał", "Wojciech"),
        ("Kowalski", "Nowak", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski"),
        ("Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań"),
    ),
    "nordic": Culture(
        ("Astrid", "Erik", "Ingrid", "Lars", "Sigrid", "Magnus", "Freja", "Nils", "Aino"),
        ("Andersson", "Johansson", "Lindqvist", "Nielsen", "Hansen", "Berg", "Virtanen"),
        ("Stockholm", "Göteborg", "Oslo", "København", "Helsinki", "Malmö", "Bergen"),
    ),
    "ke": Culture(
        ("Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Kiprop", "Wambui"),
        ("Mwangi", "Odhiambo", "Kariuki", "Chebet", "Kimani", "Ouma"),
        ("Nairobi", "Mombasa", "Kisumu", "Nakuru"),
    ),
    "vn": Culture(
        ("Linh", "Minh", "Thảo", "Huy", "Trang", "Quang", "Vy"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"),
        ("Hà Nội", "Hồ Chí Minh City", "Đà Nẵng", "Huế"),
    ),
}
CULTURE_NAMES = tuple(CULTURES)
ODD_PLACES = (
    "the internet",
    "somewhere with coffee",
    "🌍",
    "he/him · Earth",
    "Low Earth Orbit (in spirit)",
    "between trains",
    "your timeline",
)

JOBS: tuple[tuple[str, tuple[str, ...]], ...] = (
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

HOBBIES: tuple[tuple[str, tuple[str, ...]], ...] = (
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

GENERIC_POSTS = (
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

EXTRAS = (
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

THEMES = (
    Theme(
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
    Theme(
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
    Theme(
        "Tokyo",
        "Tokyo people",
        private=False,
        size=14,
        places=("Tokyo", "東京", "Tokyo, Japan", "東京都渋谷区", "Shibuya, Tokyo"),
        posts=("Yamanote line at 8am is a contact sport.", "桜が咲き始めました 🌸"),
        culture="jp",
    ),
    Theme(
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
    Theme(
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
    Theme(
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
ORGS = (
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
ORG_POSTS = (
    "We're hiring! Join the {name} team: {url}/jobs",
    "Our opening hours change next week. Details: {url}",
    "Hi! Sorry to hear that. Please send us a DM with your reference number and we'll look into it.",
    "New this month at {name}: more of what you asked for. {url}",
    "Scheduled maintenance tonight from 02:00 to 04:00. Thank you for your patience.",
    "Thank you for 10 years with {name}! 🎉",
    "Reminder: we will never ask for your password by DM.",
)

# (name, username, bio, location)
CELEBS = (
    ("Marisol Vega", "marisolvega", "Singer. New album 'Tidal' out now. Tour dates ↓", "Los Angeles"),
    ("Dr. Kofi Mensah", "kofimensah", "Astrophysicist, author of 'Small Stars'. TV sometimes.", "Accra / London"),
    ("Hiro Tanabe", "hirotanabe", "Chef. Five restaurants, one grandmother's recipe book.", "Tokyo"),
    ("Ingrid Solberg", "ingridsolberg", "Olympic cross-country skier 🥇🥇. Coffee ambassador.", "Trondheim"),
    ("Sam Okoro", "samokoro", "Comedian. I say things into microphones. Tickets in bio link.", "Lagos / NYC"),
    ("Elena Marchetti", "elenamarchetti", "Novelist. 'The Salt Road' is a Netflix series now, apparently.", "Milano"),
    ("Jae-won Park", "jaewonpark", "Actor. 배우. Thank you for watching.", "Seoul"),
    ("Priya Desai", "priyadesai", "Tennis. Three slams, zero chill.", "Mumbai"),
)
CELEB_POSTS = (
    "Thank you {city}!! What a night. See you next year ❤️",
    "Big news coming Friday. 👀",
    "Grateful for every single one of you.",
    "On set today. Can't say more yet!",
    "Link to tickets: https://tickets.example/tour",
    "Rest day. Doing nothing, professionally.",
)

# (place, city) pairs for Foursquare/Swarm check-ins.
VENUES = (
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
CHECKIN_COMMENTS = ("Lunch 🍜", "Back again", "Coffee time ☕", "Finally!", "Meeting here", "With @friends", "")

EGG_NAMES = (
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
EGG_POSTS = (
    "hi",
    "hello twitter",
    "good morning",
    "Who else is watching the game tonight?",
    "Check my profile for an amazing opportunity 💰",
    "first tweet",
    "nice",
    "lol",
)

NEWCOMER_POSTS = (
    "New here 👋 Finally made an account after lurking for years.",
    "Still figuring out how this site works. Hi everyone!",
    "Second week here and my timeline is mostly birds and bread. Perfect.",
    "Okay I get it now, this place is fun.",
)

MENTION_TALK = (
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
MENTION_ONLY = (  # {me}: the demo user's handle, on each network
    "Great talk by @{me} today",
    "cc @{me} you'd like this",
    "Following @{me} for the engine updates, highly recommend",
    "@{me} check this out https://example.com/looms",
    "According to @{me} this is a solved problem. It is not.",
)
MY_REPLIES = (
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
MY_POSTS = (
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

# Hard text: (handle, name, bio, location, posts) by kind (COMBINING: no posts; an empty handle keeps the
# person's own); a pick uses entries in order. MARKUP and ESCAPE (no handle) appear only with generate(hostile=True).
CJK = (
    (
        "hanako_yamada",
        "山田 花子",
        "東京で写真を撮っています。猫と珈琲が好き。",
        "東京都",
        ("今日は雨なので家で読書 📚", "新しいカメラを買いました！"),
    ),
    (
        "wangwei_sh",
        "王伟",
        "上海 · 程序员，喜欢徒步和咖啡。",
        "上海",
        ("周末去爬山，空气很好。", "今天的代码终于跑通了 🎉"),
    ),
    (
        "jimin_draws",
        "김지민",
        "서울에서 일러스트를 그려요 🎨 고양이 두 마리",
        "서울특별시",
        ("오늘 카페에서 그림 그렸어요", "새 작품 공개합니다!"),
    ),
    (
        "kentaro_sato",
        "佐藤 健太郎",
        "大阪出身のエンジニア。ラーメンと将棋。",
        "大阪",
        ("将棋の大会に出ました。三回戦で負けた。",),
    ),
    ("chenjing_reads", "陈静", "台北的图书管理员，每天读一本书。", "台北市", ("今天推荐一本好书：《活着》",)),
    ("seoyeon_busan", "이서연", "부산 바다 사진 📷 여행 좋아해요", "부산", ("해운대 일몰 최고예요",)),
)
RTL = (
    (
        "layla_hassan",
        "ليلى الحسن",
        "مهندسة برمجيات في عمّان. أحب القهوة والكتب.",
        "عمّان، الأردن",
        ("صباح الخير من عمّان ☀️", "أنهيت كتابًا رائعًا اليوم"),
    ),
    ("noa_cohen", "נועה כהן", "מפתחת ווב בתל אביב. אוהבת ים וקפה.", "תל אביב", ("בוקר טוב! קפה ראשון של היום ☕",)),
    (
        "omar_khalil",
        "عمر خليل",
        "مصوّر فوتوغرافي | Photographer based in Beirut 📷 بيروت",
        "بيروت",
        ("غروب الشمس على الكورنيش اليوم",),
    ),
    (
        "david_levi",
        "דוד לוי",
        "Teacher / מורה למתמטיקה. Mixed RTL and LTR: שלום world 123",
        "ירושלים",
        ("היום למדנו על מספרים ראשוניים",),
    ),
    (
        "maryam_cairo",
        "مريم Maryam 😊",
        "طالبة طب في القاهرة — med student, Cairo",
        "القاهرة 🇪🇬",
        ("امتحان غدًا، ادعوا لي",),
    ),
)
EMOJI = (
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
COMBINING = (
    ("zoe_martin", "Zoe\u0308 Martin", "Artist. Zoe\u0308, not Zoe, not Zoë-with-one-codepoint.", "Montre\u0301al"),
    ("", "".join(c + "\u0337" for c in "Zalgo"), "he comes", "the void"),
    ("renee_dubois", "Rene\u0301e Dubois", "Cafe\u0301 owner. Cre\u0300me bru\u0302le\u0301e expert.", "Lyon"),
    (
        "lan_nguyen",
        "Nguye\u0302\u0303n Thi\u0323 Lan",
        "Ha\u0300 No\u0323\u0302i food blogger",
        "Ha\u0300 No\u0323\u0302i",
    ),
    (
        "angstrom_m",
        "A\u030angstro\u0308m Ma\u030angsdo\u0301ttir",
        "Physicist. Unit of length enthusiast.",
        "Reykjavi\u0301k",
    ),
)
MARKUP = (
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
ESCAPE = (
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
LONG_SENTENCES = (
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

# Follow-back bait (Bluesky's demo): bios that trade follows, and what such accounts post.
BAIT_BIOS = (
    "I always follow back 🔁 Music, memes and good vibes.",
    "#TeamFollowBack · F4F · be kind",
    "Follow for follow 💯 Growing my network, one handle at a time.",
    "Gain followers fast! Follow train every Friday 🚂",
    "Crypto · fitness · motivation. Follow back guaranteed ✅",
    "Promos in DMs 📩 Follow back 100%",
)
BAIT_POSTS = (
    "Follow train 🚂 Reply with your handle and follow everyone who replies!",
    "Who wants more followers? Repost this and I follow back 🔁",
    "Let's grow together 🌱 Drop your handle below.",
    "Just hit 5,000! Thank you all, following back everyone today 🙏",
)
# The demo's Bluesky user, a teacher (as many of the people who moved there are): as many texts as MY_POSTS.
MY_POSTS_TEACHER = (
    "The children built a sundial today. It was wrong by an hour and they were delighted.",
    "Materials first, words after. Always.",
    "A classroom is a prepared environment, not a stage.",
    "Today's lesson: let them pour the water themselves, and bring a towel.",
    "Reading the observation notes from this term. So much growth.",
    "Why does everyone think play is the opposite of learning?",
    "Rewrote the reading-corner labels for the third time. Bigger letters now.",
    "Long walk, better ideas for Monday.",
    "Counting beads again. Concrete before abstract is underrated.",
    "Parent evening went well. Nobody asked about grades, everyone asked about the garden.",
    "The child is both a hope and a promise for mankind.",
    "Working on a talk about mixed-age classrooms. Feedback welcome!",
    "Tea, lesson plans, a quiet afternoon. Perfect.",
    "Hot take: tidying up is part of the curriculum.",
    "Demo mode: everything here is made up, including me.",
)
