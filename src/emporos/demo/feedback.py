"""The demo's satisfaction checks: delivered orders got theirs when the worker ran; some of the
customers asked answer, most happily, a few not (those are the ones the shop calls back)."""

from __future__ import annotations

import datetime as dt
import random

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.feedback import services
from emporos.feedback.models import SatisfactionCheck

# (score, comment by the customer's language); an empty comment is no comment.
ANSWERS = [
    (5, {}),
    (5, {"el": "Όλα τέλεια, ευχαριστώ!", "pl": "Wszystko super, dziękuję!", "he": "הכול מושלם, תודה!"}),
    (4, {}),
    (5, {}),
    (4, {"el": "Λίγο αργά, αλλά όλα καλά.", "pl": "Trochę późno, ale wszystko w porządku."}),
    (3, {}),
    (2, {"el": "Το κουτί ήρθε σκισμένο.", "pl": "Paczka przyszła rozerwana.", "he": "החבילה הגיעה קרועה."}),
    (1, {"el": "Λάθος χρώμα στο κούπα.", "pl": "Zły kolor kubka.", "he": "צבע לא נכון של הספל."}),
]


def tell_feedback(rng: random.Random) -> None:
    """Answer about two thirds of the checks asked, each a few hours after its question."""
    now = clock.now()
    for index, check in enumerate(
        SatisfactionCheck.objects.filter(asked_at__isnull=False).select_related("order__customer").order_by("id")
    ):
        assert check.asked_at is not None
        if rng.random() > 0.66:
            continue
        score, comments = ANSWERS[index % len(ANSWERS)]
        customer = check.order.customer
        moment = min(check.asked_at + dt.timedelta(hours=rng.uniform(0.5, 20)), now)
        with clock.frozen_at(moment):
            services.answer_check(
                check=check,
                score=score,
                comment=comments.get(customer.language, ""),
                actor=Actor.customer(customer.name, customer_id=customer.pk),
            )
