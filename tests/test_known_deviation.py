"""A case marked ``known_deviation`` is a known deviation while it deviates, and a failure as soon
as it passes, so that the list of known deviations (cases/fagscenarier/README.md) stays true."""

from __future__ import annotations

from pathlib import Path

from helpers import FIXTURES

from tildeling.engine import Engine
from tildeling.ruletest.runner import format_report, run_cases

RULES = FIXTURES / "parts" / "rules"
CASE = (FIXTURES / "parts" / "cases" / "av-to-former.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sak.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_deviating_case_marked_known_is_listed_with_its_reason_and_not_counted_failed(tmp_path):
    wrong = CASE.replace("step: 11", "step: 12") + "known_deviation: Trinnet er omstridt (se README).\n"
    report = run_cases(Engine(RULES), [write(tmp_path, wrong)])
    assert (report.passed, report.failed, report.deviating) == (0, 0, 1)
    text = format_report(report)
    assert "AVVIK" in text and "forventet trinn 12, fikk 11" in text
    assert "1 kjent avvik" in text
    assert text.rstrip().endswith("0 passed, 0 failed")


def test_a_case_marked_known_that_passes_fails_until_the_mark_is_removed(tmp_path):
    passing = CASE + "known_deviation: Trinnet er omstridt (se README).\n"
    report = run_cases(Engine(RULES), [write(tmp_path, passing)])
    assert (report.passed, report.failed, report.deviating) == (0, 1, 0)
    assert "fjern known_deviation" in report.failures[0].message


def test_an_unmarked_deviating_case_still_fails(tmp_path):
    report = run_cases(Engine(RULES), [write(tmp_path, CASE.replace("step: 11", "step: 12"))])
    assert (report.passed, report.failed, report.deviating) == (0, 1, 0)
