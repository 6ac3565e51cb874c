"""The demo's support desk: customers writing by e-mail (through the same mail-in path a real
mailbox uses), the contact form, chat and the phone, in their languages; answered, waiting, solved
and rated, one overdue, one asking again on a second channel."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import pickup_points
from emporos.orders.models import Order
from emporos.support import calls, inbound, services
from emporos.support import settings as support_settings
from emporos.support.models import CallOutcome, Channel, Status, Ticket

AGENT = Actor.staff("support")


@dataclass(frozen=True)
class Story:
    language: str
    hours_ago: float
    subject: str
    text: str
    answer: str = ""
    after_hours: float = 1.0
    status: str = Status.PENDING
    customer_again: str = ""
    rating: tuple[int, int] | None = None
    channel: str = Channel.EMAIL
    asked_for: str = ""
    moves_to: str = ""  # the customer asks for another pickup point: the agent moves the order there


STORIES = [
    Story(
        "el",
        1.5,
        "Πού είναι η παραγγελία μου {order};",
        "Καλημέρα σας, δεν έχω λάβει ακόμα το δέμα μου. Πότε θα έρθει;",
    ),
    Story(
        "pl",
        30,
        "Pytanie o zamówienie {order}",
        "Dzień dobry, czy mogę jeszcze zmienić paczkomat dla tego zamówienia?",
        moves_to="KRA010M",
        answer="Dzień dobry, oczywiście — zmieniliśmy paczkomat. Proszę dać znać, czy wszystko się zgadza.",
    ),
    Story(
        "he",
        50,
        "שאלה על ההזמנה {order}",
        "שלום, המידה לא מתאימה. אפשר להחליף?",
        answer="שלום, בטח — שלחנו לך קישור להחזרה ולהחלפה במידה אחרת.",
        status=Status.SOLVED,
        rating=(5, 1),
        channel=Channel.CHAT,
    ),
    Story(
        "el",
        75,
        "Χρέωση δύο φορές για την {order}",
        "Βλέπω δύο χρεώσεις στην κάρτα μου για την ίδια παραγγελία.",
        answer="Καλησπέρα σας, μπορείτε να μας πείτε τον αριθμό παραγγελίας;",
        asked_for="order_number",
        customer_again="Σας τον έγραψα ήδη στο θέμα: {order}.",
    ),
    Story(
        "en",
        120,
        "Damaged mug in order {order}",
        "Hello, the mug arrived with a crack in the handle. Photo attached.",
        answer="We're sorry! A replacement is on its way today; no need to send the broken one back.",
        status=Status.SOLVED,
        rating=(2, 4),
    ),
    Story("pl", 52, "Brak odpowiedzi — zamówienie {order}", "Piszę drugi raz, nadal nie mam informacji o paczce."),
]


# The shop's canned replies, in its four languages, with what the desk fills in.
MACROS = [
    (
        "Where is my parcel",
        {
            "en": "Hello {customer_name},\n\nYour order {order_number} is on its way; you can follow it here: "
            "{tracking_link}\nIt should arrive by {expected_date}.\n\n{agent_name}, {shop_name}",
            "el": "Καλημέρα σας {customer_name},\n\nΗ παραγγελία σας {order_number} είναι καθ' οδόν· μπορείτε να "
            "την παρακολουθείτε εδώ: {tracking_link}\nΑναμένεται έως {expected_date}.\n\n{agent_name}, {shop_name}",
            "pl": "Dzień dobry, {customer_name},\n\nZamówienie {order_number} jest w drodze; można je śledzić tutaj: "
            "{tracking_link}\nPowinno dotrzeć do {expected_date}.\n\n{agent_name}, {shop_name}",
            "he": "שלום {customer_name},\n\nההזמנה {order_number} בדרך; אפשר לעקוב כאן: {tracking_link}\n"
            "היא אמורה להגיע עד {expected_date}.\n\n{agent_name}, {shop_name}",
        },
        Status.PENDING,
        "delivery",
    ),
    (
        "Return started",
        {
            "en": "Hello {customer_name},\n\nWe have started the return for order {order_number}; the label is on "
            "its way by e-mail. The refund follows as soon as the parcel is back.\n\n{agent_name}, {shop_name}",
            "el": "Καλημέρα σας {customer_name},\n\nΞεκινήσαμε την επιστροφή για την παραγγελία {order_number}· η "
            "ετικέτα έρχεται με email. Η επιστροφή χρημάτων ακολουθεί μόλις φτάσει το δέμα.\n\n{agent_name}, "
            "{shop_name}",
            "pl": "Dzień dobry, {customer_name},\n\nRozpoczęliśmy zwrot zamówienia {order_number}; etykieta jest "
            "w drodze e-mailem. Zwrot pieniędzy nastąpi, gdy tylko paczka do nas wróci.\n\n{agent_name}, "
            "{shop_name}",
            "he": "שלום {customer_name},\n\nפתחנו החזרה להזמנה {order_number}; התווית נשלחת בדוא״ל. ההחזר הכספי "
            "יגיע ברגע שהחבילה תחזור אלינו.\n\n{agent_name}, {shop_name}",
        },
        Status.SOLVED,
        "return",
    ),
]


def tell_support(rng: random.Random) -> None:
    """The shop's canned replies, the stories above on recent orders of customers who speak the
    story's language, plus a logged call and a call-back request."""
    for position, (name, bodies, status, topic) in enumerate(MACROS):
        support_settings.save_macro(
            macro=None,
            name=name,
            bodies=bodies,
            actor=Actor.staff("owner"),
            set_status=status,
            set_topic=topic,
            position=position,
        )
    now = clock.now()
    orders = list(
        Order.objects.filter(placed_at__gte=now - dt.timedelta(days=20))
        .select_related("customer")
        .order_by("placed_at")
    )
    rng.shuffle(orders)
    used: set[int] = set()
    for story in STORIES:
        # The customer writes about an order they had placed by then.
        before = now - dt.timedelta(hours=story.hours_ago + 1)
        fitting = [
            o
            for o in orders
            if o.customer.language == story.language and o.customer_id not in used and o.placed_at <= before
        ]
        if story.moves_to:  # an order still on its way to a locker before its label, where there is one
            fitting.sort(key=lambda o: not pickup_points.may_change(o))
        order = next(iter(fitting), None)
        if order is not None:
            used.add(order.customer_id)
            _tell(story, order, now=now)
    others = [
        order for order in orders if order.customer_id not in used and order.placed_at <= now - dt.timedelta(hours=27)
    ]
    if len(others) >= 2:
        _phone(others[0], now=now)
        _callback(others[1], now=now)


