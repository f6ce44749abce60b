"""The shipped rule sets and case corpus, as the issues demand them to behave."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT

from tildeling.engine import Engine
from tildeling.rules.cases import load_case
from tildeling.ruletest.runner import run_cases

RULES = ROOT / "rules"
CASES = ROOT / "cases"


@pytest.fixture(scope="module")
def engine():
    return Engine(RULES)


def test_nine_rule_sets_three_legacy_plus_harmonised_per_merger_and_baerum(engine):
    entries = engine.catalog()
    ids = {e.id for e in entries}
    assert ids == {"drammen-2019", "nedre-eiker-2019", "svelvik-2019", "drammen",
                   "meland-2019", "radoy-2019", "lindas-2019", "alver", "baerum"}
    for e in entries:
        assert e.example, f"{e.path} must be marked as an example"
        if e.id.endswith("-2019"):
            assert e.valid_to is not None and e.valid_to.isoformat() == "2019-12-31"
        else:
            assert e.valid_from.year >= 2020
    out = subprocess.run([sys.executable, "-m", "tildeling", "rules"], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.startswith("9 regelsett (10 versjoner)")
    assert "Bærum" in out.stdout and "baerum" in out.stdout
    assert "svelvik-2019" in out.stdout and "2018-01-01 – 2019-12-31" in out.stdout


def test_every_rule_set_says_it_is_an_illustrative_example():
    for path in sorted(RULES.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\nservices:" not in text:
            continue
        head = text[:3000].lower()
        assert "example: true" in head and "disclaimer:" in head and "sources:" in head, path
        assert "eksempel" in head or "døme" in head, path


def test_svelvik_case_resolves_by_date(engine):
    # The same anonymised application, dated before and after the merger.
    for name, expected in (("dr-001.yaml", "svelvik-2019"), ("dr-002.yaml", "drammen")):
        case = load_case(CASES / "drammen" / name)
        assert case.municipality == "Svelvik"
        crs, warnings = engine.choose(case)
        assert crs.ruleset.id == expected and warnings == []


def test_every_shipped_rule_set_loads_without_errors(engine):
    for e in engine.catalog():
        rs = engine.compiled(e.path).ruleset
        assert all(d.severity != "error" for d in rs.warnings)


@pytest.fixture(scope="module")
def corpus_report(engine):
    """Every case under cases/ run as a rule test, once for the module."""
    files = sorted(p for p in CASES.rglob("*.yaml") if p.name != "tjenester.yaml")
    return run_cases(engine, files)


def test_corpus_passes_and_covers_every_branch(corpus_report):
    report = corpus_report
    assert report.cases >= 120
    assert report.failed == 0, [f"{f.file}: {f.message}" for f in report.failures[:5]]
    from tildeling.ruletest.runner import uncovered
    seen = set()
    for _key, (crs, cov) in report.coverage.items():
        rules, _outcomes, _steps = uncovered(crs, cov)
        assert rules == [], f"{crs.ruleset.id} {crs.ruleset.version}: {[r.id for _, r in rules][:10]}"
        seen.add((crs.ruleset.id, crs.ruleset.version))
    assert len(seen) == 10  # every version of every shipped rule set was exercised


NN_FORBIDDEN = re.compile(r"\b(ikke|tjenesten?|tjenester|hjemmet|sykehjem|søkeren|nødvendig|forsvarlig|"
                          r"opplysninger|mangler|også|hvis|uker)\b", re.IGNORECASE)


def test_alver_explanations_are_nynorsk_throughout(engine):
    """Every text the Alver rule sets (and the engine around them) print is nynorsk."""
    from tildeling.engine import evaluate_with
    from tildeling.reports.render import to_markdown, to_text
    checked = 0
    for path in sorted((CASES / "alver").glob("*.yaml")):
        case = load_case(path)
        crs, _ = engine.choose(case)
        if crs.ruleset.id != "alver":
            continue
        out = evaluate_with(crs, case, explain=True)
        assert out.language == "nn"
        for text in (to_text(out, explain=True), to_markdown(out)):
            prose = re.sub(r"[\w]+(\.[\w]+)+", "", text)  # fact paths are identifiers, not prose
            bad = NN_FORBIDDEN.findall(prose)
            assert not bad, f"{path.name}: bokmål i nynorsk-utskrift: {sorted(set(bad))}"
        checked += 1
    assert checked >= 20


def test_lang_nn_on_the_harmonised_drammen_set(engine):
    from tildeling.engine import evaluate_with
    case = load_case(CASES / "drammen" / "dr-060.yaml")
    crs, _ = engine.choose(case)
    out = evaluate_with(crs, case, lang="nn")
    text = " ".join(r.text for d in out.decisions for r in d.reasons)
    assert not NN_FORBIDDEN.findall(text), text


def test_changing_one_threshold_fails_the_cases_that_depend_on_it(tmp_path, corpus_report):
    """A policy author raises the respite threshold in the harmonised Alver set from 3 to 4
    burdensome factors: `tildeling test` must catch it, on respite cases only. (Before the
    change the Alver cases pass: they are part of the whole corpus, run once per module.)"""
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    target = copy / "alver" / "alver-2020.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.count("og tyngde >= 3\n") == 1
    target.write_text(text.replace("og tyngde >= 3\n", "og tyngde >= 4\n"), encoding="utf-8")
    files = sorted((CASES / "alver").glob("*.yaml"))
    alver = {str(f) for f in files}
    before = [f for f in corpus_report.failures if f.file in alver]
    assert corpus_report.passes and any(p.startswith(str(CASES / "alver")) for p in corpus_report.passes)
    after = run_cases(Engine(copy), files)
    assert before == []
    assert after.failed > 0
    assert {f.service for f in after.failures} == {"avlastning"}
    assert all(f.rule_set.startswith("alver ") for f in after.failures)


def test_baerum_housing_staircase_places_each_applicant_on_a_level(engine):
    """The housing staircase decides the level by function (Bærum example): each level's case
    gets its level as the amount and its place on the 13-step staircase as the step."""
    from tildeling.engine import evaluate_with
    levels = {}
    for name in ("bae-002", "bae-003", "bae-005", "bae-006"):
        case = load_case(CASES / "baerum" / f"{name}.yaml")
        crs, _ = engine.choose(case)
        assert crs.ruleset.id == "baerum"
        (d,) = evaluate_with(crs, case).decisions
        levels[name] = (d.outcome, d.amount.value if d.amount else None, d.step)
    assert levels == {"bae-002": ("innvilget", 2, 5), "bae-003": ("innvilget", 3, 5),
                      "bae-005": ("innvilget", 4, 9), "bae-006": ("innvilget", 5, 10)}


def test_baerum_activity_duty_under_30_is_a_statutory_condition(engine):
    """sotjl § 20 a: under 30, economic assistance carries an activity condition unless weighty
    reasons speak against it; the appeal is fvl § 29 (three weeks), not pbrl § 7-5."""
    from tildeling.engine import evaluate_with
    case = load_case(CASES / "baerum" / "bae-011.yaml")
    crs, _ = engine.choose(case)
    out = evaluate_with(crs, case)
    (d,) = out.decisions
    assert (d.outcome, d.decided_by, d.reasons[0].rule) == ("innvilget", "lovkrav", "øs-aktivitetsplikt")
    assert "sotjl § 20 a første ledd" in d.legal_basis or "sotjl § 20 a første ledd" in d.reasons[0].legal_basis
    assert "aktivitet" in d.reasons[0].text
    assert (out.appeal.weeks, out.appeal.body) == (3, "Statsforvalteren")
    assert "fvl § 29" in out.appeal.legal_basis


def test_a_letter_under_another_act_is_not_titled_health_and_care(engine):
    from tildeling.engine import evaluate_with
    from tildeling.reports.render import to_markdown
    case = load_case(CASES / "baerum" / "bae-011.yaml")
    crs, _ = engine.choose(case)
    letter = to_markdown(evaluate_with(crs, case))
    assert letter.startswith("# Vedtak\n") and "helse- og omsorgstjenester" not in letter.splitlines()[0]


@pytest.mark.parametrize("name, on, expected", [
    ("dr-001.yaml", None, "Fylkesmannen i Vestfold og Telemark"),  # Svelvik 2019: Vestfold county
    ("dr-002.yaml", None, "Fylkesmannen i Oslo og Viken"),  # Svelvik case dated 2020, merged Drammen
    ("dr-002.yaml", "2021-03-01", "Statsforvalteren i Oslo og Viken"),
    ("dr-002.yaml", "2025-03-01", None),  # renamed 2024; the new name's start date is not verified
])
def test_the_appeal_body_is_named_as_the_office_was_on_the_date(engine, name, on, expected):
    import datetime as dt

    from tildeling.engine import evaluate_with
    case = load_case(CASES / "drammen" / name)
    as_of = dt.date.fromisoformat(on) if on else None
    crs, _ = engine.choose(case, as_of=as_of)
    appeal = evaluate_with(crs, case, as_of=as_of).appeal
    assert appeal.body_name == expected
    assert appeal.body == ("Statsforvalteren" if (as_of or case.application_date).year >= 2021 else "Fylkesmannen")


def test_alver_letters_name_statsforvaltaren_i_vestland_in_nynorsk(engine):
    from tildeling.engine import evaluate_with
    from tildeling.reports.render import to_markdown
    case = load_case(CASES / "alver" / "al-078.yaml")
    crs, _ = engine.choose(case)
    out = evaluate_with(crs, case)
    assert out.appeal.body_name == "Statsforvaltaren i Vestland"
    assert "Statsforvaltaren i Vestland" in to_markdown(out)
