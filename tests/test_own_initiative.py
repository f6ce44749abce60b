"""Decisions on the municipality's own initiative (issue 7, item 2) and rules that apply only
to some cases (item 5), as a policy author writes them: the small rule set
``tests/fixtures/initiative/rules/sigma-2021.yaml`` and its cases (each ``why`` cites the law),
through the command line and the Python API."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT, line_col
from tildeling import compile_ruleset, load_case, load_ruleset
from tildeling.core.errors import RuleSetError
from tildeling.evaluation.trace import Tracer
from tildeling.evaluation.walker import decide, environment

HERE = FIXTURES / "initiative"
RULES_DIR = str(HERE / "rules")
SIGMA = HERE / "rules" / "sigma-2021.yaml"
CASES = HERE / "cases"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=cwd)


def evaluate(case: str | Path, *extra) -> str:
    r = run("evaluate", str(CASES / case) if isinstance(case, str) else str(case), "--rules-dir", RULES_DIR, *extra)
    assert r.returncode == 0, r.stderr
    return r.stdout


def decisions(case: str | Path, *extra) -> list[dict]:
    return json.loads(evaluate(case, "--format", "json", *extra))["decisions"]


def variant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the Sigma rule set with one text replacement (the shared files by absolute path)."""
    text = SIGMA.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1).replace("../../../../rules/felles/", str(ROOT / "rules" / "felles") + "/")
    out = tmp_path / "sigma-2021.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def problems(path: Path) -> list:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    return info.value.diagnostics


# --- the rule tests a policy author runs ---------------------------------------------------------

def test_the_sigma_cases_pass():
    r = run("test", str(CASES), "--rules-dir", RULES_DIR)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.rstrip().endswith("9 passed, 0 failed")


# --- everyday rehabilitation before practical assistance (hol § 3-2 første ledd nr. 5) -----------

def test_everyday_rehabilitation_is_decided_of_the_municipality_s_own_accord():
    out = json.loads(evaluate("sig-hverdagsrehabilitering.yaml", "--format", "json"))
    got = [(d["service"], d["outcome"], d["initiative"]) for d in out["decisions"]]
    assert got == [("praktisk_bistand", "innvilget", "søknad"), ("hverdagsrehabilitering", "innvilget", "kommunen")]
    assert out["samlevedtak"] is True  # one samlevedtak holds both kinds
    own = out["decisions"][1]["reasons"][-1]
    assert own["rule"] == "hverdagsrehabilitering.eget-initiativ"
    assert own["legal_basis"] == "hol § 3-2 første ledd nr. 5"
    assert own["facts"] == {"helse.rehabiliteringspotensial": True, "tilstand.varig_funksjonssvikt": False}
    assert out["decisions"][1]["reasons"][0]["rule"] == "hr-innvilget"  # the deciding rule stays first


@pytest.mark.parametrize("case", ["sig-varig-funksjonssvikt.yaml", "sig-uten-potensial.yaml"])
def test_no_everyday_rehabilitation_with_lifelong_impairment_or_without_potential(case):
    out = json.loads(evaluate(case, "--format", "json"))
    assert [d["service"] for d in out["decisions"]] == ["praktisk_bistand"]
    assert out["samlevedtak"] is False


def test_unknown_own_initiative_conditions_decide_nothing_and_leave_nothing_undecided():
    got = decisions("sig-ukjent-potensial.yaml")
    assert [(d["service"], d["outcome"], d["missing"]) for d in got] == [("praktisk_bistand", "innvilget", [])]


# --- ordinary services when BPA is refused (hol § 3-8, pbrl § 2-1 a andre ledd) ------------------

