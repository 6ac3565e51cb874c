"""Names in Latin letters without accents, for systems that take nothing else (bank transfer files,
carriers' labels): 'Ελένη Παπαδοπούλου' -> 'Eleni Papadopoulou', 'Jabłoński' -> 'Jablonski'.

Greek follows ELOT 743 (ISO 843), as Greek passports write names: digraphs first (ου -> ou, αυ -> av or
af, μπ -> b at the start of a word and mp inside, ντ -> d or nt, γγ -> ng, γκ -> gk), then letter by
letter; a diaeresis keeps two vowels apart (Μαΐου -> Maiou, not Maou). Latin letters lose their marks,
and letters with a stroke or ligatures that Unicode does not decompose are written as a person without
the key types them. Other scripts (Hebrew, Cyrillic, ...) are left as they are: the caller decides.
"""

from __future__ import annotations

import unicodedata

_GREEK_LETTERS = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
# Two letters read as one sound, whatever stands around them.
_GREEK_PAIRS = {"ου": "ou", "γγ": "ng", "γκ": "gk", "γξ": "nx", "γχ": "nch"}
# At the start of a word, and inside it.
_GREEK_STOPS = {"μπ": ("b", "mp"), "ντ": ("d", "nt")}
# αυ, ευ, ηυ: 'v' before a vowel or a voiced consonant, 'f' before a voiceless one or at the end.
_GREEK_U_DIPHTHONGS = {"α": "a", "ε": "e", "η": "i"}
_VOICELESS = frozenset("θκξπστφχψς")

_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ø": "o", "Ø": "O", "ħ": "h",
        "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ı": "i", "ŀ": "l", "Ŀ": "L", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ß": "ss", "ẞ": "SS",
    }
)  # fmt: skip


def to_latin(text: str) -> str:
    """`text` with Greek letters transliterated and Latin letters without marks; case is kept."""
    decomposed = unicodedata.normalize("NFKD", _greek_to_latin(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_UNDECOMPOSED)


def _letter(char: str) -> tuple[str, bool, bool]:
    """The base letter in lower case, whether it was upper case, whether it had a diaeresis."""
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    return base.lower(), base != base.lower(), "\u0308" in decomposed[1:]


def _greek_to_latin(text: str) -> str:
    letters = [_letter(char) for char in text]
    output: list[str] = []
    index = 0
    while index < len(text):
        base, _upper, _diaeresis = letters[index]
        if base not in _GREEK_LETTERS:
            output.append(text[index])
            index += 1
            continue
        following = letters[index + 1] if index + 1 < len(text) else ("", False, False)
        pair = base + following[0] if not following[2] else ""
        latin, width = _greek_chunk(letters, index, pair)
        output.append(_cased(latin, letters, index, width))
        index += width
    return "".join(output)


def _greek_chunk(letters: list[tuple[str, bool, bool]], index: int, pair: str) -> tuple[str, int]:
    """The Latin for the Greek letter at `index` (with the next one when they form `pair`), and how
    many letters it took."""
    if pair in _GREEK_PAIRS:
        return _GREEK_PAIRS[pair], 2
    if pair in _GREEK_STOPS:
        at_start = index == 0 or letters[index - 1][0] not in _GREEK_LETTERS
        return _GREEK_STOPS[pair][0 if at_start else 1], 2
    base = letters[index][0]
    if base in _GREEK_U_DIPHTHONGS and pair == base + "υ":
        after = letters[index + 2][0] if index + 2 < len(letters) else ""
        voiceless = after in _VOICELESS or after not in _GREEK_LETTERS
        return _GREEK_U_DIPHTHONGS[base] + ("f" if voiceless else "v"), 2
    return _GREEK_LETTERS[base], 1


def _cased(latin: str, letters: list[tuple[str, bool, bool]], index: int, width: int) -> str:
    """`latin` in the case of its Greek source: 'Θ' -> 'Th' in 'Θεός', 'TH' in 'ΘΕΟΣ'."""
    if not letters[index][1]:
        return latin
    start, end = index, index + width
    while start > 0 and letters[start - 1][0] in _GREEK_LETTERS:
        start -= 1
    while end < len(letters) and letters[end][0] in _GREEK_LETTERS:
        end += 1
    whole_word_upper = end - start > 1 and all(upper for _base, upper, _mark in letters[start:end])
    source_upper = width > 1 and letters[index + 1][1]
    return latin.upper() if whole_word_upper or source_upper else latin[:1].upper() + latin[1:]
