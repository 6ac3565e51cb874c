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


def platform_name(code: str) -> str:
    """A review platform's name as staff know it."""
    names = {"google": "Google", "trustpilot": "Trustpilot", "demo": _("the demo platform")}
    return names.get(code, code)


def reviewer(author: str) -> str:
    """The author as shown: their name, or a word for an anonymous one."""
    return author or _("An anonymous reviewer")
