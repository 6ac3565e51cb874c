"""The demo shop's data (placeholder until the generator lands)."""

from __future__ import annotations

import random

from emporos.core.actor import Actor
from emporos.orders.intake import IntakeResult


def demo_loaded() -> bool:
    from emporos.catalog.models import Product

    return Product.objects.exists()


def load_demo(*, seed: int = 7) -> None:
    raise NotImplementedError


def place_random_order(rng: random.Random, *, actor: Actor) -> IntakeResult:
    raise NotImplementedError
