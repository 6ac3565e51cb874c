"""The demo's reviews: a handful on the demo platform in the shop's four languages, read through
the same interface and import a live platform uses. Some were answered on the platform itself, one
by the support team from the desk (posted by the worker); a low one still waits, on top of the list."""

from __future__ import annotations

import datetime as dt

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.feedback import review_services
from emporos.feedback.models import Review
from emporos.feedback.reviews import ReviewDraft
from emporos.orders.models import Order
from emporos.orders.states import FulfillmentStatus

AGENT = Actor.staff("support")

# (stars, author, text, days ago, reply written on the platform)
STORIES: list[tuple[int, str, str, float, str]] = [
    (5, "Ελένη Γεωργίου", "Υπέροχο τσάι του βουνού και πολύ προσεγμένη συσκευασία. Θα ξαναπαραγγείλω!", 2.5, ""),
    (
        4,
        "Piotr Zieliński",
        "Herbata bardzo dobra, paczkomat działał bez problemu. Dostawa trwała dzień dłużej.",
        6,
        "Dziękujemy, Panie Piotrze! Sprawdzamy z kurierem, skąd to opóźnienie.",
    ),
    (1, "", "Η παραγγελία μου άργησε δύο εβδομάδες και κανείς δεν απάντησε στο τηλέφωνο.", 0.3, ""),
    (2, "נועה לוי", "הספל הגיע שבור. מקווה שיחליפו לי אותו.", 1.5, ""),
    (5, "Sarah Miller", "Lovely little shop, fast shipping to Berlin and a handwritten thank-you note.", 12, ""),
    (
        3,
        "Κώστας Δημητρίου",
        "Καλά προϊόντα, αλλά το μέλι ήταν μικρότερο απ' ό,τι περίμενα.",
        20,
        "Ευχαριστούμε για τα σχόλια! Θα γράψουμε πιο καθαρά το βάρος στη σελίδα του προϊόντος.",
    ),
]
ANSWERED_FROM_THE_DESK = "הספל הגיע שבור. מקווה שיחליפו לי אותו."
DESK_REPLY = "נועה, אנחנו מצטערים מאוד! ספל חדש כבר בדרך אלייך, ואין צורך להחזיר את השבור."


class StoryReviews:
    """The demo's reviews behind `feedback.reviews.ReviewSource` (read only: replies go through the
    built-in demo platform, which takes every one)."""

    code = "demo"
    name = "Demo"

    def __init__(self, *, now: dt.datetime, matched_author: str = "") -> None:
        self.now = now
        self.matched_author = matched_author

    def fetch(self, since: dt.datetime | None) -> list[ReviewDraft]:
        drafts = []
        for index, (stars, author, text, days_ago, reply) in enumerate(STORIES):
            written_at = self.now - dt.timedelta(days=days_ago)
            drafts.append(
                ReviewDraft(
                    external_id=f"demo-review-{index + 1}",
                    stars=stars,
                    author=author,
                    text=text,
                    written_at=written_at,
                    updated_at=written_at,
                    reply_text=reply,
                    replied_at=written_at + dt.timedelta(hours=5) if reply else None,
                )
            )
        if self.matched_author:
            # A customer of the shop who wrote under their own name: the desk shows the match.
            written_at = self.now - dt.timedelta(days=1)
            drafts.append(
                ReviewDraft(
                    external_id="demo-review-customer",
                    stars=5,
                    author=self.matched_author,
                    text="Όλα ήρθαν γρήγορα και καλά συσκευασμένα. Ευχαριστώ!",
                    written_at=written_at,
                    updated_at=written_at,
                )
            )
        return [draft for draft in drafts if since is None or draft.updated_at >= since]

    def reply(self, external_id: str, text: str) -> dt.datetime:
        return clock.now()


def tell_reviews() -> None:
    """Read the demo platform's reviews, then answer one from the desk (the worker posts it)."""
    now = clock.now()
    delivered = Order.objects.filter(fulfillment_status=FulfillmentStatus.DELIVERED).select_related("customer")
    customer_order = delivered.order_by("-placed_at", "-id").first()
    source = StoryReviews(now=now, matched_author=customer_order.customer.name if customer_order else "")
    review_services.import_reviews(platform="demo", drafts=source.fetch(None), actor=Actor.system("Demo"))
    review = Review.objects.get(platform="demo", text=ANSWERED_FROM_THE_DESK)
    with clock.frozen_at(now - dt.timedelta(hours=20)):
        review_services.write_reply(review=review, text=DESK_REPLY, actor=AGENT)
