"""A grant that puts the applicant on the waiting list (pbrl § 2-1 e andre ledd) says so in
the JSON outcome, the text and the letter, and an expectation can require it either way."""

from __future__ import annotations

from helpers import ROOT

from tildeling.engine import Engine
from tildeling.files.outcome import to_plain
from tildeling.reports.render import to_markdown, to_text
from tildeling.rules.cases import load_case
from tildeling.ruletest.runner import compare
from tildeling.files.model import Expectation

ENGINE = Engine(ROOT / "rules")


def decisions(name: str):
    outcome = ENGINE.evaluate(load_case(ROOT / "cases" / "fagscenarier" / name))
    return outcome, {d.service: d for d in outcome.decisions}


def test_a_waiting_list_grant_is_marked_and_a_place_now_is_not():
    outcome, d = decisions("P09.yaml")  # home help forsvarlig while waiting
    assert d["langtidsopphold"].outcome == "innvilget" and d["langtidsopphold"].waiting_list is True
    plain = to_plain(outcome)
    assert plain["decisions"][0]["waiting_list"] is True
    assert "waiting_list" not in next(x for x in plain["decisions"] if x["service"] == "avlastning")
    assert "Vedtak om venteliste" in to_text(outcome) and "Vedtak om venteliste" in to_markdown(outcome)
    _, now = decisions("P08.yaml")  # the only forsvarlig offer: a place now
    assert now["langtidsopphold"].outcome == "innvilget" and now["langtidsopphold"].waiting_list is None


def test_an_expectation_can_require_a_waiting_list_decision_or_its_absence():
    _, d = decisions("P09.yaml")
    wants_now = Expectation(outcome="innvilget", waiting_list=False, why="plass nå")
    assert any("venteliste" in p for p in compare(wants_now, d["langtidsopphold"]))
    wants_list = Expectation(outcome="innvilget", waiting_list=True, why="venteliste")
    assert compare(wants_list, d["langtidsopphold"]) == []


def test_an_expectation_can_require_an_offer_without_vedtak_and_the_caregiver_as_party():
    _, d = decisions("P20.yaml")  # preventive home visit offered of the municipality's accord
    visit = d["forebyggende_hjemmebesøk"]
    assert compare(Expectation(outcome="innvilget", vedtak=False, why="tilbud"), visit) == []
    assert compare(Expectation(outcome="innvilget", vedtak=True, why="vedtak"), visit) != []
    _, d = decisions("P17.yaml")  # omsorgsstønad: the daughter who cares is the party (pbrl § 2-8)
    assert compare(Expectation(outcome="innvilget", addressee="pårørende", why="part"), d["omsorgsstønad"]) == []
    assert compare(Expectation(outcome="innvilget", addressee="søker", why="part"), d["omsorgsstønad"]) != []
