"""Normalised forms used for matching and search."""

from __future__ import annotations

import unicodedata


def search_form(value: str) -> str:
    """Lower case, accents and Greek tonos removed, spaces folded: 'Μαρία  Π.' -> 'μαρια π.'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.replace("ς", "σ").split())
