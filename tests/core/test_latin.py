"""Names in Latin letters for bank files and labels: Greek as passports write it, accents dropped."""

from __future__ import annotations

import pytest

from emporos.core.latin import to_latin


@pytest.mark.parametrize(
    ("name", "latin"),
    [
        ("Ελένη Παπαδοπούλου", "Eleni Papadopoulou"),
        ("ΓΕΩΡΓΙΟΣ ΧΑΤΖΗΔΑΚΗΣ", "GEORGIOS CHATZIDAKIS"),
        ("Θεόδωρος Μπαλτάς", "Theodoros Baltas"),
        ("Ευάγγελος Αυγερινός", "Evangelos Avgerinos"),
        ("Δήμητρα Σταύρου", "Dimitra Stavrou"),
        ("Ευθύμιος Ψαράς", "Efthymios Psaras"),
        ("Ντίνος Καντάς", "Dinos Kantas"),
        ("Άγγελος Λαμπράκης", "Angelos Lamprakis"),
        ("Μαΐου", "Maiou"),
        ("Ουρανία Ξενάκη", "Ourania Xenaki"),
        ("Jabłoński", "Jablonski"),
        ("Łukasz Żółć-Wąsowicz", "Lukasz Zolc-Wasowicz"),
        ("Ærø Straße", "AEro Strasse"),
        ("Müller, Çelik", "Muller, Celik"),
        ("Maria Smith", "Maria Smith"),
    ],
    ids=lambda value: value,
)
def test_a_name_comes_out_in_latin_letters(name: str, latin: str) -> None:
    assert to_latin(name) == latin


def test_other_scripts_are_left_to_the_caller() -> None:
    assert to_latin("דוד כהן") == "דוד כהן"
