"""`tildeling test` reads corpora as well as case files: a JSON Lines line or a Parquet row that
carries ``expect`` is a rule test like the YAML case it came from, a broken line is one failed
test at file:line:column and the rest still run, and a record without ``expect`` is counted and
named as not tested (never silently passed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tildeling.cli import app
from tildeling.corpus.read import iter_sources
from tildeling.engine import Engine
from tildeling.ruletest.runner import format_report, run_cases

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
CASES = sorted((ROOT / "cases" / "baerum").glob("*.yaml"))


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The Bærum cases as one JSON Lines and one Parquet file."""
    root = tmp_path_factory.mktemp("converted")
    for name in ("b.jsonl", "b.parquet"):
        r = run("corpus", "convert", ROOT / "cases" / "baerum", "--output", root / name)
        assert r.exit_code == 0, r.output
    return root


def _summary(report) -> tuple:
    return report.passed, report.failed, report.cases, report.tally.done, report.tally.failed


@pytest.mark.parametrize("name", ["b.jsonl", "b.parquet"])
def test_a_corpus_is_tested_as_its_yaml_files_are(converted, name):
    engine = Engine(RULES)
    yaml_report = run_cases(engine, CASES)
    corpus_report = run_cases(engine, iter_sources([converted / name]))
    assert yaml_report.failed == 0 and yaml_report.passed >= len(CASES)
    assert _summary(corpus_report) == _summary(yaml_report)
    assert corpus_report.tally.records and not yaml_report.tally.records
    # The same coverage: the records reach the same branches as the files they came from.
    assert ({k: (c.rules, c.outcomes, c.steps) for k, (_, c) in corpus_report.coverage.items()}
            == {k: (c.rules, c.outcomes, c.steps) for k, (_, c) in yaml_report.coverage.items()})


def test_a_broken_line_is_one_failed_test_at_its_line_and_column_and_the_rest_run(converted, tmp_path):
    lines = (converted / "b.jsonl").read_text(encoding="utf-8").splitlines()
    good = len(lines)
    record = json.loads(lines[0])
    record["id"] = "uten-forventning"
    record.pop("expect", None)
    record.pop("expect_by_rule_set", None)
    record.pop("known_deviation", None)
    broken = '{"id": "b1", "municipality": "Bærum",'
    path = tmp_path / "k.jsonl"
    path.write_text("\n".join([lines[0], broken, *lines[1:], json.dumps(record, ensure_ascii=False)]) + "\n",
                    encoding="utf-8")
    r = run("test", path, "--rules-dir", RULES)
    assert r.exit_code == 1
    name = path.as_posix()
    assert re.search(rf"^FEIL {re.escape(name)}:2 \[-\]", r.stdout, re.M), r.stdout
    assert f"{name}:2:{len(broken) + 1}: feil[json-syntax]" in r.stdout
    assert f"lest {good + 2} saker = ferdig {good + 1} + feilet 1" in r.stdout
    assert f"{good} saker med forventninger" in r.stdout
    assert "1 sak uten forventninger (expect:), ikke testet" in r.stdout
    passed, failed = map(int, re.fullmatch(r"(\d+) passed, (\d+) failed", r.stdout.splitlines()[-1]).groups())
    yaml_report = run_cases(Engine(RULES), CASES)
    assert (passed, failed) == (yaml_report.passed, 1)


def test_a_corpus_without_expectations_is_not_a_success(tmp_path):
    record = {"id": "x", "municipality": "Drammen", "application_date": "2021-03-01",
              "applied_for": ["praktisk_bistand"], "facts": {"funksjon": {"husarbeid": 4}}}
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    r = run("test", path, "--rules-dir", RULES, "--lang", "en")
    assert r.exit_code == 1  # nothing tested
    assert "1 case without expectations (expect:), not tested" in r.stdout
    assert "read 1 case = done 1 + failed 0" in r.stdout
    assert r.stdout.splitlines()[-1] == "0 passed, 0 failed"


def test_the_untested_line_in_every_language():
    report = run_cases(Engine(RULES), [])
    report.untested = 2
    assert "2 saker uten forventninger (expect:), ikke testet" in format_report(report)
    assert "2 saker utan forventningar (expect:), ikkje testa" in format_report(report, lang="nn")
    assert "2 cases without expectations (expect:), not tested" in format_report(report, lang="en")