def test_ordinary_services_are_decided_when_bpa_is_refused():
    got = {d["service"]: d for d in decisions("sig-bpa-avslag.yaml")}
    assert list(got) == ["bpa", "praktisk_bistand", "helsetjenester_i_hjemmet"]
    assert got["bpa"]["outcome"] == "avslag" and got["bpa"]["initiative"] == "søknad"
    for sid in ("praktisk_bistand", "helsetjenester_i_hjemmet"):
        assert got[sid]["outcome"] == "innvilget" and got[sid]["initiative"] == "kommunen"
        assert got[sid]["reasons"][-1]["legal_basis"] == "hol § 3-8 første ledd; pbrl § 2-1 a andre ledd"


def test_an_own_initiative_refusal_is_not_reported():
    # BPA refused, but no need for practical assistance or home nursing either: the
    # municipality does not refuse what nobody asked for.
    assert [d["service"] for d in decisions("sig-bpa-avslag-lite-behov.yaml")] == ["bpa"]


def test_bpa_granted_or_not_applied_for_gives_no_ordinary_services(tmp_path):
    case = tmp_path / "sak.yaml"
    text = (CASES / "sig-bpa-avslag.yaml").read_text(encoding="utf-8")
    case.write_text(text.replace("{alder: 72}", "{alder: 50}").split("expect:")[0], encoding="utf-8")
    assert [(d["service"], d["outcome"]) for d in decisions(case)] == [("bpa", "innvilget")]
    # not applied for: vedtak.bpa is unknown, so nothing is decided of the municipality's own accord
    case.write_text(text.replace("applied_for: [bpa]", "applied_for: [avlastning]").split("expect:")[0],
                    encoding="utf-8")
    assert [d["service"] for d in decisions(case)] == ["avlastning"]


# --- caregiver relief (hol § 3-6 første ledd nr. 2) ----------------------------------------------

def test_relief_for_a_heavily_burdened_caregiver_is_addressed_to_the_caregiver():
    got = decisions("sig-avlastning.yaml")
    relief = got[-1]
    assert (relief["service"], relief["outcome"], relief["initiative"], relief["addressee"]) == (
        "avlastning", "innvilget", "kommunen", "pårørende")


# --- letters say which decisions answer the application ------------------------------------------

def test_letter_says_which_decisions_answer_the_application():
    md = evaluate("sig-bpa-avslag.yaml", "--format", "markdown")
    assert ("Samlet vedtak (samlevedtak). Svar på søknaden: Brukerstyrt personlig assistanse (BPA). "
            "Fattet på kommunens eget initiativ: Praktisk bistand, Helsetjenester i hjemmet.") in md
    own = md[md.index("## Praktisk bistand"):]
    assert own.split("\n\n")[1].startswith("Det er ikke søkt om denne tjenesten.")
    bpa = md[md.index("## Brukerstyrt"):md.index("## Praktisk bistand")]
    assert "Det er ikke søkt om" not in bpa
    assert "eget-initiativ" not in md  # no rule ids in the letter
    nn = evaluate("sig-bpa-avslag.yaml", "--format", "markdown", "--lang", "nn")
    assert "Gjort på eige initiativ frå kommunen: Praktisk bistand, Helsetenester i heimen." in nn
    text = evaluate("sig-avlastning.yaml")
    assert "Vedtak på kommunens eget initiativ: det er ikke søkt om denne tjenesten." in text


# --- rule tests: an expected own-initiative decision, an unexpected one ---------------------------

def _case_with(tmp_path: Path, source: str, expect: str) -> Path:
    text = (CASES / source).read_text(encoding="utf-8").split("expect:")[0]
    path = tmp_path / source
    path.write_text(text + "expect:\n" + expect, encoding="utf-8")
    return path


def test_an_expected_own_initiative_decision_that_is_absent_fails(tmp_path):
    path = _case_with(tmp_path, "sig-varig-funksjonssvikt.yaml", """\
  praktisk_bistand: {outcome: innvilget, why: hol § 3-2 første ledd nr. 6 bokstav b}
  hverdagsrehabilitering: {outcome: innvilget, initiative: kommunen, why: hol § 3-2 første ledd nr. 5}
""")
    r = run("test", str(path), "--rules-dir", RULES_DIR)
    assert r.returncode == 1
    assert "hverdagsrehabilitering: det er ikke søkt om tjenesten, og kommunen har ikke fattet vedtak" in r.stdout


