"""How a score reads, in the active language (the desk, the timeline)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def score_words(score: int) -> str:
    """5 very good, 4 good, 3 okay, 2 bad, 1 very bad."""
    words = {
        5: _("very good"),
        4: _("good"),
        3: _("okay"),
        2: _("bad"),
        1: _("very bad"),
    }
    return words.get(score, str(score))
