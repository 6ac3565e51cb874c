"""The demo's support desk starts with the shop's canned replies in its four languages."""

from __future__ import annotations

import random

import pytest

from emporos.demo.support import tell_support
from emporos.support.macros import unknown_placeholders
from emporos.support.models import Macro

pytestmark = pytest.mark.django_db


def test_the_demo_has_canned_replies_in_four_languages() -> None:
    tell_support(random.Random(7))

    macros = list(Macro.objects.order_by("position"))
    assert [macro.name for macro in macros] == ["Where is my parcel", "Return started"]
    for macro in macros:
        assert sorted(macro.bodies) == ["el", "en", "he", "pl"]
        assert all(unknown_placeholders(body) == [] for body in macro.bodies.values())