def test_an_unexpected_own_initiative_decision_is_a_note_not_a_failure(tmp_path):
    path = _case_with(tmp_path, "sig-bpa-avslag.yaml", """\
  bpa: {outcome: avslag, why: pbrl § 2-1 d første ledd}
""")
    r = run("test", str(path), "--rules-dir", RULES_DIR)
    assert r.returncode == 0, r.stdout
    notes = [line for line in r.stdout.splitlines() if line.startswith("MERK")]
    assert len(notes) == 2 and "praktisk_bistand: vedtak på kommunens eget initiativ som ikke står i expect: " \
                               "Innvilget" in notes[0]
    assert r.stdout.rstrip().endswith("1 passed, 0 failed")


def test_the_initiative_of_a_decision_can_be_expected(tmp_path):
    path = _case_with(tmp_path, "sig-bpa-avslag.yaml", """\
  bpa: {outcome: avslag, initiative: kommunen, why: pbrl § 2-1 d første ledd}
""")
    r = run("test", str(path), "--rules-dir", RULES_DIR)
    assert r.returncode == 1 and "forventet initiativ kommunen, fikk søknad" in r.stdout


# --- validate ------------------------------------------------------------------------------------

def test_own_initiative_condition_must_be_yes_or_no(tmp_path):
    path = variant(tmp_path, 'when: vedtak.bpa == "avslag"', "when: søker.alder")
    diags = problems(path)
    assert [d.code for d in diags] == ["type-mismatch"]
    line, _ = line_col(path.read_text(encoding="utf-8"), "when: søker.alder")
    assert diags[0].span.line == line


def test_decision_of_an_unknown_service_suggests_the_known_one(tmp_path):
    path = variant(tmp_path, 'when: vedtak.bpa == "avslag"', 'when: vedtak.bap == "avslag"')
    diags = problems(path)
    assert [d.code for d in diags] == ["unknown-name"]
    d = diags[0]
    line, col = line_col(path.read_text(encoding="utf-8"), "vedtak.bap")
    assert (d.span.file, d.span.line, d.span.column) == (str(path), line, col)
    assert d.hint_text("nb") == "mente du «vedtak.bpa»?"


def test_an_own_initiative_decision_cannot_be_referred_to(tmp_path):
    # praktisk_bistand is itself decided on the municipality's own initiative: no chains.
    path = variant(tmp_path, '"praktisk_bistand" i søknad.tjenester', 'vedtak.praktisk_bistand == "innvilget"')
    diags = problems(path)
    assert [d.code for d in diags] == ["own-initiative-chain"]
    assert "vedtak.praktisk_bistand" in diags[0].message
    line, _ = line_col(path.read_text(encoding="utf-8"), "vedtak.praktisk_bistand")
    assert diags[0].span.line == line - 1  # the `when: |` line of the block scalar


def test_decisions_are_named_only_in_own_initiative_conditions(tmp_path):
    path = variant(tmp_path, "when: funksjon.egen_helse >= 3", 'when: vedtak.bpa == "avslag"')
    assert [d.code for d in problems(path)] == ["unknown-name"]


def test_an_else_rule_cannot_have_applies_when(tmp_path):
    path = variant(tmp_path, "      - id: hh-ingen-behov\n        else: true",
                   "      - id: hh-ingen-behov\n        applies_when: helse.sårbehandling\n        else: true")
    diags = problems(path)
    assert len(diags) == 1 and "applies_when" in diags[0].message


# --- applicability (item 5) ----------------------------------------------------------------------

