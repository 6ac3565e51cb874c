"""The demo's help centre: six articles customers of a Greek shop ask about most, in English,
Greek, Polish and Hebrew, and some readers' views, votes and messages, so the desk's report speaks."""

from __future__ import annotations

import random

from emporos.core.actor import Actor
from emporos.help import services
from emporos.help.models import Article, Category

CATEGORIES = [
    ("delivery", {"en": "Delivery", "el": "Αποστολή και παράδοση", "pl": "Dostawa", "he": "משלוח"}),
    ("returns", {"en": "Returns", "el": "Επιστροφές", "pl": "Zwroty", "he": "החזרות"}),
    ("payment", {"en": "Payment", "el": "Πληρωμή", "pl": "Płatność", "he": "תשלום"}),
    (
        "products",
        {"en": "Products and sizes", "el": "Προϊόντα και μεγέθη", "pl": "Produkty i rozmiary", "he": "מוצרים ומידות"},
    ),
]

# topic key -> (category, {language: (title, body)})
ARTICLES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "delivery-times": (
        "delivery",
        {
            "en": (
                "How long does delivery take?",
                "We pack orders placed on a working day before 14:00 the same day. After that, delivery takes:\n"
                "- Athens and Thessaloniki: 1–2 working days\n"
                "- the rest of mainland Greece: 2–3 working days\n"
                "- the islands and Cyprus: 3–5 working days\n"
                "- Poland, Israel and other countries: 4–7 working days\n\n"
                "Your order's page shows the delivery date we promised you, and we write to you if a parcel is late.",
            ),
            "el": (
                "Πόσο διαρκεί η παράδοση;",
                "Τις παραγγελίες που γίνονται εργάσιμη ημέρα πριν από τις 14:00 τις συσκευάζουμε την ίδια ημέρα. "
                "Στη συνέχεια η παράδοση διαρκεί:\n"
                "- Αθήνα και Θεσσαλονίκη: 1–2 εργάσιμες ημέρες\n"
                "- υπόλοιπη ηπειρωτική Ελλάδα: 2–3 εργάσιμες ημέρες\n"
                "- νησιά και Κύπρος: 3–5 εργάσιμες ημέρες\n"
                "- Πολωνία, Ισραήλ και άλλες χώρες: 4–7 εργάσιμες ημέρες\n\n"
                "Στη σελίδα της παραγγελίας σας βλέπετε την ημερομηνία παράδοσης που σας υποσχεθήκαμε, και σας "
                "γράφουμε αν κάποιο δέμα καθυστερήσει.",
            ),
            "pl": (
                "Jak długo trwa dostawa?",
                "Zamówienia złożone w dzień roboczy do godziny 14:00 pakujemy tego samego dnia. Potem dostawa trwa:\n"
                "- Ateny i Saloniki: 1–2 dni robocze\n"
                "- pozostała część Grecji kontynentalnej: 2–3 dni robocze\n"
                "- wyspy i Cypr: 3–5 dni roboczych\n"
                "- Polska, Izrael i inne kraje: 4–7 dni roboczych\n\n"
                "Na stronie zamówienia widzą Państwo obiecany termin dostawy, a jeśli paczka się spóźnia, "
                "napiszemy do Państwa.",
            ),
            "he": (
                "כמה זמן לוקח המשלוח?",
                "הזמנות שמתקבלות ביום עסקים עד השעה 14:00 נארזות באותו היום. לאחר מכן זמן המשלוח הוא:\n"
                "- אתונה וסלוניקי: 1–2 ימי עסקים\n"
                "- שאר יוון היבשתית: 2–3 ימי עסקים\n"
                "- האיים וקפריסין: 3–5 ימי עסקים\n"
                "- פולין, ישראל ומדינות אחרות: 4–7 ימי עסקים\n\n"
                "בדף ההזמנה מופיע מועד המסירה שהבטחנו, ואם חבילה מתעכבת, נכתוב לכם.",
            ),
        },
    ),
    "track-a-parcel": (
        "delivery",
        {
            "en": (
                "How do I track my parcel?",
                "As soon as your parcel leaves our warehouse, we e-mail you a link to your order's page. There you "
                "see every scan of the carrier, from pickup to delivery.\n\n"
                "Lost the e-mail? Open the order lookup on our site, enter your order number and the e-mail address "
                "you ordered with, and you will find the same page.\n\n"
                "If the tracking has not moved for two working days, write to us: we will ask the carrier for you.",
            ),
            "el": (
                "Πώς μπορώ να παρακολουθήσω το δέμα μου;",
                "Μόλις το δέμα σας φύγει από την αποθήκη μας, σας στέλνουμε e-mail με σύνδεσμο προς τη σελίδα της "
                "παραγγελίας σας. Εκεί βλέπετε κάθε σάρωση της εταιρείας courier, από την παραλαβή ως την παράδοση.\n\n"
                "Χάσατε το e-mail; Ανοίξτε την αναζήτηση παραγγελίας στον ιστότοπό μας, γράψτε τον αριθμό "
                "παραγγελίας και το e-mail με το οποίο παραγγείλατε, και θα βρείτε την ίδια σελίδα.\n\n"
                "Αν η παρακολούθηση δεν έχει αλλάξει για δύο εργάσιμες ημέρες, γράψτε μας: θα ρωτήσουμε εμείς την "
                "εταιρεία courier.",
            ),
            "pl": (
                "Jak mogę śledzić przesyłkę?",
                "Gdy tylko paczka opuści nasz magazyn, wyślemy Państwu e-mail z linkiem do strony zamówienia. "
                "Znajdą tam Państwo każde skanowanie przewoźnika, od nadania do doręczenia.\n\n"
                "Zaginął e-mail? Proszę otworzyć wyszukiwarkę zamówień na naszej stronie i wpisać numer zamówienia "
                "oraz adres e-mail podany przy zakupie, a pojawi się ta sama strona.\n\n"
                "Jeśli status przesyłki nie zmienił się od dwóch dni roboczych, prosimy o wiadomość: zapytamy "
                "przewoźnika w Państwa imieniu.",
            ),
            "he": (
                "איך עוקבים אחרי החבילה?",
                "ברגע שהחבילה יוצאת מהמחסן שלנו, נשלח אליכם אימייל עם קישור לדף ההזמנה. שם אפשר לראות כל סריקה "
                "של חברת השילוח, מהאיסוף ועד המסירה.\n\n"
                "האימייל אבד? פתחו את חיפוש ההזמנות באתר, הזינו את מספר ההזמנה ואת כתובת האימייל שאיתה הזמנתם, "
                "ותגיעו לאותו דף.\n\n"
                "אם המעקב לא התעדכן במשך שני ימי עסקים, כתבו לנו: נבדוק מול חברת השילוח בשבילכם.",
            ),
        },
    ),
    "returns-and-withdrawal": (
        "returns",
        {
            "en": (
                "Returns and your 14-day right of withdrawal",
                "You may withdraw from your purchase within 14 days of delivery without giving a reason. On top of "
                "that, our own return policy gives you 30 days.\n"
                '- Open your order\'s page and choose "Return items".\n'
                "- Choose the items and tell us why (optional for a withdrawal).\n"
                "- Print the return label we e-mail you, or show the code at a parcel locker.\n\n"
                "We refund you within 14 days of your notice, to the way you paid. Items made to your measurements "
                "and opened hygiene products cannot be returned.",
            ),
            "el": (
                "Επιστροφές και το δικαίωμα υπαναχώρησης 14 ημερών",
                "Μπορείτε να υπαναχωρήσετε από την αγορά σας μέσα σε 14 ημέρες από την παράδοση, χωρίς να αναφέρετε "
                "λόγο. Επιπλέον, η δική μας πολιτική επιστροφών σας δίνει 30 ημέρες.\n"
                "- Ανοίξτε τη σελίδα της παραγγελίας σας και επιλέξτε «Επιστροφή προϊόντων».\n"
                "- Επιλέξτε τα προϊόντα και πείτε μας τον λόγο (προαιρετικά, αν πρόκειται για υπαναχώρηση).\n"
                "- Εκτυπώστε την ετικέτα επιστροφής που σας στέλνουμε με e-mail ή δείξτε τον κωδικό στο locker.\n\n"
                "Σας επιστρέφουμε τα χρήματα μέσα σε 14 ημέρες από τη δήλωσή σας, με τον τρόπο που πληρώσατε. "
                "Προϊόντα που φτιάχτηκαν στα μέτρα σας και ανοιγμένα προϊόντα υγιεινής δεν επιστρέφονται.",
            ),
            "pl": (
                "Zwroty i 14-dniowe prawo odstąpienia od umowy",
                "Mogą Państwo odstąpić od umowy w ciągu 14 dni od doręczenia, bez podawania przyczyny. Dodatkowo "
                "nasza polityka zwrotów daje Państwu 30 dni.\n"
                "- Proszę otworzyć stronę zamówienia i wybrać „Zwróć produkty”.\n"
                "- Proszę zaznaczyć produkty i podać powód (przy odstąpieniu od umowy nie jest wymagany).\n"
                "- Proszę wydrukować etykietę zwrotną, którą wyślemy e-mailem, albo pokazać kod w paczkomacie.\n\n"
                "Zwracamy pieniądze w ciągu 14 dni od otrzymania Państwa oświadczenia, tą samą metodą, którą "
                "Państwo zapłacili. Zwrotowi nie podlegają produkty wykonane na wymiar ani otwarte produkty "
                "higieniczne.",
            ),
            "he": (
                "החזרות וזכות ביטול העסקה תוך 14 יום",
                "אפשר לבטל את הרכישה תוך 14 יום מיום המסירה, בלי לציין סיבה. בנוסף, מדיניות ההחזרות שלנו נותנת "
                "לכם 30 יום.\n"
                "- פתחו את דף ההזמנה ובחרו ״החזרת מוצרים״.\n"
                "- סמנו את המוצרים וספרו לנו את הסיבה (לא חובה בביטול עסקה).\n"
                "- הדפיסו את תווית ההחזרה שנשלח באימייל, או הציגו את הקוד בלוקר.\n\n"
                "נחזיר לכם את הכסף תוך 14 יום מההודעה שלכם, באמצעי התשלום שבו שילמתם. אין אפשרות להחזיר מוצרים "
                "שהוכנו במיוחד עבורכם או מוצרי היגיינה שנפתחו.",
            ),
        },
    ),
    "cash-on-delivery": (
        "payment",
        {
            "en": (
                "Can I pay on delivery?",
                'Yes. Choose "Cash on delivery" at checkout and pay the courier in cash or by card when the parcel '
                "arrives. A fee of €2.00 is added to the order.\n\n"
                "Cash on delivery is available for home delivery in Greece and Cyprus, for orders up to €500. For "
                "parcel lockers, please pay online by card or PayPal.",
            ),
            "el": (
                "Μπορώ να πληρώσω με αντικαταβολή;",
                "Ναι. Επιλέξτε «Αντικαταβολή» στην ολοκλήρωση της παραγγελίας και πληρώστε τον courier με μετρητά "
                "ή με κάρτα όταν φτάσει το δέμα. Στην παραγγελία προστίθεται χρέωση 2,00 €.\n\n"
                "Η αντικαταβολή ισχύει για παράδοση στο σπίτι σε Ελλάδα και Κύπρο, για παραγγελίες έως 500 €. Για "
                "παραλαβή από locker, πληρώστε online με κάρτα ή PayPal.",
            ),
            "pl": (
                "Czy mogę zapłacić przy odbiorze (za pobraniem)?",
                "Tak. Proszę wybrać „Płatność przy odbiorze” w koszyku i zapłacić kurierowi gotówką lub kartą, gdy "
                "paczka dotrze. Do zamówienia doliczamy opłatę 2,00 €.\n\n"
                "Płatność przy odbiorze jest dostępna przy dostawie do domu w Grecji i na Cyprze, dla zamówień do "
                "500 €. Przy odbiorze z paczkomatu prosimy zapłacić online kartą lub przez PayPal.",
            ),
            "he": (
                "אפשר לשלם בעת המסירה?",
                "כן. בחרו ״תשלום בעת המסירה״ בקופה ושלמו לשליח במזומן או בכרטיס כשהחבילה מגיעה. להזמנה מתווספת "
                "עמלה של 2.00 €.\n\n"
                "תשלום בעת המסירה זמין למשלוח עד הבית ביוון ובקפריסין, להזמנות של עד 500 €. באיסוף מלוקר יש לשלם "
                "מראש בכרטיס אשראי או ב-PayPal.",
            ),
        },
    ),
    "change-pickup-point": (
        "delivery",
        {
            "en": (
                "How do I change the pickup point or locker?",
                "You can change the pickup point or parcel locker until we pack your order, usually the same "
                "working day.\n"
                "- Write to us with your order number and the new pickup point.\n"
                "- Once the parcel has left, redirect it in the carrier's app or on its site with the tracking "
                "number.\n\n"
                "A parcel not collected within 5 days comes back to us; we then refund you or send it again.",
            ),
            "el": (
                "Πώς αλλάζω το σημείο παραλαβής ή το locker;",
                "Μπορείτε να αλλάξετε το σημείο παραλαβής ή το locker μέχρι να συσκευάσουμε την παραγγελία σας, "
                "συνήθως την ίδια εργάσιμη ημέρα.\n"
                "- Γράψτε μας τον αριθμό παραγγελίας και το νέο σημείο παραλαβής.\n"
                "- Αν το δέμα έχει ήδη φύγει, αλλάξτε τον προορισμό από την εφαρμογή ή τον ιστότοπο της εταιρείας "
                "courier με τον αριθμό αποστολής.\n\n"
                "Δέμα που δεν παραλαμβάνεται μέσα σε 5 ημέρες επιστρέφει σε εμάς· τότε σας επιστρέφουμε τα χρήματα "
                "ή σας το ξαναστέλνουμε.",
            ),
            "pl": (
                "Jak zmienić punkt odbioru lub paczkomat?",
                "Punkt odbioru lub paczkomat można zmienić, dopóki nie spakujemy zamówienia, zwykle tego samego "
                "dnia roboczego.\n"
                "- Proszę napisać do nas, podając numer zamówienia i nowy punkt odbioru.\n"
                "- Jeśli paczka już wyjechała, mogą Państwo zmienić miejsce doręczenia w aplikacji lub na stronie "
                "przewoźnika, podając numer przesyłki.\n\n"
                "Paczka nieodebrana w ciągu 5 dni wraca do nas; wtedy zwracamy pieniądze lub wysyłamy ją ponownie.",
            ),
            "he": (
                "איך משנים את נקודת האיסוף או הלוקר?",
                "אפשר לשנות את נקודת האיסוף או הלוקר עד שאנחנו אורזים את ההזמנה, בדרך כלל באותו יום עסקים.\n"
                "- כתבו לנו את מספר ההזמנה ואת נקודת האיסוף החדשה.\n"
                "- אם החבילה כבר יצאה, אפשר לשנות את היעד באפליקציה או באתר של חברת השילוח לפי מספר המשלוח.\n\n"
                "חבילה שלא נאספה תוך 5 ימים חוזרת אלינו, ואז נחזיר לכם את הכסף או נשלח אותה שוב.",
            ),
        },
    ),
    "sizes": (
        "products",
        {
            "en": (
                "How do I choose my size?",
                "Each product page has a size chart in centimetres. Measure a garment that fits you well, lying "
                "flat, and compare it with the chart.\n"
                "- Between two sizes? Take the larger one.\n"
                "- Our shoes are true to size.\n\n"
                'Still the wrong size? Exchange it for free within 30 days: choose "Exchange" on your order\'s page.',
            ),
            "el": (
                "Πώς επιλέγω το σωστό μέγεθος;",
                "Σε κάθε σελίδα προϊόντος θα βρείτε πίνακα μεγεθών σε εκατοστά. Μετρήστε ένα ρούχο που σας ταιριάζει "
                "καλά, απλωμένο σε επίπεδη επιφάνεια, και συγκρίνετέ το με τον πίνακα.\n"
                "- Είστε ανάμεσα σε δύο μεγέθη; Διαλέξτε το μεγαλύτερο.\n"
                "- Τα παπούτσια μας αντιστοιχούν κανονικά στο νούμερό σας.\n\n"
                "Δεν σας έκανε τελικά; Αλλάξτε το δωρεάν μέσα σε 30 ημέρες: επιλέξτε «Αλλαγή» στη σελίδα της "
                "παραγγελίας σας.",
            ),
            "pl": (
                "Jak dobrać rozmiar?",
                "Na stronie każdego produktu znajdą Państwo tabelę rozmiarów w centymetrach. Proszę zmierzyć dobrze "
                "leżące ubranie, rozłożone na płasko, i porównać wymiary z tabelą.\n"
                "- Są Państwo pomiędzy dwoma rozmiarami? Proszę wybrać większy.\n"
                "- Nasze buty odpowiadają standardowej rozmiarówce.\n\n"
                "Rozmiar jednak nie pasuje? Mogą go Państwo bezpłatnie wymienić w ciągu 30 dni: wystarczy wybrać "
                "„Wymiana” na stronie zamówienia.",
            ),
            "he": (
                "איך בוחרים מידה?",
                "בכל דף מוצר יש טבלת מידות בסנטימטרים. מדדו בגד שמתאים לכם היטב כשהוא מונח שטוח, והשוו לטבלה.\n"
                "- נמצאים בין שתי מידות? בחרו את הגדולה יותר.\n"
                "- הנעליים שלנו תואמות למידות הרגילות.\n\n"
                "המידה בכל זאת לא מתאימה? אפשר להחליף אותה בחינם תוך 30 יום: בחרו ״החלפה״ בדף ההזמנה.",
            ),
        },
    ),
}

