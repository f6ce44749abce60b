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


def test_eight_rule_sets_three_legacy_plus_harmonised_per_merger(engine):
    entries = engine.catalog()
    ids = {e.id for e in entries}
    assert ids == {"drammen-2019", "nedre-eiker-2019", "svelvik-2019", "drammen",
                   "meland-2019", "radoy-2019", "lindas-2019", "alver"}
    for e in entries:
        assert e.example, f"{e.path} must be marked as an example"
        if e.id.endswith("-2019"):
            assert e.valid_to is not None and e.valid_to.isoformat() == "2019-12-31"
        else:
            assert e.valid_from.year >= 2020
    out = subprocess.run([sys.executable, "-m", "tildeling", "rules"], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.startswith("8 regelsett")
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


def test_corpus_passes_and_covers_every_branch(engine):
    # sak 8: aktiveres når beslutningsmodellen (sak 7) er slått sammen
    files = sorted(p for p in CASES.rglob("*.yaml") if "fagscenarier" not in p.parts)
    report = run_cases(engine, files)
    assert report.cases >= 120
    assert report.failed == 0, [f"{f.file}: {f.message}" for f in report.failures[:5]]
    from tildeling.ruletest.runner import uncovered
    seen = set()
    for _key, (crs, cov) in report.coverage.items():
        rules, _outcomes, _steps = uncovered(crs, cov)
        assert rules == [], f"{crs.ruleset.id} {crs.ruleset.version}: {[r.id for _, r in rules][:10]}"
        seen.add((crs.ruleset.id, crs.ruleset.version))
    assert len(seen) == 9  # every version of every shipped rule set was exercised


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


def test_changing_one_threshold_fails_the_cases_that_depend_on_it(tmp_path):
    """A policy author raises the respite threshold in the harmonised Alver set from 3 to 4
    burdensome factors: `tildeling test` must catch it, on respite cases only."""
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    target = copy / "alver" / "alver-2020.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.count("when: tyngde >= 3\n") == 1
    target.write_text(text.replace("when: tyngde >= 3\n", "when: tyngde >= 4\n"), encoding="utf-8")
    files = sorted((CASES / "alver").glob("*.yaml"))
    before = run_cases(Engine(RULES), files)
    after = run_cases(Engine(copy), files)
    assert before.failed == 0
    assert after.failed > 0
    assert {f.service for f in after.failures} == {"avlastning"}
    assert all(f.rule_set.startswith("alver ") for f in after.failures)
