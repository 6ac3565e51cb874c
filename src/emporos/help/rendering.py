"""An article's plain-text body as blocks a template prints escaped: paragraphs and "- " lists.

Staff write text, never markup: whatever they type is shown as typed, so no HTML from an article
reaches a customer's browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_BULLET = "- "


@dataclass(frozen=True)
class Block:
    """A paragraph (`lines`, printed with line breaks kept) or a list (`items`)."""

    lines: tuple[str, ...] = ()
    items: tuple[str, ...] = field(default=())

    @property
    def is_list(self) -> bool:
        return bool(self.items)

    @property
    def text(self) -> str:
        """The paragraph's lines, joined by line breaks (the template keeps them, escaped)."""
        return "\n".join(self.lines)


def blocks(body: str) -> list[Block]:
    """Blank lines part blocks; a run of lines starting with "- " is a list, other lines a paragraph."""
    found: list[Block] = []
    for chunk in body.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        run: list[str] = []
        bullets: list[str] = []
        for line in lines:
            if line.startswith(_BULLET) or line == "-":
                if run:
                    found.append(Block(lines=tuple(run)))
                    run = []
                bullets.append(line[len(_BULLET) :].strip())
            else:
                if bullets:
                    found.append(Block(items=tuple(bullets)))
                    bullets = []
                run.append(line)
        if run:
            found.append(Block(lines=tuple(run)))
        if bullets:
            found.append(Block(items=tuple(bullets)))
    return [block for block in found if any(block.lines) or any(block.items)]


def summary(body: str, *, length: int = 160) -> str:
    """The body's first words, for a list of results: up to `length` characters, on one line."""
    text = " ".join(body.replace(_BULLET, " ").split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"
