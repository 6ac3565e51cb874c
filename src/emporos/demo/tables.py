"""The demo shop's data tables: the catalog, people's names, cities, shipping and payment habits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from emporos.catalog.models import FulfillmentMode, OutOfStockPolicy
from emporos.core.actor import Actor
from emporos.orders.models import LineStockState, VerificationOutcome

HISTORY_DAYS = 90
CUSTOMERS_PER_COUNTRY = {"GR": 150, "PL": 90, "IL": 60}
ORDER_COUNT = 1000
FRESH_ORDERS = 3  # the newest orders, placed minutes ago and not yet touched by anyone
HELD_FOR_DAYS = 14  # orders held in the last two weeks are still on hold; older ones were released

# --- the catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ProductSpec:
    code: str
    name: str
    variants: tuple[tuple[str, str, str, int], ...]  # SKU, variant label, price in EUR, weight in grams
    popularity: int
    is_food: bool = True
    mode: str = FulfillmentMode.PHYSICAL
    policy: str = OutOfStockPolicy.DENY
    is_consumable: bool = False
    on_sale_days: int = HISTORY_DAYS + 10  # sold for this many days before today


_P = _ProductSpec
_MTO, _PRE, _DIGITAL, _MEMBER = (
    FulfillmentMode.MADE_TO_ORDER,
    FulfillmentMode.PREORDER,
    FulfillmentMode.DIGITAL,
    FulfillmentMode.MEMBERSHIP,
)
_BACKORDER = OutOfStockPolicy.BACKORDER

# fmt: off
CATALOG: tuple[_ProductSpec, ...] = (
    _P("koroneiki-olive-oil", "Koroneiki Extra Virgin Olive Oil", (("OIL-KOR-500", "500 ml tin", "9.90", 640), ("OIL-KOR-1L", "1 l tin", "16.90", 1150), ("OIL-KOR-3L", "3 l tin", "42.00", 3250), ("OIL-KOR-5L", "5 l tin", "64.00", 5300)), 12, is_consumable=True),
    _P("kalamata-olives", "Kalamata Olives in Brine", (("OLV-KAL-350", "350 g jar", "5.40", 620), ("OLV-KAL-1K", "1 kg pouch", "12.90", 1100)), 7),
    _P("thyme-honey-crete", "Cretan Thyme Honey", (("HON-THY-250", "250 g jar", "8.50", 420), ("HON-THY-450", "450 g jar", "13.90", 700), ("HON-THY-950", "950 g jar", "24.50", 1350)), 9),
    _P("pine-honey-thasos", "Thasos Pine Honey", (("HON-PIN-450", "450 g jar", "11.90", 700),), 4),
    _P("mountain-tea", "Mountain Tea (Tsai tou Vounou)", (("TEA-MOUNTAIN-30", "wild, 30 g bunch", "4.20", 60), ("TEA-MOUNTAIN-100", "organic, 100 g tin", "19.90", 190)), 7, is_consumable=True),
    _P("chios-mastiha", "Chios Mastiha Tears", (("MAS-TEAR-10", "10 g", "6.90", 40), ("MAS-TEAR-25", "25 g", "14.90", 70)), 4),
    _P("kozani-saffron", "Krokos Kozanis Saffron", (("SAF-KOZ-1G", "1 g", "9.80", 30), ("SAF-KOZ-4G", "4 g", "33.00", 45)), 3),
    _P("wild-oregano", "Wild Oregano from Taygetos", (("HRB-ORE-50", "50 g bunch", "3.90", 80),), 5),
    _P("trahanas", "Village Trahanas (sweet)", (("PST-TRA-500", "500 g", "4.80", 520),), 3),
    _P("kritharaki", "Kritharaki Pasta", (("PST-KRI-500", "500 g", "2.60", 510),), 3),
    _P("santorini-fava", "Santorini Fava (PDO)", (("LEG-FAV-500", "500 g", "7.40", 520),), 4),
    _P("spoon-sweets", "Spoon Sweet (Glyko tou Koutaliou)", (("SWT-SPN-CHR", "sour cherry, 450 g", "6.90", 700), ("SWT-SPN-BRG", "bergamot, 450 g", "6.90", 700), ("SWT-SPN-QNC", "quince, 450 g", "6.90", 700), ("SWT-SPN-FIG", "fig, 450 g", "7.20", 700)), 5),
    _P("syros-loukoumi", "Syros Loukoumi with Rose", (("SWT-LOU-400", "400 g box", "7.50", 450),), 4),
    _P("sesame-pasteli", "Sesame and Honey Pasteli", (("SWT-PAS-6", "6 bars of 40 g", "5.90", 270),), 4),
    _P("tahini", "Whole Sesame Tahini", (("TAH-300", "300 g jar", "4.90", 380), ("TAH-900", "900 g jar", "11.90", 1050)), 5),
    _P("macedonian-halva", "Macedonian Halva with Almonds", (("SWT-HAL-400", "400 g", "5.20", 430),), 4),
    _P("greek-coffee", "Greek Coffee (Ellinikos), fine ground", (("COF-GRK-96", "96 g", "2.40", 110), ("COF-GRK-194", "194 g", "4.50", 215), ("COF-GRK-490", "490 g", "9.90", 520)), 8, is_consumable=True),
    _P("espresso-capsules", "Espresso Capsules, Nespresso compatible", (("CAP-INT-10", "Intenso, 10 capsules", "3.90", 60), ("CAP-LUN-10", "Lungo, 10 capsules", "3.90", 60), ("CAP-DEC-10", "Decaf, 10 capsules", "4.20", 60), ("CAP-INT-50", "Intenso, 50 capsules", "17.50", 290)), 9, is_consumable=True),
    _P("messolonghi-salt", "Messolonghi Sea Salt Flakes", (("SLT-MES-250", "250 g", "4.60", 280),), 3),
    _P("santorini-capers", "Santorini Capers", (("CPR-SAN-180", "180 g jar", "6.40", 300),), 3),
    _P("sundried-tomatoes", "Sun-dried Tomatoes in Olive Oil", (("TOM-SUN-280", "280 g jar", "5.80", 450),), 3),
    _P("barley-rusks", "Cretan Barley Rusks (Paximadia)", (("RSK-BAR-500", "500 g", "3.90", 520),), 4),
    _P("kymi-figs", "Dried Figs from Kymi", (("FIG-KYM-400", "400 g", "6.20", 420),), 3),
    _P("aegina-pistachios", "Aegina Pistachios, roasted", (("PIS-AEG-250", "250 g", "8.90", 270), ("PIS-AEG-500", "500 g", "16.90", 530)), 5),
    _P("herbal-tea-sampler", "Herbal Tea Sampler", (("TEA-SMP-6", "6 tins", "22.00", 480),), 2),
    _P("olive-oil-soap", "Olive Oil Soap", (("SOP-OLV-3", "pure, 3 bars of 100 g", "6.50", 320), ("SOP-LAU-3", "with laurel, 3 bars of 100 g", "7.20", 320)), 5, is_food=False, is_consumable=True),
    _P("beeswax-candles", "Beeswax Candles", (("CND-BEE-6", "6 tapers", "14.00", 420),), 2, is_food=False, is_consumable=True),
    _P("olive-wood-board", "Olive Wood Cutting Board", (("WOD-BRD-30", "30 cm", "24.00", 900), ("WOD-BRD-40", "40 cm", "38.00", 1500)), 4, is_food=False, policy=_BACKORDER),
    _P("olive-wood-spoons", "Olive Wood Spoon Set", (("WOD-SPN-3", "3 spoons", "16.50", 210),), 3, is_food=False),
    _P("copper-briki", "Copper Briki (Greek coffee pot)", (("BRK-CU-2", "2 cups", "18.00", 260), ("BRK-CU-4", "4 cups", "22.00", 340)), 4, is_food=False),
    _P("mati-charm", "Evil Eye (Mati) Glass Charm", (("MAT-GLS-S", "small", "5.50", 40), ("MAT-GLS-L", "large", "9.50", 90)), 4, is_food=False),
    _P("sifnos-bowl", "Hand-thrown Ceramic Bowl from Sifnos", (("CER-BWL-BLU", "blue glaze", "26.00", 750), ("CER-BWL-WHT", "white glaze", "26.00", 750)), 3, is_food=False, policy=_BACKORDER),
    _P("tavli-board", "Tavli Backgammon Board, walnut", (("TAV-WAL-45", "45 cm", "59.00", 2800),), 2, is_food=False, policy=_BACKORDER),
    _P("komboloi", "Komboloi Worry Beads", (("KMB-AMB", "amber resin", "19.00", 60), ("KMB-OLV", "olive wood", "14.00", 40)), 3, is_food=False),
    _P("linen-tablecloth", "Linen Tablecloth", (("LIN-TBL-180", "natural, 140 × 180 cm", "49.00", 650), ("LIN-TBL-240", "natural, 140 × 240 cm", "62.00", 820), ("LIN-TBL-BLU", "Aegean blue, 140 × 180 cm", "52.00", 650)), 2, is_food=False, policy=_BACKORDER),
    _P("oil-cruet", "Glass Oil Cruet (Ladiera)", (("CRU-GLS-500", "500 ml", "12.50", 380),), 3, is_food=False),
    _P("marble-mortar", "Marble Mortar and Pestle", (("MRB-MRT-14", "14 cm", "24.00", 2200),), 2, is_food=False),
    _P("mezze-cookbook", "The Mezze Table (hardcover cookbook)", (("BOK-MEZ-EN", "English edition", "29.90", 980), ("BOK-MEZ-EL", "Greek edition", "29.90", 980)), 3, is_food=False),
    _P("gift-box", "Deli Gift Box", (("GFT-BOX-S", "small: oil, honey, tea", "35.00", 1600), ("GFT-BOX-L", "large: eight favourites", "65.00", 3400)), 4),
    _P("byzantine-icon", "Hand-painted Byzantine Icon (egg tempera)", (("ICN-HP-2025", "20 × 25 cm", "180.00", 900), ("ICN-HP-3040", "30 × 40 cm", "320.00", 1600)), 2, is_food=False, mode=_MTO, on_sale_days=21),
    _P("mezze-cookbook-2", "The Mezze Table, volume 2 (signed)", (("BOK-MEZ2-EN", "English edition", "34.90", 1050), ("BOK-MEZ2-EL", "Greek edition", "34.90", 1050)), 3, is_food=False, mode=_PRE, on_sale_days=24),
    _P("home-cooking-ebook", "Greek Home Cooking, e-book (PDF and EPUB)", (("EBK-HOME", "e-book", "12.00", 0),), 3, is_food=False, mode=_DIGITAL),
    _P("phyllo-class", "Online Class: Phyllo from Scratch (video)", (("VID-PHYLLO", "streaming, lifetime access", "25.00", 0),), 2, is_food=False, mode=_DIGITAL),
    _P("deli-club", "Deli Club Membership", (("CLUB-YEAR", "one year", "29.00", 0), ("CLUB-MONTH", "one month", "3.50", 0)), 2, is_food=False, mode=_MEMBER),
)
# fmt: on
_SPECS = {spec.code: spec for spec in CATALOG}
PREORDER_LEAD_DAYS = 45  # the pre-order ships this many days after the load

LOCATIONS = (
    ("athens", "Athens warehouse", 1),
    ("thessaloniki", "Thessaloniki store room", 2),
    ("warsaw", "Warsaw 3PL", 3),
)
RESTOCK_LOCATION = "athens"
# The few empty shelves a real shop always has: opening counts (athens, thessaloniki, warsaw) of
# SKUs that are hard to get, the days before today of their last delivery, and backorder SKUs
# that a stock count found empty some days ago (their orders since then wait for the workshop).
SCARCE_OPENING = {"SAF-KOZ-4G": (6, 2, 0), "MAS-TEAR-25": (8, 0, 0), "LIN-TBL-BLU": (2, 1, 0), "CER-BWL-BLU": (4, 0, 0)}
LAST_DELIVERY_DAYS = {"SAF-KOZ-4G": 40, "MAS-TEAR-25": 35, "LIN-TBL-BLU": 25, "CER-BWL-BLU": 18, "TAV-WAL-45": 10}
SOLD_OUT_DAYS = {"CER-BWL-BLU": 18, "TAV-WAL-45": 10}
# What Poland buys most is also kept at the 3PL in Warsaw.
WARSAW_SKUS = frozenset(
    {"OIL-KOR-500", "OIL-KOR-1L", "HON-THY-450", "TAH-300", "SWT-HAL-400", "CAP-INT-10", "CAP-LUN-10", "COF-GRK-194"}
)

# --- people and places ---------------------------------------------------------------------------

# fmt: off
GREEK_MEN = (("Γιώργος", "giorgos"), ("Κωνσταντίνος", "konstantinos"), ("Δημήτρης", "dimitris"), ("Νίκος", "nikos"), ("Γιάννης", "giannis"), ("Παναγιώτης", "panagiotis"), ("Βασίλης", "vasilis"), ("Χρήστος", "christos"), ("Θανάσης", "thanasis"), ("Μιχάλης", "michalis"), ("Σπύρος", "spyros"), ("Βαγγέλης", "vangelis"), ("Αλέξανδρος", "alexandros"), ("Στέλιος", "stelios"), ("Θοδωρής", "thodoris"), ("Άγγελος", "angelos"), ("Παύλος", "pavlos"))
GREEK_WOMEN = (("Μαρία", "maria"), ("Ελένη", "eleni"), ("Κατερίνα", "katerina"), ("Βασιλική", "vasiliki"), ("Σοφία", "sofia"), ("Αγγελική", "angeliki"), ("Γεωργία", "georgia"), ("Δήμητρα", "dimitra"), ("Κωνσταντίνα", "konstantina"), ("Βούλα", "voula"), ("Ευαγγελία", "evangelia"), ("Χριστίνα", "christina"), ("Ιωάννα", "ioanna"), ("Αναστασία", "anastasia"), ("Δέσποινα", "despoina"), ("Φωτεινή", "foteini"), ("Ειρήνη", "eirini"))
# Greek surnames: (male, female, male in Latin letters, female in Latin letters)
GREEK_SURNAMES = (("Παπαδόπουλος", "Παπαδοπούλου", "papadopoulos", "papadopoulou"), ("Παπαδάκης", "Παπαδάκη", "papadakis", "papadaki"), ("Γεωργίου", "Γεωργίου", "georgiou", "georgiou"), ("Οικονόμου", "Οικονόμου", "oikonomou", "oikonomou"), ("Νικολάου", "Νικολάου", "nikolaou", "nikolaou"), ("Ιωάννου", "Ιωάννου", "ioannou", "ioannou"), ("Βασιλείου", "Βασιλείου", "vasileiou", "vasileiou"), ("Δημητρίου", "Δημητρίου", "dimitriou", "dimitriou"), ("Αντωνίου", "Αντωνίου", "antoniou", "antoniou"), ("Μακρής", "Μακρή", "makris", "makri"), ("Παππάς", "Παππά", "pappas", "pappa"), ("Καραγιάννης", "Καραγιάννη", "karagiannis", "karagianni"), ("Μαυρίδης", "Μαυρίδου", "mavridis", "mavridou"), ("Χατζηδάκης", "Χατζηδάκη", "chatzidakis", "chatzidaki"), ("Λαμπράκης", "Λαμπράκη", "lamprakis", "lampraki"), ("Σταθόπουλος", "Σταθοπούλου", "stathopoulos", "stathopoulou"), ("Πετρόπουλος", "Πετροπούλου", "petropoulos", "petropoulou"), ("Αλεξίου", "Αλεξίου", "alexiou", "alexiou"), ("Κωνσταντινίδης", "Κωνσταντινίδου", "konstantinidis", "konstantinidou"), ("Τσακίρης", "Τσακίρη", "tsakiris", "tsakiri"), ("Αθανασίου", "Αθανασίου", "athanasiou", "athanasiou"), ("Σαμαράς", "Σαμαρά", "samaras", "samara"), ("Βλάχος", "Βλάχου", "vlachos", "vlachou"), ("Κυριακίδης", "Κυριακίδου", "kyriakidis", "kyriakidou"))
POLISH_MEN = ("Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Jakub", "Łukasz", "Grzegorz", "Mateusz", "Wojciech", "Kamil", "Rafał", "Bartosz", "Szymon")
POLISH_WOMEN = ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna", "Aleksandra", "Zofia", "Monika", "Dorota", "Karolina", "Natalia", "Marta", "Justyna")
POLISH_SURNAMES = ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński", "Majewski", "Olszewski", "Stępień", "Zając", "Górski", "Sikora", "Walczak")
HEBREW_MEN = (("נועם", "noam"), ("יוסף", "yosef"), ("דוד", "david"), ("אריאל", "ariel"), ("איתי", "itai"), ("עומר", "omer"), ("אורי", "uri"), ("דניאל", "daniel"), ("יונתן", "yonatan"), ("משה", "moshe"), ("אבי", "avi"), ("רון", "ron"), ("עידו", "ido"), ("גיא", "guy"), ("אלון", "alon"), ("אייל", "eyal"), ("יובל", "yuval"))
HEBREW_WOMEN = (("נועה", "noa"), ("מיכל", "michal"), ("תמר", "tamar"), ("שירה", "shira"), ("יעל", "yael"), ("מאיה", "maya"), ("רחל", "rachel"), ("הדס", "hadas"), ("רונית", "ronit"), ("שרה", "sarah"), ("אביגיל", "avigail"), ("ליאת", "liat"), ("עדי", "adi"), ("טל", "tal"), ("אורית", "orit"), ("ענבל", "inbal"))
HEBREW_SURNAMES = (("כהן", "cohen"), ("לוי", "levi"), ("מזרחי", "mizrahi"), ("פרץ", "peretz"), ("ביטון", "biton"), ("דהן", "dahan"), ("אברהם", "avraham"), ("פרידמן", "friedman"), ("אזולאי", "azulay"), ("מלכה", "malka"), ("שפירא", "shapira"), ("גולדברג", "goldberg"), ("כץ", "katz"), ("רוזנברג", "rosenberg"), ("אוחיון", "ohayon"), ("בן דוד", "bendavid"), ("שלום", "shalom"), ("חדד", "hadad"), ("גבאי", "gabay"), ("אשכנזי", "ashkenazi"), ("ברק", "barak"), ("סגל", "segal"))
# fmt: on
# Reserved example domains (RFC 2606): a demo must never write to real people.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
LANGUAGE_WEIGHTS = {"GR": (("el", 88), ("en", 12)), "PL": (("pl", 88), ("en", 12)), "IL": (("he", 78), ("en", 22))}
# Mobile numbers: country code, operator prefixes, digits after the prefix.
# fmt: off
MOBILE = {
    "GR": ("+30", ("690", "693", "694", "695", "697", "698", "699"), 7),
    "PL": ("+48", ("500", "501", "502", "509", "510", "512", "530", "531", "533", "535", "601", "602", "604", "660", "661", "664", "691", "693", "695", "697", "721", "724", "730", "732", "735", "781", "783", "785", "790", "792", "797"), 6),
    "IL": ("+972", ("50", "52", "53", "54", "55", "58"), 7),
}
# fmt: on


@dataclass(frozen=True)
class _City:
    local: str
    latin: str
    postal_prefixes: tuple[str, ...]
    weight: int
    has_shop: bool = False  # store pickup is offered there


CITIES = {
    "GR": (
        _City("Αθήνα", "Athens", ("104", "105", "106", "112", "113", "114", "115", "116", "117"), 30, has_shop=True),
        _City("Θεσσαλονίκη", "Thessaloniki", ("544", "546", "551", "562"), 14, has_shop=True),
        _City("Πειραιάς", "Piraeus", ("185",), 6),
        _City("Μαρούσι", "Marousi", ("151",), 4),
        _City("Γλυφάδα", "Glyfada", ("165", "166"), 3),
        _City("Κηφισιά", "Kifisia", ("145",), 3),
        _City("Πάτρα", "Patras", ("262", "263"), 5),
        _City("Ηράκλειο", "Heraklion", ("712", "713", "714"), 5),
        _City("Λάρισα", "Larissa", ("412", "413"), 4),
        _City("Βόλος", "Volos", ("382", "383"), 3),
        _City("Ιωάννινα", "Ioannina", ("452", "453"), 3),
        _City("Χανιά", "Chania", ("731", "732"), 3),
        _City("Καλαμάτα", "Kalamata", ("241",), 2),
        _City("Ρόδος", "Rhodes", ("851",), 2),
        _City("Κέρκυρα", "Corfu", ("491",), 2),
        _City("Καβάλα", "Kavala", ("654", "655"), 2),
    ),
    "PL": (
        _City("Warszawa", "Warszawa", ("00", "01", "02", "03", "04"), 25),
        _City("Kraków", "Kraków", ("30", "31"), 10),
        _City("Łódź", "Łódź", ("90", "91", "92", "93", "94"), 7),
        _City("Wrocław", "Wrocław", ("50", "51", "52", "53", "54"), 9),
        _City("Poznań", "Poznań", ("60", "61"), 7),
        _City("Gdańsk", "Gdańsk", ("80",), 6),
        _City("Gdynia", "Gdynia", ("81",), 3),
        _City("Szczecin", "Szczecin", ("70", "71"), 4),
        _City("Lublin", "Lublin", ("20",), 4),
        _City("Katowice", "Katowice", ("40",), 4),
        _City("Białystok", "Białystok", ("15",), 3),
        _City("Toruń", "Toruń", ("87",), 2),
        _City("Rzeszów", "Rzeszów", ("35",), 2),
        _City("Olsztyn", "Olsztyn", ("10",), 2),
    ),
    "IL": (
        _City("תל אביב-יפו", "Tel Aviv-Yafo", ("61", "62", "63", "64", "65", "66", "67", "68"), 20),
        _City("ירושלים", "Jerusalem", ("91", "92", "93", "94", "95", "96", "97"), 14),
        _City("חיפה", "Haifa", ("31", "32", "33", "34", "35"), 8),
        _City("באר שבע", "Be'er Sheva", ("84",), 4),
        _City("נתניה", "Netanya", ("42",), 4),
        _City("ראשון לציון", "Rishon LeZion", ("75",), 5),
        _City("פתח תקווה", "Petah Tikva", ("49",), 5),
        _City("רמת גן", "Ramat Gan", ("52",), 4),
        _City("הרצליה", "Herzliya", ("46",), 3),
        _City("אשדוד", "Ashdod", ("77",), 3),
        _City("רחובות", "Rehovot", ("76",), 3),
        _City("כפר סבא", "Kfar Saba", ("44",), 3),
        _City("מודיעין", "Modi'in", ("71",), 2),
    ),
}
SHOP_CITIES = frozenset(name for cities in CITIES.values() for c in cities if c.has_shop for name in (c.local, c.latin))
# fmt: off
# Streets: (local script, Latin letters)
STREETS = {
    "GR": (("Ερμού", "Ermou"), ("Πανεπιστημίου", "Panepistimiou"), ("Σταδίου", "Stadiou"), ("Ακαδημίας", "Akadimias"), ("Πατησίων", "Patision"), ("Εγνατίας", "Egnatias"), ("Τσιμισκή", "Tsimiski"), ("Μητροπόλεως", "Mitropoleos"), ("Αγίου Νικολάου", "Agiou Nikolaou"), ("Κολοκοτρώνη", "Kolokotroni"), ("Ελευθερίου Βενιζέλου", "Eleftheriou Venizelou"), ("Αριστοτέλους", "Aristotelous"), ("Παπαναστασίου", "Papanastasiou"), ("Κηφισίας", "Kifisias"), ("25ης Μαρτίου", "25is Martiou"), ("Αθηνάς", "Athinas"), ("Μεγάλου Αλεξάνδρου", "Megalou Alexandrou"), ("Ιπποκράτους", "Ippokratous"), ("Καποδιστρίου", "Kapodistriou"), ("Κανάρη", "Kanari")),
    "PL": tuple((name, name) for name in ("Długa", "Mickiewicza", "Słowackiego", "Kościuszki", "Polna", "Leśna", "Ogrodowa", "Lipowa", "Sienkiewicza", "Piłsudskiego", "Kwiatowa", "Szkolna", "Jana Pawła II", "Żeromskiego", "Traugutta", "Kopernika", "Reymonta", "Wojska Polskiego")),
    "IL": (("הרצל", "Herzl St"), ("ויצמן", "Weizmann St"), ("ז'בוטינסקי", "Jabotinsky St"), ("שדרות בן גוריון", "Ben Gurion Blvd"), ("שדרות רוטשילד", "Rothschild Blvd"), ("ביאליק", "Bialik St"), ("סוקולוב", "Sokolov St"), ("הנביאים", "HaNevi'im St"), ("אחד העם", "Ahad Ha'Am St"), ("בן יהודה", "Ben Yehuda St"), ("הרב קוק", "HaRav Kook St"), ("אבן גבירול", "Ibn Gabirol St"), ("העצמאות", "HaAtzmaut St"), ("יהודה הלוי", "Yehuda HaLevi St")),
}
# fmt: on

# --- how people buy ------------------------------------------------------------------------------

CURRENCY_RATES = {"EUR": Decimal(1), "PLN": Decimal("4.30"), "ILS": Decimal("3.90")}
# VAT in percent, included in prices: reduced for food; exports to Israel carry none.
FOOD_TAX = {"GR": Decimal(13), "PL": Decimal(5), "IL": Decimal(0)}
STANDARD_TAX = {"GR": Decimal(24), "PL": Decimal(23), "IL": Decimal(0)}
# (code, price in EUR, how often chosen, free from this subtotal in EUR)
SHIPPING = {
    "GR": (
        ("courier-standard", "3.50", 45, 50),
        ("courier-express", "6.90", 15, None),
        ("boxnow-locker", "2.50", 30, 40),
        ("store-pickup", "0.00", 10, 0),
    ),
    "PL": (
        ("inpost-locker", "4.90", 55, 60),
        ("courier-standard", "7.90", 30, 80),
        ("courier-express", "12.90", 15, None),
    ),
    "IL": (("courier-standard", "14.90", 75, 120), ("courier-express", "24.90", 25, None)),
}
PAYMENT_METHODS = {
    "GR": (("card", 46), ("cash_on_delivery", 24), ("paypal", 12), ("bank_transfer", 12)),
    "PL": (("blik", 40), ("card", 28), ("paypal", 12), ("bank_transfer", 15), ("cash_on_delivery", 5)),
    "IL": (("card", 55), ("bit", 25), ("paypal", 20)),
}
GIFT_WRAP_EUR = Decimal("3.00")
# fmt: off
GIFT_MESSAGES = {
    "el": ("Χρόνια πολλά! Με αγάπη, {name}", "Καλά Χριστούγεννα και ευτυχισμένο το νέο έτος!", "Για τη γιαγιά, με πολλή αγάπη.", "Καλή απόλαυση! Φιλιά, {name}"),
    "pl": ("Wszystkiego najlepszego z okazji urodzin! {name}", "Wesołych Świąt! Ściskam, {name}", "Dla Mamy, z miłością.", "Smacznego! Do zobaczenia wkrótce."),
    "he": ("מזל טוב ליום ההולדת! {name}", "חג שמח ובתיאבון!", "לאמא, באהבה גדולה.", "תודה על הכל! נשיקות, {name}"),
    "en": ("Happy birthday! Love, {name}", "A little taste of Greece for you.", "Congratulations on the new home!", "Thank you for everything! {name}"),
}
CUSTOMER_NOTES = {
    "el": ("Παρακαλώ καλέστε πριν την παράδοση.", "Αφήστε το δέμα στον θυρωρό.", "Παράδοση μετά τις 17:00 παρακαλώ.", "Είναι δώρο, χωρίς τιμές στο δέμα."),
    "pl": ("Proszę o telefon przed dostawą.", "Paczkę można zostawić u sąsiada spod 5.", "Dostawa po 16:00, dziękuję!", "To prezent – proszę nie wkładać paragonu."),
    "he": ("נא להתקשר לפני המשלוח.", "אפשר להשאיר ליד הדלת.", "קוד לבניין: 1234#", "זו מתנה, בלי חשבונית בחבילה בבקשה."),
    "en": ("Please call before delivery.", "Leave the parcel with the concierge.", "Deliver after 5 pm, please.", "It's a gift: no prices in the parcel, please."),
}
# fmt: on

# --- what the staff do ---------------------------------------------------------------------------

STOREFRONT = Actor.api_key("storefront")
MARKETPLACE = Actor.api_key("marketplace connector")
SUPPORT = {"GR": Actor.staff("eleni"), "PL": Actor.staff("agnieszka"), "IL": Actor.staff("tamar")}
WAREHOUSE = Actor.staff("kostas")
PAYMENTS = Actor.system("payments")
VERIFICATION_NOTES = {
    VerificationOutcome.CONFIRMED: ("Address and delivery time confirmed.", "Confirmed; deliver after 17:00.", ""),
    VerificationOutcome.CORRECTED: (
        "Corrected the postcode; the customer has moved.",
        "Corrected the floor and the name on the doorbell.",
    ),
    VerificationOutcome.NO_ANSWER: ("Called twice; no answer.", "Voicemail; left a message."),
    VerificationOutcome.WRONG_NUMBER: ("The number is not in service.",),
    VerificationOutcome.CUSTOMER_CANCELLED: ("Ordered twice by mistake.", "Found the items in a shop nearby."),
}
CANCEL_REASONS = (
    "Customer asked to cancel: ordered the wrong size",
    "Customer asked to cancel: no longer needed",
    "Duplicate order: the customer placed it twice",
    "Suspected fraud: card holder and delivery address do not match",
    "Jar broken while picking and no replacement in stock; the customer chose a refund",
    "Customer asked to cancel: it would not arrive in time for the name day",
)
HOLD_REASONS = (
    "Waiting for the customer to confirm the delivery address",
    "Customer asked us to ship after their holiday",
    "Card payment under review by the payment provider",
    "Address incomplete: no street number; e-mailed the customer",
    "Customer wants to add items before we ship",
)
RELEASE_NOTES = (
    "The customer replied; shipping as planned.",
    "Payment review cleared.",
    "Address confirmed by e-mail.",
)
STAFF_NOTES = (
    "Customer called: please deliver after 17:00.",
    "Packed with extra bubble wrap: glass jars.",
    "Returning customer: added a sample of mountain tea.",
    "Courier says the street is hard to find; call before delivery.",
    "Gift: no invoice in the parcel.",
    "Customer asked for a VAT invoice; company details are in the e-mail.",
    "Customer asked whether the honey is raw; answered by e-mail.",
)
WAITING_NOTES: dict[str, str] = {
    LineStockState.MADE_TO_ORDER: "Icon commissioned from the workshop in Ioannina; about three weeks.",
    LineStockState.PREORDER: "Pre-order: ships on the release day; the customer knows.",
    LineStockState.BACKORDERED: "Waiting for the next delivery from the workshop; customer informed.",
}
