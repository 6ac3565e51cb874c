"""HTML mail bodies as readable plain text (standard library html.parser only).

Paragraphs and block elements become line breaks, <br> a new line, list items "- " lines,
<blockquote> lines are prefixed with "> " (so a quoted reply in an HTML-only mail can be trimmed
like a plain-text one), entities are decoded, and scripts, styles and the <head> are dropped.
Broken markup never raises: what html.parser cannot read falls back to stripping the tags.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]

_DROPPED = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "object", "xml"})
# A blank line around these, a plain line break around the rest of the blocks.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "hr", "dl", "figure"})
_BLOCKS = frozenset(
    {"div", "tr", "li", "dd", "dt", "section", "article", "header", "footer", "address", "aside", "main", "nav"}
    | {"center", "form", "fieldset", "caption", "tbody", "thead", "tfoot", "blockquote", "body", "html"}
)
_CELLS = frozenset({"td", "th"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"})
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")
_TAG = re.compile(r"<[^>]*>")
_CUT_TAG = re.compile(r"<[A-Za-z/!][^<>]*\Z")  # a tag cut off by the end of the text


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.line_depth = 0
        self.quote_depth = 0
        self.dropped: list[str] = []
        self.preformatted = 0

    # -- output --------------------------------------------------------------------------------

    def write(self, text: str) -> None:
        if not self.line:
            self.line_depth = self.quote_depth
        self.line += text

    def end_line(self) -> None:
        prefix = "> " * self.line_depth if self.line_depth else ""
        line = self.line.rstrip() if self.preformatted else self.line.strip(" ")
        self.lines.append((prefix + line).rstrip())
        self.line = ""
        self.line_depth = self.quote_depth

    def ensure_line_break(self) -> None:
        if self.line.strip(" "):
            self.end_line()
        else:
            self.line = ""

    def ensure_blank_line(self) -> None:
        self.ensure_line_break()
        if self.lines and self.lines[-1].strip("> "):
            self.lines.append("> " * self.quote_depth if self.quote_depth else "")

    # -- parser events -------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropped.append(tag)
        elif tag == "br":
            self.end_line()
        elif tag == "li":
            self.ensure_line_break()
            self.write("- ")
        elif tag in _CELLS:
            if self.line.strip(" ") and not self.line.endswith(" "):
                self.write(" ")
        else:
            self._block_boundary(tag)
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.preformatted += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            if tag in self.dropped:
                del self.dropped[len(self.dropped) - 1 - self.dropped[::-1].index(tag) :]
            return
        if tag == "blockquote" and self.quote_depth:
            self.ensure_line_break()
            self.quote_depth -= 1
        elif tag == "pre" and self.preformatted:
            self.ensure_line_break()
            self.preformatted -= 1
        self._block_boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag in _DROPPED:
            if tag not in _DROPPED:
                self.handle_starttag(tag, attrs)
            return
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.dropped:
            return
        if self.preformatted:
            parts = data.replace("\r\n", "\n").split("\n")
            for index, part in enumerate(parts):
                if index:
                    self.end_line()
                self.write(part.replace("\xa0", " "))
            return
        text = _SPACES.sub(" ", data)
        if not self.line.strip(" "):
            text = text.lstrip(" ")
        elif self.line.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if text:
            self.write(text)

    def _block_boundary(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self.ensure_blank_line()
        elif tag in _BLOCKS:
            self.ensure_line_break()

    def text(self) -> str:
        self.ensure_line_break()
        return _tidy("\n".join(self.lines))


def _tidy(text: str) -> str:
    """Trailing spaces off, runs of blank lines (quoted or not) down to one, no blank ends."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if not line.strip("> ") and lines and not lines[-1].strip("> "):
            continue
        lines.append(line)
    return "\n".join(lines).strip("\n")


def _strip_tags(markup: str) -> str:
    """The last resort for markup html.parser gives up on: tags out, entities decoded."""
    without_tags = _TAG.sub(" ", re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", markup))
    lines = (_SPACES.sub(" ", line).strip() for line in html.unescape(without_tags).splitlines())
    return _tidy("\n".join(lines))


def html_to_text(markup: str) -> str:
    """The readable text of an HTML document or fragment; "" for an empty one. Never raises."""
    parser = _TextParser()
    try:
        parser.feed(_CUT_TAG.sub("", markup))
        parser.close()
    except (AssertionError, ValueError, IndexError, TypeError, RecursionError):
        return _strip_tags(markup)
    return parser.text()