# topic key -> (readers per language, share of them who then wrote to the shop, share voting "no")
READERS = {
    "delivery-times": (14, 0.1, 0.1),
    "track-a-parcel": (11, 0.2, 0.2),
    "returns-and-withdrawal": (9, 0.3, 0.2),
    "cash-on-delivery": (6, 0.1, 0.0),
    "change-pickup-point": (8, 0.6, 0.6),
    "sizes": (7, 0.2, 0.3),
}


def write_help_centre(*, actor: Actor | None = None) -> list[Article]:
    """The categories and the six articles in four languages, published. Returns the articles."""
    author = actor or Actor.staff("eleni")
    categories: dict[str, Category] = {}
    for position, (slug, names) in enumerate(CATEGORIES):
        categories[slug] = services.save_category(slug=slug, names=names, position=position)
    written: list[Article] = []
    for position, (topic_key, (category, versions)) in enumerate(ARTICLES.items()):
        for language, (title, body) in versions.items():
            article = services.save_article(
                language=language,
                category=categories[category],
                title=title,
                body=body,
                topic_key=topic_key,
                position=position,
                actor=author,
            )
            written.append(services.publish(article=article, actor=author))
    return written


def tell_help_centre(rng: random.Random) -> None:
    """The articles, and readers who viewed them, voted, and some who wrote to the shop after."""
    articles = write_help_centre()
    for article in articles:
        readers, contacting, unhappy = READERS[article.topic_key]
        for number in range(rng.randint(readers // 2, readers)):
            visitor = f"demo-{article.language}-{article.topic_key}-{number}"
            services.record_view(article=article, visitor_key=visitor)
            is_unhappy = rng.random() < unhappy
            if rng.random() < 0.6:
                services.record_vote(article=article, helpful=not is_unhappy, visitor_key=visitor)
            if is_unhappy or rng.random() < contacting:
                services.record_contact(visitor)
