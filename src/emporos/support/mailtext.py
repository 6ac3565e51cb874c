"""The text of a support mail: what the customer wrote this time, and the order and return numbers in it.

Pure functions on str, standard library only. The languages are the shop's: English, Greek, Polish
and Hebrew, with German and French attributions as the common extras.
"""

from __future__ import annotations

import re

__all__ = ["order_numbers", "return_numbers", "trim_reply"]

_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_I = re.IGNORECASE

# "On Mon, 1 Dec 2026 at 10:00, Anna <a@b> wrote:" in the mail clients' languages; with a digit (the date).
_ATTRIBUTIONS = tuple(
    re.compile(pattern, _I)
    for pattern in (
        r"^on\s.+\swrote\s?:?$",
        r"^am\s.+\sschrieb\b.*:$",
        r"^στις\s.+\sέγραψε\s?:$",
        r"^w dniu\s.+\s(?:pisze|napisał(?:a|\(a\))?)\s?:$",
        r"^.+\snapisał(?:a|\(a\))?\s?:$",
        r"^(?:ב[-־]|בתאריך\s).+\s(?:כתב|כתבה|כתב/ה|נכתב|מאת\s.+)\s?:$",
        r"^.+\s(?:כתב/ה|נכתב)\s?:$",
        r"^le\s.+\sa écrit\s?:$",
    )
)
_ORIGINAL_MESSAGE = re.compile(
    r"^-{2,}\s*(?:original message|ursprüngliche nachricht|αρχικό μήνυμα|oryginalna wiadomość"
    r"|wiadomość oryginalna|הודעה מקורית|message d'origine)\s*-{2,}$",
    _I,
)
_OUTLOOK_RULE = re.compile(r"^_{16,}$")
_HEADER_FROM = re.compile(r"^(?:from|von|από|od|מאת|de)\s?:\s*\S", _I)
_HEADER_SENT = re.compile(
    r"^(?:sent|date|gesendet|datum|στάλθηκε|ημερομηνία|ημ/νία αποστολής|wysłano|wysłane|data|נשלח|תאריך|envoyé)\s?:", _I
)
# A forward is content: nothing from its marker on is trimmed.
_FORWARD = re.compile(
    r"^(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|προωθημένο μήνυμα|przekazana wiadomość"
    r"|wiadomość przekazana dalej|הודעה שהועברה|message transféré)\s*-{2,}|begin forwarded message\s?:)$",
    _I,
)
# The last line of a mail written on a phone; matched only as the last line, so they may be broad.
_DEVICE_SIGNATURES = tuple(
    re.compile(pattern, _I)
    for pattern in (
        r"^sent (?:from|with|via) (?:my |outlook|yahoo|mail for|proton|samsung|gmail|aol)",
        r"^get outlook for (?:ios|android)",
        r"^(?:wysłane|wysłano) (?:z|ze) ",
        r"^(?:στάλθηκε|εστάλη|απεστάλη) (?:από|με) ",
        r"^נשלח (?:מ|באמצעות)",
        r"^von meinem .* gesendet",
        r"^gesendet (?:von|mit) ",
        r"^envoyé (?:de|depuis) mon ",
    )
)


def _bare(line: str) -> str:
    """A line as the patterns read it: no direction marks, no bold stars, outer spaces off."""
    return _BIDI_MARKS.sub("", line).replace("*", "").strip()


def _is_attribution(text: str) -> bool:
    return len(text) <= 300 and any(char.isdigit() for char in text) and any(p.match(text) for p in _ATTRIBUTIONS)


def _attribution_at(lines: list[str], index: int) -> bool:
    """An attribution on this line, or starting on it and wrapped onto the next one."""
    line = _bare(lines[index])
    if _is_attribution(line):
        return True
    following = _bare(lines[index + 1]) if index + 1 < len(lines) else ""
    return bool(following) and not line.endswith((".", "!", "?")) and _is_attribution(f"{line} {following}")


def _outlook_header_at(lines: list[str], index: int) -> bool:
    """ "From: ..." followed within three lines by "Sent: ..." (or Date:), Outlook's and Apple Mail's quote header."""
    if not _HEADER_FROM.match(_bare(lines[index])):
        return False
    return any(_HEADER_SENT.match(_bare(line)) for line in lines[index + 1 : index + 4])


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _trailing_quote_at(lines: list[str], end: int) -> int:
    """Where the block of ">" lines closing the text (blank lines among them) starts; end when none.

    An unknown attribution right above it (a line with a digit or an @ ending in ":") goes with it."""
    start = end
    index = end - 1
    while index >= 0 and (_is_quoted(lines[index]) or not lines[index].strip()):
        if _is_quoted(lines[index]):
            start = index
        index -= 1
    if start < end and index >= 0:
        above = _bare(lines[index])
        if above.endswith(":") and len(above) <= 300 and ("@" in above or any(char.isdigit() for char in above)):
            return index
    return start