def test_a_rule_that_does_not_apply_is_not_asked():
    got = decisions("sig-legemidler.yaml", "--explain")
    assert got[0]["missing"] == ["funksjon.egen_helse"]  # never helse.kan_reise_til_fastlege
    trace = json.loads(evaluate("sig-legemidler.yaml", "--format", "json", "--explain"))["trace"]
    skipped = [(e["rule"], e["kind"], e["value"]) for e in trace if not e["applies"]]
    assert skipped == [("hh-fastlege", "test", False), ("hh-sårbehandling", "test", False)]
    assert "– hh-fastlege: gjelder ikke" in evaluate("sig-legemidler.yaml", "--explain")


def test_a_rule_whose_applicability_is_unknown_behaves_as_without_it(tmp_path):
    # Without applies_when the author would have written the condition into `when`: the
    # decision and the facts asked for are the same.
    plain = variant(tmp_path, "        applies_when: helse.sårbehandling\n        when: helse.kan_reise_til_fastlege",
                    "        when: helse.sårbehandling og helse.kan_reise_til_fastlege")
    text = plain.read_text(encoding="utf-8").replace(
        "        applies_when: helse.sårbehandling\n        when: ikke helse.kan_reise_til_fastlege",
        "        when: helse.sårbehandling og ikke helse.kan_reise_til_fastlege")
    plain.write_text(text, encoding="utf-8")
    with_applies = compile_ruleset(load_ruleset(SIGMA))
    without = compile_ruleset(load_ruleset(plain))
    on = dt.date(2022, 3, 1)
    for facts in ({}, {"helse.sårbehandling": True}, {"helse.kan_reise_til_fastlege": True},
                  {"helse.kan_reise_til_fastlege": False, "funksjon.egen_helse": 4},
                  {"helse.sårbehandling": False, "funksjon.personlig_hygiene": 1}):
        got = []
        for crs in (with_applies, without):
            raw = decide(crs, environment(crs, dict(facts), on), ("helsetjenester_i_hjemmet",))[0]
            got.append((raw.outcome, raw.step, sorted(raw.walk.missing) if raw.walk else None))
        assert got[0] == got[1], facts


def test_fast_path_and_traced_walker_agree_with_own_initiative():
    crs = compile_ruleset(load_ruleset(SIGMA))
    for path in sorted(CASES.glob("*.yaml")):
        case = load_case(path)
        env = environment(crs, dict(case.facts), case.application_date)
        fast = decide(crs, dict(env), tuple(case.applied_for))
        traced = decide(crs, dict(env), tuple(case.applied_for), Tracer())
        assert [(r.service, r.outcome, r.step, r.initiative) for r in fast] == \
               [(r.service, r.outcome, r.step, r.initiative) for r in traced], path.name
    # the env is left as it was given, but for søknad.tjenester
    env = environment(crs, {"søker.alder": 72}, dt.date(2022, 3, 1))
    decide(crs, env, ("bpa",))
    assert not [k for k in env if k.startswith("vedtak.")] and env["søknad.tjenester"] == ("bpa",)


def test_an_undecided_own_initiative_service_is_a_request_not_an_application(tmp_path):
    # BPA refused; what help is needed at home is not yet known: the municipality must find out
    # (fvl § 17), and the letter must not speak of an application for it.
    case = tmp_path / "sak.yaml"
    case.write_text("id: sig-x\nmunicipality: Sigma\napplication_date: 2022-03-01\napplied_for: [bpa]\n"
                    "facts:\n  søker: {alder: 72}\n", encoding="utf-8")
    got = {d["service"]: d for d in decisions(case)}
    assert got["praktisk_bistand"]["outcome"] == "uavklart" and got["praktisk_bistand"]["initiative"] == "kommunen"
    assert got["praktisk_bistand"]["missing"] == ["funksjon.husarbeid", "funksjon.innkjøp", "funksjon.matlaging"]
    md = evaluate(case, "--format", "markdown")
    request = md[md.index("## Praktisk bistand"):md.index("## Helsetjenester")]
    assert "Det er ikke søkt om Praktisk bistand, men kommunen skal vurdere tjenesten på eget initiativ" in request
    assert "søknaden om" not in request


