"""Errors of the feedback domain, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import Conflict


class AnswerClosed(Conflict):
    """The answer was given more than 7 days ago: it stands as it is."""

    code = "answer_closed"
