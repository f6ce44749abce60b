"""Facts known to be one of several values (``{en_av: [lett, moderat]}``, issue 8): a decision
stands when every allowed value gives the same one, and is ``uavklart`` naming the fact
otherwise; the values are checked against the vocabulary with located errors; a fully known
case takes the fast path as before."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import ROOT

from tildeling.core.errors import CaseError
from tildeling.engine import Engine
from tildeling.language.logic import UNKNOWN
from tildeling.language.partial import RESTRICTED, resolve


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


def write_case(tmp_path: Path, tilstand: str, applied: str = "[psykisk_helse_rus]") -> Path:
    p = tmp_path / "sak.yaml"
    p.write_text(textwrap.dedent(f"""\
        id: delvis
        municipality: Alver
        application_date: 2023-03-01
        applied_for: {applied}
        facts:
          søker: {{alder: 30}}
          tjenester: {{forsøkt: []}}
          tilstand:
        """) + textwrap.indent(textwrap.dedent(tilstand), "            "), encoding="utf-8")
    return p


def decide(engine, path: Path):
    return {d.service: d for d in engine.evaluate(engine.read_case(path)).decisions}


def problems(engine, path: Path) -> list:
    case = engine.read_case(path)
    with pytest.raises(CaseError) as exc:
        engine.evaluate(case)
    return exc.value.diagnostics


def test_every_allowed_value_gives_the_same_decision(engine, tmp_path):
    p = write_case(tmp_path, "psykisk_lidelse: {en_av: [lett, moderat]}\nselvmordsrisiko: false\nrus: ingen\n")
    found = decide(engine, p)
    assert found["psykisk_helse_rus"].outcome == "avslag"
    # The own-initiative condition (the refusal) holds whatever the severity: the offer is made.
    assert found["lavterskel_psykisk_helse_rus"].outcome == "innvilget"


def test_values_that_decide_differently_leave_only_that_fact_missing(engine, tmp_path):
    p = write_case(tmp_path, "psykisk_lidelse: {en_av: [moderat, alvorlig]}\nselvmordsrisiko: false\nrus: ingen\n")
    d = decide(engine, p)["psykisk_helse_rus"]
    assert d.outcome == "uavklart" and list(d.missing) == ["tilstand.psykisk_lidelse"]


def test_a_decision_that_does_not_turn_on_the_fact_is_unaffected(engine, tmp_path):
    p = write_case(tmp_path, "psykisk_lidelse: {en_av: [moderat, alvorlig]}\nselvmordsrisiko: true\n")
    assert decide(engine, p)["psykisk_helse_rus"].outcome == "innvilget"


def test_same_decision_as_each_value_given_outright(engine, tmp_path):
    # The one-of decision is the decision of each allowed value where they agree.
    for values in (["ingen", "lett"], ["lett", "moderat"], ["ingen", "moderat"]):
        p = write_case(tmp_path, f"psykisk_lidelse: {{en_av: {values}}}\nselvmordsrisiko: false\nrus: ingen\n")
        got = decide(engine, p)["psykisk_helse_rus"].outcome
        singles = set()
        for v in values:
            q = write_case(tmp_path, f"psykisk_lidelse: {v}\nselvmordsrisiko: false\nrus: ingen\n")
            singles.add(decide(engine, q)["psykisk_helse_rus"].outcome)
        assert singles == {got}


def test_a_value_outside_the_vocabulary_is_located(engine, tmp_path):
    p = write_case(tmp_path, "psykisk_lidelse: {en_av: [lett, moderta]}\n")
    (d,) = problems(engine, p)
    line = p.read_text(encoding="utf-8").splitlines()[8]
    assert d.code == "fact-value" and (d.span.line, d.span.column) == (9, line.index("moderta") + 1)
    assert "moderta" not in d.message  # a case's values are never quoted


@pytest.mark.parametrize("value", ["{en_av: [lett]}", "{en_av: [lett, lett]}", "{en_av: lett}",
                                   "{en_av: [lett, moderat], annet: 1}"])
def test_fewer_than_two_different_values_is_an_error(engine, tmp_path, value):
    p = write_case(tmp_path, f"psykisk_lidelse: {value}\n")
    (d,) = problems(engine, p)
    assert d.code == "fact-value" and d.span.line == 9
    assert "en_av" in d.message


def test_not_for_derived_facts(engine, tmp_path):
    # A derived fact given in part would compete with its derivations: not allowed.
    p = write_case(tmp_path, "sammensatte_behov: {en_av: [true, false]}\n")
    (d,) = problems(engine, p)
    assert d.code == "fact-value" and d.span.line == 9


def test_resolve_is_exact_over_the_allowed_values():
    env = {RESTRICTED: {"x": ("lett", "moderat"), "y": (1, 2)}}
    assert resolve(lambda e: e["x"] != "alvorlig" and e["y"] < 3, env) is True
    assert resolve(lambda e: e["y"] < 2, env) is UNKNOWN
    assert resolve(lambda e: True, {}) is UNKNOWN  # nothing restricted: nothing to resolve


def test_an_undecided_application_carries_the_step_of_the_form_applied_for(engine, tmp_path):
    # Issue 8 (P02): respite applied for as a stay in an institution, the care burden unknown:
    # not decided, but the case is about the stay (step 11), not timeavlastning (step 6).
    p = tmp_path / "form.yaml"
    p.write_text(textwrap.dedent("""\
        id: form-uavklart
        municipality: Alver
        application_date: 2023-03-01
        applied_for:
          - {service: avlastning, form: institusjon}
          - {service: avlastning, form: hjemme}
        facts:
          søker: {alder: 84}
          pårørende: {finnes: true, relasjon: barn}
        """), encoding="utf-8")
    out = engine.evaluate(engine.read_case(p)).decisions
    assert [(d.outcome, d.step) for d in out[:2]] == [("uavklart", 11), ("uavklart", 6)]
