"""Evaluation: outcomes the mini rule set's criteria demand, three-valued logic at the
tree level, legal floors before municipal discretion, and explanations from the trace."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import FIXTURES

from tildeling.core.errors import CaseError
from tildeling.engine import Engine, evaluate_with
from tildeling.files.outcome import Alternative, Amount
from tildeling.rules.cases import load_case

RULES = FIXTURES / "rules"
CASE = FIXTURES / "cases" / "alfa-1.yaml"


@pytest.fixture(scope="module")
def engine():
    return Engine(RULES)


def run(engine, facts_patch=None, drop=(), applied_for=None, **kw):
    case = load_case(CASE)
    for path in drop:
        case.facts.pop(path)
    case.facts.update(facts_patch or {})
    if applied_for:
        case.model = case.model.model_copy(update={"applied_for": applied_for})
    crs, warnings = engine.choose(case, **{k: v for k, v in kw.items() if k in ("as_of", "rule_set_id")})
    out = evaluate_with(crs, case, warnings=warnings, **{k: v for k, v in kw.items() if k in ("as_of", "lang", "explain")})
    return out, {d.service: d for d in out.decisions}


def test_granted_with_reason_facts_and_amount(engine):
    out, d = run(engine)
    pb = d["praktisk_bistand"]
    # IPLOS husarbeid 4 ≥ 3 and no other adult can help: the criteria grant practical help.
    assert pb.outcome == "innvilget" and pb.step == 6
    assert pb.reasons[0].rule == "pb-innvilget"
    # The applicant lives alone: whether another adult will help is derived, and the text says so.
    assert pb.reasons[0].text == ("Søkeren trenger hjelp til husarbeid (IPLOS 4). "
                                  "Bor alene ⇒ ingen annen voksen i husstanden (utledet).")
    assert pb.reasons[0].sources["husstand.annen_voksen_vil_bidra"] == "utledet"
    assert pb.reasons[0].facts["funksjon.husarbeid"] == 4
    assert pb.amount == Amount(value=1.5, unit="timer hver tredje uke")  # lives alone
    assert pb.legal_basis == "hol § 3-2 første ledd nr. 6 bokstav b; pbrl § 2-1 a andre ledd"
    assert out.samlevedtak is True


def test_missing_fact_gives_uavklart_listing_it_not_avslag(engine):
    # Without the household assessment the criteria cannot say whether another adult can help
    # (for an applicant who does not live alone: living alone, it would follow).
    _, d = run(engine, drop=["husstand.annen_voksen_kan_utføre"], facts_patch={"søker.bor_alene": False})
    pb = d["praktisk_bistand"]
    assert pb.outcome == "uavklart"
    # Both facts of the household condition are unknown now; either could settle it.
    assert pb.missing == ("husstand.annen_voksen_kan_utføre", "husstand.annen_voksen_vil_bidra")
    assert "husstand.annen_voksen_kan_utføre" in pb.reasons[0].text


def test_false_and_unknown_is_false_at_tree_level(engine):
    # «kan utføre» is false, so «kan utføre og vil bidra» is false although the case does not
    # say whether anyone «vil bidra» (that fact is absent from the case file).
    case = load_case(CASE)
    assert "husstand.annen_voksen_vil_bidra" not in case.facts
    _, d = run(engine)
    assert d["praktisk_bistand"].outcome == "innvilget"
    assert d["praktisk_bistand"].missing == ()


def test_unknown_condition_that_does_not_change_the_outcome_is_not_uavklart(engine):
    # The statutory floor (only forsvarlig offer) is unknown, but lower levels were tried, so the
    # municipal criteria grant anyway: both ways give «innvilget».
    _, d = run(engine, drop=["vurdering.eneste_forsvarlige_langtidsopphold"])
    lt = d["langtidsopphold"]
    assert lt.outcome == "innvilget" and lt.decided_by == "kommunalt"
    assert lt.discretion is True
    assert any(r.rule == "lt-eneste-forsvarlige" for r in lt.reasons)  # says it was assumed


def test_legal_floor_beats_age_main_rule_and_says_so(engine):
    # 60 years old (under the 67 main rule) and lower levels not tried — but the stay is the only
    # forsvarlig offer, so pbrl § 2-1 e decides.
    _, d = run(engine, {"søker.alder": 60, "vurdering.eneste_forsvarlige_langtidsopphold": True,
                        "tjenester.lavere_nivå_vurdert": False})
    lt = d["langtidsopphold"]
    assert lt.outcome == "innvilget" and lt.decided_by == "lovkrav"
    assert lt.reasons[0].rule == "lt-eneste-forsvarlige"


def test_age_main_rule_refuses_without_floor(engine):
    _, d = run(engine, {"søker.alder": 60})
    assert d["langtidsopphold"].outcome == "avslag"
    assert d["langtidsopphold"].reasons[0].rule == "lt-alder"


def test_iplos_9_is_not_relevant_not_missing(engine):
    # 9 on every household variable: no need (not unknown) → refusal, not uavklart.
    _, d = run(engine, {"funksjon.husarbeid": 9, "funksjon.innkjøp": 9, "funksjon.matlaging": 9})
    assert d["praktisk_bistand"].outcome == "avslag"
    assert d["praktisk_bistand"].step == 3


def test_alternatives_are_lower_steps_with_tried_flag(engine):
    _, d = run(engine, {"funksjon.husarbeid": 2, "funksjon.innkjøp": 1, "funksjon.matlaging": 1})
    alts = d["praktisk_bistand"].alternatives
    assert alts == (Alternative(service="varelevering", step=3, name="varelevering",
                                text="Varer kan leveres hjem.", tried=True),)


def test_staircase_step_is_highest_granted(engine):
    out, _ = run(engine)
    assert out.staircase_step == 12


def test_service_not_described_is_uavklart(engine):
    # The harmonised set (2021) has no criteria for langtidsopphold, which Alfa's legacy set
    # describes. (A service no rule set of the municipality knows is a case error: unknown-service.)
    _, d = run(engine, as_of=dt.date(2021, 3, 1))
    assert d["langtidsopphold"].outcome == "uavklart"
    assert d["langtidsopphold"].reasons[0].rule == "tjeneste-ikke-beskrevet"
    with pytest.raises(CaseError) as exc:
        run(engine, applied_for=["praktisk_bistand", "bpa"])
    assert [d.code for d in exc.value.diagnostics] == ["unknown-service"]


def test_nynorsk_texts(engine):
    out, d = run(engine, lang="nn")
    assert d["praktisk_bistand"].reasons[0].text == ("Søkjaren treng hjelp til husarbeid (IPLOS 4). "
                                                     "Bur åleine ⇒ ingen annan vaksen i hushaldet (utleidd).")
    assert out.language == "nn"


def test_explain_records_every_condition(engine):
    out, _ = run(engine, explain=True)
    tested = [(e.service, e.rule, e.value) for e in out.trace if e.kind == "test"]
    assert ("praktisk_bistand", "pb-ingen-behov", False) in tested
    assert ("praktisk_bistand", "pb-husstand", False) in tested
    ev = [e for e in out.trace if e.rule == "pb-ingen-behov"][0]
    assert ev.facts == {"funksjon.husarbeid": 4, "funksjon.innkjøp": 3, "funksjon.matlaging": 2}


def test_resolution_by_municipality_and_date(engine):
    case = load_case(CASE)
    crs, w = engine.choose(case)  # Alfa, 2019 → Alfa's own legacy set
    assert (crs.ruleset.id, w) == ("mini-2019", [])
    crs, w = engine.choose(case, as_of=dt.date(2021, 3, 1))  # Alfa after the merger → harmonised set
    assert (crs.ruleset.id, w) == ("mini", [])
    crs, w = engine.choose(case, as_of=dt.date(2020, 6, 1))  # the gap: nearest set, with a warning
    assert crs.ruleset.id in ("mini-2019", "mini") and len(w) == 1 and "Alfa" in w[0]


def test_harmonised_set_cites_renumbered_section_on_case_date(engine):
    case = load_case(CASE)
    crs, _ = engine.choose(case, as_of=dt.date(2025, 1, 1))
    out = evaluate_with(crs, case, as_of=dt.date(2025, 1, 1))
    assert "pbrl § 2-1 andre ledd" in out.decisions[0].legal_basis
    out = evaluate_with(crs, case, as_of=dt.date(2022, 1, 1))
    assert "pbrl § 2-1 a andre ledd" in out.decisions[0].legal_basis


def test_bad_fact_value_is_a_case_error_with_position(engine):
    case = load_case(CASE)
    case.facts["funksjon.husarbeid"] = 7
    crs, _ = engine.choose(case)
    with pytest.raises(CaseError) as exc:
        evaluate_with(crs, case)
    d = exc.value.diagnostics[0]
    assert d.code == "fact-value" and d.span.line == 7


def test_age_derived_from_birth_date(engine):
    case = load_case(CASE)
    case.facts.pop("søker.alder")
    case.facts["søker.fødselsdato"] = dt.date(1960, 5, 3)  # 58 on 2019-05-02
    crs, _ = engine.choose(case)
    out = evaluate_with(crs, case)
    assert {d.service: d for d in out.decisions}["langtidsopphold"].outcome == "avslag"
