"""The review-platform interface: what Emporos asks of a platform where customers review the shop
(Google Business Profile, ...), and the registry of adapters.

An adapter reads the platform's reviews and posts the shop's public reply; it never touches the
database (`feedback.review_services` stores what it answers). Each is built by a factory from the
environment (`EMPOROS_<PLATFORM>_*`), so tests and the demo never need credentials, and a live
adapter without them refuses with ReviewSourceNotConfigured before anything leaves.

Emporos only reads and answers what the platform shows: it never asks for reviews, and it never
hides or filters any (review gating and selective solicitation are against Google's policy and the
Omnibus directive).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from emporos.core.errors import Conflict, DomainError

LOWEST_STARS, HIGHEST_STARS = 1, 5
# A rating this low without a reply is listed first: the shop answers those the same day.
LOW_AT_MOST = 2


@dataclass(frozen=True)
class ReviewDraft:
    """A review as the platform shows it now. `external_id` is the platform's own name for it
    (the one a reply is posted to); `reply_text` and `replied_at` are the reply the platform already
    shows ("" and None without one), whoever wrote it; `author` is "" for an anonymous reviewer."""

    external_id: str
    stars: int
    author: str
    text: str
    written_at: dt.datetime
    updated_at: dt.datetime
    reply_text: str = ""
    replied_at: dt.datetime | None = None


class ReviewSourceError(DomainError):
    """The platform refused or failed. The message is shown to staff as it is: the platform's own
    words after a short sentence of ours. `retryable`: the same call may succeed later (a timeout,
    a rate limit, the platform's own fault, an expired token); otherwise it never will (the review
    was deleted, the reply is refused)."""

    code = "review_source_error"

    def __init__(self, message: str, *, retryable: bool = False, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retryable = retryable


class ReviewSourceNotConfigured(ReviewSourceError, Conflict):
    """No such platform, or its settings are not set: nothing was sent."""

    code = "review_source_not_configured"


class ReviewSourceUnreachable(ReviewSourceError):
    """No answer came back (timeout, refused connection, broken TLS): a retry may succeed."""

    code = "review_source_unreachable"

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class ReviewSource(Protocol):
    code: str
    name: str

    def fetch(self, since: dt.datetime | None) -> list[ReviewDraft]:
        """Every review written or changed at or after `since` (all of them for None), each once;
        raises ReviewSourceError."""
        ...

    def reply(self, external_id: str, text: str) -> dt.datetime:
        """Post (or replace) the shop's public reply to a review; when the platform says it was
        saved. Raises ReviewSourceError."""
        ...


@dataclass(frozen=True)
class Platform:
    """What Emporos knows of a platform without building its adapter: the longest reply it takes
    (in UTF-8 bytes when `limit_in_bytes`, else characters) and how to build the adapter."""

    code: str
    name: str
    factory: Callable[[], ReviewSource]
    reply_max_length: int
    limit_in_bytes: bool = False

    def reply_length(self, text: str) -> int:
        return len(text.encode("utf-8")) if self.limit_in_bytes else len(text)


_PLATFORMS: dict[str, Platform] = {}


def register(
    code: str, factory: Callable[[], ReviewSource], *, name: str, reply_max_length: int, limit_in_bytes: bool = False
) -> None:
    """Make a platform known by its code (called from an app's ready())."""
    _PLATFORMS[code] = Platform(code, name, factory, reply_max_length, limit_in_bytes)


def known() -> list[str]:
    return sorted(_PLATFORMS)


def platform(code: str) -> Platform:
    try:
        return _PLATFORMS[code]
    except KeyError:
        raise ReviewSourceNotConfigured(
            f"Unknown review platform {code!r}; use one of {', '.join(known()) or 'none'}."
        ) from None


def source(code: str) -> ReviewSource:
    """The adapter for `code`, built now (so settings changed in tests are honoured)."""
    return platform(code).factory()


class DemoReviewSource:
    """The demo shop's platform: it has no reviews of its own to read (the demo loads its stories
    through the same import) and accepts every reply at once."""

    code = "demo"
    name = "Demo"

    def fetch(self, since: dt.datetime | None) -> list[ReviewDraft]:
        return []

    def reply(self, external_id: str, text: str) -> dt.datetime:
        from emporos.core import clock

        return clock.now()


# Cheap and honest: Greek and Hebrew have scripts of their own, Polish letters of its own, and
# Polish and English short words no other language of the shop uses. A text with none of these
# (a German visitor, only emoji, "OK") is left without a guess rather than a wrong one.
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_POLISH_LETTERS = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
_WORD = re.compile(r"[A-Za-z]+")
_POLISH_WORDS = frozenset(
    ["nie", "jest", "bardzo", "sie", "się", "na", "do", "ze", "jak", "ale", "tak", "polecam", "dziekuje", "za", "czy"]
)
_ENGLISH_WORDS = frozenset(
    ["the", "and", "was", "is", "very", "it", "with", "but", "not", "great", "good", "my", "for", "this", "of"]
)


def guess_language(text: str) -> str:
    """ "el", "he", "pl" or "en" by the letters and short words the text uses; "" when it tells nothing."""
    greek, hebrew = len(_GREEK.findall(text)), len(_HEBREW.findall(text))
    if max(greek, hebrew) >= 3:
        return "el" if greek >= hebrew else "he"
    if _POLISH_LETTERS.search(text):
        return "pl"
    words = [word.lower() for word in _WORD.findall(text)]
    polish = sum(word in _POLISH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    if polish > english:
        return "pl"
    return "en" if english > polish else ""