def test_diff_pairs_the_services_applied_for_whatever_each_side_decides_on_its_own(tmp_path):
    # The new side decides no ordinary services on BPA refusal: the applied-for decisions are
    # still paired service by service, and own-initiative decisions are not items of the diff.
    new = variant(tmp_path, 'when: vedtak.bpa == "avslag"', 'when: vedtak.bpa == "uavklart"')
    r = run("diff", str(SIGMA), str(new), "--cases", str(CASES), "--format", "json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)["summary"]
    assert (summary["services"], summary["changed"]) == (9, 0)
    assert {s["service"]: s["items"] for s in summary["by_service"]} == {
        "bpa": 2, "helsetjenester_i_hjemmet": 2, "praktisk_bistand": 5}


def test_a_skipped_rule_shows_only_what_its_applicability_read(tmp_path):
    case = tmp_path / "sak.yaml"
    text = (CASES / "sig-legemidler.yaml").read_text(encoding="utf-8").split("expect:")[0]
    case.write_text(text.replace("{sårbehandling: false}", "{sårbehandling: false, kan_reise_til_fastlege: true}"),
                    encoding="utf-8")
    trace = json.loads(evaluate(case, "--format", "json", "--explain"))["trace"]  # the walker (egen_helse unknown)
    skipped = [e["facts"] for e in trace if not e["applies"]]
    assert skipped == [{"helse.sårbehandling": False}] * 2
    case.write_text(case.read_text(encoding="utf-8").replace("{personlig_hygiene: 1}",
                                                              "{personlig_hygiene: 1, egen_helse: 4}"), encoding="utf-8")
    trace = json.loads(evaluate(case, "--format", "json", "--explain"))["trace"]  # the generated traced path
    assert [e["facts"] for e in trace if not e["applies"]] == [{"helse.sårbehandling": False}] * 2
    hh = [e["kind"] for e in trace if e["service"] == "helsetjenester_i_hjemmet"]
    assert hh[-1] == "leaf" and "split" not in hh


def test_bpa_parts_outside_the_right_lead_to_ordinary_services_of_the_municipalitys_own_accord():
    """pbrl § 2-1 d andre ledd takes night services and two-helper tasks out of the BPA right;
    the need remains and is assessed as ordinary home services (hol § 3-2 første ledd nr. 6
    bokstav a) although only BPA was applied for (long-form application with parts)."""
    from helpers import ROOT

    from tildeling.engine import Engine
    from tildeling.rules.cases import load_case
    engine = Engine(ROOT / "rules")
    case = load_case(ROOT / "cases" / "drammen" / "dr-s7-02.yaml")
    out = engine.evaluate(case)
    bpa, *own = out.decisions
    assert bpa.service == "bpa" and bpa.outcome == "delvis_innvilget"
    assert {p.part for p in bpa.parts if p.outcome == "avslag"} == {"natt", "to_tjenesteytere"}
    assert [(d.service, d.initiative) for d in own] == [("helsetjenester_i_hjemmet", "kommunen")]


# --- offers without vedtak (trapp-13 steps 1–3, `vedtak: false`) --------------------------------

_STEP_2 = ("legal_basis: [hol § 3-2 første ledd nr. 5, pbrl § 2-1 a andre ledd]\n    step: 6",
           "legal_basis: [hol § 3-2 første ledd nr. 5, pbrl § 2-1 a andre ledd]\n    step: 2")


def test_an_own_initiative_service_at_a_step_without_vedtak_is_an_offer(tmp_path):
    rules = variant(tmp_path, *_STEP_2)
    out = json.loads(evaluate("sig-hverdagsrehabilitering.yaml", "--rules", str(rules), "--format", "json"))
    assert [(d["service"], d["vedtak"]) for d in out["decisions"]] == [("praktisk_bistand", True),
                                                                       ("hverdagsrehabilitering", False)]
    assert list(out["decisions"][1])[-1] == "vedtak"  # the last key of a decision
    letter = evaluate("sig-hverdagsrehabilitering.yaml", "--rules", str(rules), "--format", "markdown")
    offer = letter.split("## Hverdagsrehabilitering")[1].split("## Du kan klage")[0]
    assert "Dette er et tilbud, ikke et vedtak" in offer and "kan du ikke klage" in offer
    assert "### Regler tilbudet bygger på" in offer and "Regler vedtaket" not in offer
    assert letter.count("## Du kan klage") == 1  # for the decision on praktisk bistand
    assert "Tilbud uten vedtak: Hverdagsrehabilitering." in letter
    text = evaluate("sig-hverdagsrehabilitering.yaml", "--rules", str(rules))
    assert "Tilbud uten vedtak: kan ikke påklages" in text and "Klage: 4 uker" in text


def test_a_letter_with_only_offers_has_no_appeal_section(tmp_path):
    import dataclasses
    from tildeling import evaluate as evaluate_case
    from tildeling.reports.render import to_markdown, to_text
    rules = variant(tmp_path, *_STEP_2)
    outcome = evaluate_case(compile_ruleset(load_ruleset(rules)), load_case(CASES / "sig-hverdagsrehabilitering.yaml"))
    only = dataclasses.replace(outcome, decisions=outcome.decisions[1:], samlevedtak=False)
    assert [d.vedtak for d in only.decisions] == [False]
    letter = to_markdown(only)
    assert letter.startswith("# Tilbud om helse- og omsorgstjenester")
    assert "Du kan klage" not in letter and "Klagefristen" not in letter and "Dette er ikke et vedtak" not in letter
    assert "Klage:" not in to_text(only)
    nn = to_markdown(dataclasses.replace(only, language="nn"))
    assert nn.startswith("# Tilbod om helse- og omsorgstenester") and "ikkje klage på tilbodet" in nn


def test_an_answer_to_an_application_is_a_vedtak_even_at_a_step_without_vedtak(tmp_path):
    """A refusal of what was applied for decides the applicant's right (pbrl § 2-1 a andre ledd)
    and must be appealable (fvl §§ 2 and 28): Drammen's trygghetsalarm is at step 3."""
    r = run("evaluate", "cases/drammen/dr-007.yaml", "--format", "json")
    assert r.returncode == 0, r.stderr
    alarm = [d for d in json.loads(r.stdout)["decisions"] if d["service"] == "trygghetsalarm"]
    assert alarm and alarm[0]["step"] == 3 and alarm[0]["vedtak"] is True
    r = run("evaluate", "cases/drammen/dr-007.yaml", "--format", "markdown")
    assert "## Du kan klage" in r.stdout and "Dette er et tilbud" not in r.stdout


def test_an_individual_plan_offered_of_the_municipality_s_accord_is_no_vedtak_but_applied_for_it_is():
    """pbrl § 2-5: offering a plan without an application is no individual decision
    (``own_initiative.vedtak: false``); applied for, the decision can be appealed (pbrl § 7-2).
    The plan is outside the staircase (``step: null``)."""
    from tildeling.engine import Engine
    engine = Engine(ROOT / "rules")
    offered = {d.service: d for d in engine.evaluate(load_case(ROOT / "cases/fagscenarier/P28.yaml")).decisions}
    plan = offered["individuell_plan"]
    assert (plan.initiative, plan.outcome, plan.step, plan.vedtak) == ("kommunen", "innvilget", None, False)
    applied = {d.service: d for d in engine.evaluate(load_case(ROOT / "cases/drammen/dr-p09.yaml")).decisions}
    assert (applied["individuell_plan"].outcome, applied["individuell_plan"].vedtak) == ("innvilget", True)
