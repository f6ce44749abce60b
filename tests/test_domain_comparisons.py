"""Comparisons a fact's declared domain decides (``søker.alder > 200``, ``funksjon.egen_helse >= 6``)
are warned for ``< <= > >=`` as for ``== !=``; the warning is right, and nothing it could say is missed."""

from __future__ import annotations

import pytest

from tildeling.language.logic import compare
from tildeling.language.parser import parse_expression
from tildeling.language.scope import Scope, Symbol
from tildeling.language.typecheck import check_expression
from tildeling.language.types import IPLOS, IPLOS_VALUES, NUMBER, Kind, Type

AGE = Type(Kind.NUMBER, minimum=0, maximum=120, integer=True)
HOURS = Type(Kind.NUMBER, minimum=0)  # no upper bound
SCOPE = Scope()
for _path, _type in [("søker.alder", AGE), ("funksjon.egen_helse", IPLOS), ("pårørende.timer", HOURS),
                     ("parameter.grense", NUMBER)]:
    SCOPE.add(Symbol(_path, "fact", _type))

OPS = ("<", "<=", ">", ">=")
LITERALS = (-1, 0, 0.5, 1, 3, 5, 5.5, 6, 67, 119.5, 120, 121, 200)


def warnings(text: str, lang: str = "nb") -> list[tuple[str, str]]:
    _, diags = check_expression(parse_expression(text), SCOPE)
    assert all(d.severity == "warning" for d in diags), diags
    return [(d.code, d.text(lang)) for d in diags]


@pytest.mark.parametrize("text, always", [
    ("søker.alder > 200", "usann"), ("200 < søker.alder", "usann"), ("søker.alder <= 120", "sann"),
    ("søker.alder < 0", "usann"), ("søker.alder >= 0", "sann"), ("funksjon.egen_helse >= 6", "usann"),
    ("6 <= funksjon.egen_helse", "usann"), ("funksjon.egen_helse > 5", "usann"), ("funksjon.egen_helse < 6", "sann"),
    ("pårørende.timer < 0", "usann"),
])
def test_a_comparison_the_domain_decides_is_warned(text, always):
    [(code, message)] = warnings(text)
    assert code == "value-out-of-domain"
    assert f"er alltid {always}" in message


def test_the_warning_names_the_fact_and_its_range_in_every_language():
    assert warnings("søker.alder > 200")[0][1] == (
        "Sammenligningen med 200 er alltid usann: «søker.alder» ligger i verdiområdet 0–120, hele tall.")
    assert "is always false: «søker.alder» lies in the range 0–120, whole numbers" in warnings("søker.alder > 200", "en")[0][1]
    assert "er alltid usann: «funksjon.egen_helse» er ein IPLOS-skår" in warnings("funksjon.egen_helse >= 6", "nn")[0][1]


@pytest.mark.parametrize("text", [
    "søker.alder >= 67", "søker.alder > 119.5", "søker.alder < 0.5", "funksjon.egen_helse >= 1",
    "funksjon.egen_helse > 0", "funksjon.egen_helse < 1", "pårørende.timer > 1000", "parameter.grense > 100000",
    "3 < 5",
])
def test_comparisons_the_domain_does_not_decide_are_quiet(text):
    assert warnings(text) == []


def test_iplos_9_keeps_its_own_warning():
    assert [c for c, _ in warnings("funksjon.egen_helse >= 9")] == ["iplos-not-relevant-order"]


@pytest.mark.parametrize("path, domain, iplos", [
    ("søker.alder", range(0, 121), False),
    ("funksjon.egen_helse", IPLOS_VALUES, True),
])
def test_warned_exactly_when_every_value_of_the_domain_gives_the_same_answer(path, domain, iplos):
    for op in OPS:
        for literal in LITERALS:
            if iplos and literal == 9:
                continue
            for text, flip in ((f"{path} {op} {literal}", False), (f"{literal} {op} {path}", True)):
                answers = {compare(op, literal, v, False, iplos) if flip else compare(op, v, literal, iplos, False)
                           for v in domain}
                found = warnings(text)
                assert bool(found) == (len(answers) == 1), (text, answers, found)
                if found:
                    word = "sann" if answers == {True} else "usann"
                    assert f"er alltid {word}:" in found[0][1], (text, found)
