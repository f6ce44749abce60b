"""A short-form application of a service with ``implied_when`` parts (sak 8): applying for
BPA as a whole with a need at night includes the part «natt», and the exception in pbrl
§ 2-1 d andre ledd takes that part, not the right. Unknown conditions stay exact: the
decision is ``uavklart`` exactly when completing the missing facts could change it, and the
missing facts are exactly those that can."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from helpers import FIXTURES

from tildeling.engine import Engine, evaluate_with
from tildeling.rules.cases import load_case

RULES = FIXTURES / "implied" / "rules"
TMP = Path(tempfile.mkdtemp(prefix="tildeling-implied-"))
FACTS = {
    "behov.timer_per_uke": [10, 40],
    "behov.varighet_over_2_år": [True, False],
    "behov.tjenester_om_natten": [True, False],
    "behov.krever_flere_tjenesteytere": [True, False],
}


@pytest.fixture(scope="module")
def engine():
    return Engine(RULES)


_CACHE: dict = {}


def decide(engine, facts: dict):
    k = tuple(sorted(facts.items()))
    if k not in _CACHE:
        _CACHE[k] = _decide(engine, facts)
    return _CACHE[k]


def _decide(engine, facts: dict):
    groups: dict = {"søker": {"alder": 40}}
    for path, value in facts.items():
        group, name = path.split(".")
        groups.setdefault(group, {})[name] = value
    lines = [f"  {g}: {{{', '.join(f'{k}: {str(v).lower() if isinstance(v, bool) else v}' for k, v in d.items())}}}"
             for g, d in groups.items()]
    text = ("id: eps\nmunicipality: Epsilon\napplication_date: 2023-05-02\napplied_for: [bpa]\nfacts:\n"
            + "\n".join(lines) + "\n")
    path = TMP / "eps.yaml"
    path.write_text(text, encoding="utf-8")
    case = load_case(path)
    crs, _ = engine.choose(case)
    return evaluate_with(crs, case).decisions[0]


def key(d) -> tuple:
    granted = tuple(sorted(p.part for p in d.parts if p.outcome in ("innvilget", "delvis_innvilget")))
    refused = tuple(sorted(p.part for p in d.parts if p.outcome == "avslag"))
    if d.outcome in ("innvilget", "delvis_innvilget"):
        return (d.outcome, granted, refused)
    return (d.outcome,)  # a refusal refuses the service, whichever parts it would have had


def test_a_need_at_night_takes_the_part_not_the_right(engine):
    d = decide(engine, {"behov.timer_per_uke": 40, "behov.varighet_over_2_år": True,
                        "behov.tjenester_om_natten": True, "behov.krever_flere_tjenesteytere": False})
    assert d.outcome == "delvis_innvilget"
    assert [(p.part, p.outcome) for p in d.parts] == [("dagtid", "innvilget"), ("natt", "avslag")]
    assert d.amount.value == 40


def test_without_excluded_needs_the_whole_right_is_granted(engine):
    d = decide(engine, {"behov.timer_per_uke": 40, "behov.varighet_over_2_år": True,
                        "behov.tjenester_om_natten": False, "behov.krever_flere_tjenesteytere": False})
    assert d.outcome == "innvilget"
    assert [(p.part, p.outcome) for p in d.parts] == [("dagtid", "innvilget")]


def test_a_refused_right_refuses_every_part(engine):
    d = decide(engine, {"behov.timer_per_uke": 10, "behov.varighet_over_2_år": True,
                        "behov.tjenester_om_natten": True})
    assert d.outcome == "avslag"


def test_unknown_night_need_is_missing_where_it_decides(engine):
    d = decide(engine, {"behov.timer_per_uke": 40, "behov.varighet_over_2_år": True,
                        "behov.krever_flere_tjenesteytere": False})
    assert d.outcome == "uavklart"
    assert list(d.missing) == ["behov.tjenester_om_natten"]


def _completions(known: dict):
    open_ = [f for f in FACTS if f not in known]
    for values in itertools.product(*(FACTS[f] for f in open_)):
        yield dict(known, **dict(zip(open_, values)))


@pytest.mark.parametrize("mask", range(3 ** len(FACTS)))
def test_uavklart_exactly_when_completions_differ_and_missing_exactly_what_can_change(engine, mask):
    known = {}
    for i, fact in enumerate(FACTS):
        choice = (mask // 3 ** i) % 3
        if choice < 2:
            known[fact] = FACTS[fact][choice]
    d = decide(engine, known)
    outcomes = {key(decide(engine, full)) for full in _completions(known)}
    if len(outcomes) == 1:
        assert key(d) == next(iter(outcomes))
        return
    assert d.outcome == "uavklart"
    can_change = set()
    for fact in FACTS:
        if fact in known:
            continue
        for full in _completions(known):
            flipped = [dict(full, **{fact: v}) for v in FACTS[fact]]
            if len({key(decide(engine, f)) for f in flipped}) > 1:
                can_change.add(fact)
                break
    assert set(d.missing) == can_change