def _marker_at(lines: list[str], end: int) -> int:
    """Where the first history marker before end is (attribution, Outlook block); len(lines) when none."""
    for index in range(end):
        bare = _bare(lines[index])
        if _ORIGINAL_MESSAGE.match(bare) or _OUTLOOK_RULE.match(bare):
            return index
        if bare and (_attribution_at(lines, index) or _outlook_header_at(lines, index)):
            return index
    return len(lines)


def _signature_at(lines: list[str], end: int) -> int:
    """Where the signature starts: a "-- " line, else a "Sent from my iPhone" last line; end when none."""
    for index in range(end):
        if lines[index].strip() == "--":
            return index
    last = next((index for index in range(end - 1, -1, -1) if lines[index].strip()), None)
    if last is not None and len(lines[last]) <= 80 and any(p.match(_bare(lines[last])) for p in _DEVICE_SIGNATURES):
        return last
    return end


def trim_reply(text: str) -> str:
    """What the sender wrote this time: quoted history and signature cut, trailing blank lines off.

    The history starts at an attribution ("On ... wrote:", "Στις ... έγραψε:", "W dniu ... pisze:",
    "... napisał(a):", "ב-... כתב/ה:", "Am ... schrieb ...:"), an Outlook "-----Original Message-----",
    "____" rule or "From:/Sent:" header block, or the ">" lines closing the text. A forwarded message
    ("---------- Forwarded message ---------") is content and kept whole. When nothing but quote or
    signature would remain, the text is returned as it came (only blank ends removed)."""
    original = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in original.split("\n")]
    forward = next((index for index, line in enumerate(lines) if _FORWARD.match(_bare(line))), len(lines))
    cut = _marker_at(lines, forward)
    if cut == forward == len(lines):
        cut = _trailing_quote_at(lines, cut)
    end = min(cut, forward)
    kept = lines[: _signature_at(lines, end)] + lines[end:cut]
    trimmed = "\n".join(kept).strip("\n")
    return trimmed if trimmed.strip() else original.strip("\n").rstrip()


# -- order and return numbers -------------------------------------------------------------------

# Order numbers start at 10001 (orders.models.FIRST_NUMBER): five digits at least, so "em 2026"
# (Portuguese "in 2026") is no order. Never inside a longer token: "EM-100421x", "ITEM-10042" and
# the order part of "EM-10042-R1" are not matches.
_NOT_BEFORE = r"(?<![\w-])"
_NOT_AFTER = r"(?![\w]|-\w)"
_PREFIXED = re.compile(_NOT_BEFORE + r"#?em[-\s]?([0-9]{5,17})" + _NOT_AFTER, _I)
_AFTER_WORD = re.compile(
    _NOT_BEFORE + r"(?:orders?|zam[oó]wieni(?:e|a|u|em)|παραγγελ[ιί](?:α|ας|ες)|[הבלמוש]{0,2}הזמנ[הת])"
    r"[\s:]*(?:(?:#|nr\.?|no\.?|number|αρ\.?|αριθμ[οό]ς|מס['׳]?|מספר)[\s:]*)?#?([0-9]{5,17})" + _NOT_AFTER,
    _I,
)
_RETURN = re.compile(_NOT_BEFORE + r"#?em[-\s]?([0-9]{5,17})[-\s]?r([0-9]{1,4})" + _NOT_AFTER, _I)


def order_numbers(text: str) -> list[str]:
    """The order numbers a text names ("EM-10042", "em 10042", "#EM-10042", "order #10042",
    "zamówienie nr 10042", "παραγγελία αρ. 10042", "הזמנה 10042"), as "EM-10042", each once, in order.
    A return number ("EM-10042-R1") names a return, not an order: see return_numbers."""
    in_returns = [match.span() for match in _RETURN.finditer(text)]
    found = sorted(
        (match.start(), int(match.group(1)))
        for pattern in (_PREFIXED, _AFTER_WORD)
        for match in pattern.finditer(text)
        if not any(start <= match.start() < end for start, end in in_returns)
    )
    return list(dict.fromkeys(f"EM-{number}" for _start, number in found))


def return_numbers(text: str) -> list[str]:
    """The return numbers a text names ("EM-10042-R1", "em 10042 r2"), as "EM-10042-R1", each once, in order."""
    return list(dict.fromkeys(f"EM-{int(order)}-R{int(sequence)}" for order, sequence in _RETURN.findall(text)))
