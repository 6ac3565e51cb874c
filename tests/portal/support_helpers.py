"""Helpers of the support pages' tests: the moments inside and outside the shop's opening hours
(Athens, 09:00-17:00 Monday to Friday), files to attach, the text of a page."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils.html import strip_tags
from PIL import Image

from emporos.outbox.models import Event

# Tuesday 1 December 2026, 10:00 in Athens: open.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
# Saturday 5 December 2026, 12:00 in Athens: closed until Monday 09:00.
SATURDAY_NOON = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def last_event() -> Event | None:
    return Event.objects.order_by("-id").first()


def png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
