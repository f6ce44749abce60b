"""Invariants of the harmonisation report over generated populations (issue 10, item 4).

Hypothesis draws the seed, size and share of missing facts of a synthetic population of a
merged municipality (:mod:`tildeling.corpus.population`, with each case's former
municipality drawn), and the report over it must add up, whatever the cases:

- each matrix's cells sum to the assessments it counts; per municipality the services' matrices
  sum to the municipality's;
- gain + loss + unchanged + unranked = assessments (per service and per municipality);
- the municipalities' assessments sum to the assessments counted, their cases to the covered
  cases; covered + not covered + failed = cases;
- the step distributions before and after each sum to the assessments;
- no case is compared with its own rule set (the legacy side is always a superseded set);
- the output is the same, byte for byte, with ``--workers 1`` and ``--workers 2``.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CASES = ROOT / "tests" / "fixtures" / "harmonise" / "cases"

pytest.importorskip("tildeling.compare.harmonise", reason="the harmonise report is not on this branch yet")
pytest.importorskip("polars")


def _population(tmp: Path, merger: str, n: int, seed: int, missing: float) -> Path:
    from tildeling.corpus.generate import population_for, write_jsonl
    from tildeling.rules.resolve import catalog

    pop = population_for(catalog(ROOT / "rules"), merger, n, seed, None, missing)
    assert pop is not None
    out = tmp / f"{merger}-{seed}-{n}.jsonl"
    write_jsonl(pop, out)
    return out


def _run(merger: str, cases: list[Path], *extra: str, rules: Path = ROOT / "rules") -> str:
    from typer.testing import CliRunner

    from tildeling.cli import app

    r = CliRunner().invoke(app, ["harmonise", merger, "--rules-dir", str(rules), "--cases",
                                 *[str(c) for c in cases], "--format", "json", *extra])
    assert r.exit_code in (0, 1), r.output
    return r.stdout


def _matrix_total(m: dict) -> int:
    return sum(sum(row) for row in m["rows"])


def check_invariants(report: dict) -> None:
    counted = report["counted"]
    municipalities = report["municipalities"]
    legacy_ids = {e["id"] for e in report["merger"]["legacy"]}
    harmonised_ids = {e["id"] for e in report["merger"]["harmonised"]}
    assert legacy_ids.isdisjoint(harmonised_ids)
    assert counted["covered_cases"] + counted["not_covered"] + counted["failed"] == counted["cases"]
    assert counted["not_covered"] == len(report["not_covered"])
    assert sum(m["assessments"] for m in municipalities) == counted["assessments"]
    assert sum(m["cases"] for m in municipalities) == counted["covered_cases"]
    for m in municipalities:
        n = m["assessments"]
        assert sum(m["directions"].values()) == n, m["municipality"]
        assert set(m["directions"]) == {"gain", "loss", "unchanged", "unranked"}
        assert sum(m["step_distribution"]["before"].values()) == n
        assert sum(m["step_distribution"]["after"].values()) == n
        assert m["steps"]["higher"] + m["steps"]["lower"] + m["steps"]["same"] <= n
        assert sum(s["assessments"] for s in m["services"]) == n
        for key in ("gain", "loss", "unchanged", "unranked"):
            assert sum(s["directions"][key] for s in m["services"]) == m["directions"][key]
        for s in m["services"]:
            assert _matrix_total(s["outcome_matrix"]) == s["assessments"], (m["municipality"], s["service"])
            assert _matrix_total(s["step_matrix"]) == s["assessments"], (m["municipality"], s["service"])
            assert sum(s["directions"].values()) == s["assessments"]
            # The diagonal of the outcome matrix holds every unchanged assessment (and more).
            diagonal = sum(s["outcome_matrix"]["rows"][i][i] for i in range(len(s["outcome_matrix"]["rows"])))
            assert diagonal >= s["directions"]["unchanged"]
        changed = n - m["directions"]["unchanged"]
        assert sum(c["count"] for c in m["causes"]) == changed
        assert len(m["changes"]) + m["changes_omitted"] == changed
        for c in m["changes"]:
            assert c["before"]["rule_set"].split()[0] in legacy_ids, c
            assert c["after"]["rule_set"].split()[0] in harmonised_ids, c
        for a in m["amounts"]:
            assert a["more"] + a["fewer"] + a["same"] <= n
    ids = [x["case"] for x in report["not_covered"]]
    assert ids == sorted(ids) or len(set(ids)) == len(ids)


_SETTINGS = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(merger=st.sampled_from(["drammen", "alver"]), n=st.integers(5, 40), seed=st.integers(0, 2**16),
       missing=st.sampled_from([0.0, 0.1, 0.3]))
def test_the_report_adds_up_over_generated_populations(tmp_path_factory, merger, n, seed, missing):
    tmp = tmp_path_factory.mktemp("pop")
    corpus = _population(tmp, merger, n, seed, missing)
    report = json.loads(_run(merger, [corpus], "--workers", "1"))
    assert report["counted"]["cases"] == n
    check_invariants(report)


@pytest.fixture(scope="module")
def drammen() -> dict:
    return json.loads(_run("drammen", [ROOT / "cases" / "drammen"], "--workers", "1"))


def test_the_report_adds_up_over_the_hand_made_corpus_and_the_shipped_cases(drammen):
    # f01 (a case that fails) is left out here: how failed cases are counted is
    # test_harmonise_statistics.test_every_case_file_is_a_case_also_when_it_fails.
    hand = [p for p in sorted(FIXTURE_CASES.glob("*.yaml")) if p.name != "f01.yaml"]
    check_invariants(json.loads(_run("samla", hand, rules=ROOT / "tests" / "fixtures" / "harmonise" / "rules")))
    check_invariants(drammen)


def test_the_output_is_the_same_for_one_and_two_workers(tmp_path):
    # 150 cases: three chunks of 64, so the two workers interleave and the order must be restored.
    corpus = _population(tmp_path, "drammen", 150, 7, 0.1)
    one = _run("drammen", [corpus, FIXTURE_CASES / "h01.yaml"], "--workers", "1")
    two = _run("drammen", [corpus, FIXTURE_CASES / "h01.yaml"], "--workers", "2")
    assert one == two
    check_invariants(json.loads(one))


def test_a_date_outside_validity_is_flagged_not_guessed(drammen):
    assert drammen["outside_validity"]
    for x in drammen["outside_validity"]:
        day = _dt.date.fromisoformat(x["date"])
        start = _dt.date.fromisoformat(x["valid_from"])
        end = _dt.date.fromisoformat(x["valid_to"]) if x["valid_to"] else None
        assert day < start or (end is not None and day > end), x