def _tell(story: Story, order: Order, *, now: dt.datetime) -> None:
    opened_at = now - dt.timedelta(hours=story.hours_ago)
    customer = order.customer
    subject = story.subject.format(order=order.display_number)
    with clock.frozen_at(opened_at):
        if story.channel == Channel.EMAIL:
            inbound.accept(_mail(customer.name, customer.email, subject, story.text, opened_at), source="imap")
            ticket = Ticket.objects.filter(customer=customer).order_by("-created_at").first()
        else:
            ticket = services.open_ticket(
                customer=customer,
                subject=subject,
                first=services.Inbound(channel=story.channel, text=story.text, sender=customer.email),
                actor=Actor.customer(customer.name, customer_id=customer.pk),
                order=order,
                language=story.language,
            )
    if ticket is None:
        return
    if story.answer:
        with clock.frozen_at(opened_at + dt.timedelta(hours=story.after_hours)):
            if story.moves_to and pickup_points.may_change(order):
                pickup_points.change_pickup_point(
                    order=order, point=story.moves_to, actor=AGENT, note=f"#{ticket.number}: {subject}"
                )
            services.reply(
                ticket=ticket,
                text=story.answer,
                actor=AGENT,
                status=story.status,
                minutes_spent=6,
                asked_for=story.asked_for,
            )
    if story.customer_again:
        with clock.frozen_at(opened_at + dt.timedelta(hours=story.after_hours + 3)):
            services.add_customer_message(
                ticket=ticket,
                message=services.Inbound(
                    channel=Channel.WEB,
                    text=story.customer_again.format(order=order.display_number),
                    sender=customer.email,
                ),
                actor=Actor.customer(customer.name, customer_id=customer.pk),
            )
    if story.rating is not None:
        with clock.frozen_at(opened_at + dt.timedelta(hours=story.after_hours + 5)):
            services.rate(
                ticket=ticket,
                satisfaction=story.rating[0],
                effort=story.rating[1],
                actor=Actor.customer(customer.name, customer_id=customer.pk),
            )


def _mail(name: str, address: str, subject: str, text: str, sent_at: dt.datetime) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = "support@kalimera-shop.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example>"
    message.set_content(text + "\n\n-- \n" + name)
    return message.as_bytes()


def _phone(order: Order, *, now: dt.datetime) -> None:
    with clock.frozen_at(now - dt.timedelta(hours=26)):
        calls.log_call(
            customer=order.customer,
            outcome=CallOutcome.SOLVED,
            notes="Asked whether the order can be delivered to the office instead; address changed on the call.",
            actor=AGENT,
            order=order,
            minutes=7,
        )


def _callback(order: Order, *, now: dt.datetime) -> None:
    customer = order.customer
    with clock.frozen_at(now - dt.timedelta(hours=2)):
        ticket = services.open_ticket(
            customer=customer,
            subject=f"Call-back request ({order.display_number})",
            first=services.Inbound(
                channel=Channel.WEB, text="Please call me about the invoice.", sender=customer.email
            ),
            actor=Actor.customer(customer.name, customer_id=customer.pk),
            order=order,
        )
        slots = calls.slots()
        if slots and customer.phone:
            calls.request_callback(ticket=ticket, phone=customer.phone, slot=slots[0], actor=AGENT)
