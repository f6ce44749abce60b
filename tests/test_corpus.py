"""Nothing lost on a corpus of a few thousand cases with broken inputs of every kind.

The corpus (tests/corpus.py) holds every case under cases/ five times with new ids, and
one broken input of each kind: ``test``, ``evaluate`` and ``diff`` report every one of them,
evaluate all the others, write their report, and ``read = done + failed`` holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus import FAKE_ID, application_count, build, case_count
from tildeling.cli import app

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "rules")
COPIES = 5  # about two thousand inputs (the corpus grew with sak 8)


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    return root, build(root, COPIES)


def _tally(text: str) -> tuple[int, int, int]:
    m = re.search(r"lest (\d+) filer = ferdig (\d+) \+ feilet (\d+)", text)
    assert m, text[-2000:]
    return int(m[1]), int(m[2]), int(m[3])


def test_the_corpus_is_large():
    assert case_count(COPIES) >= 2000


def test_test_reports_every_broken_input_and_runs_the_rest(corpus):
    root, broken = corpus
    r = run("test", str(root), "--rules-dir", RULES)
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    for path, code in broken.items():
        assert re.search(rf"^FEIL {re.escape(path)} \[-\]", r.stdout, re.M), path
        assert f"[{code}]" in r.stdout, (path, code)
    read, done, failed = _tally(r.stdout)
    assert (read, done, failed) == (case_count(COPIES) + len(broken), case_count(COPIES), len(broken))
    passed, failed_tests = map(int, re.fullmatch(r"(\d+) passed, (\d+) failed", lines[-1]).groups())
    assert failed_tests == len(broken) and passed > case_count(COPIES)


def test_evaluate_reports_every_broken_input_and_prints_all_others(corpus):
    root, broken = corpus
    r = run("evaluate", str(root), "--rules-dir", RULES, "--format", "json")
    assert r.exit_code == 1
    outcomes = json.loads(r.stdout)  # stdout stays valid JSON
    assert len(outcomes) == case_count(COPIES)
    assert len({o["case"] for o in outcomes}) == len(outcomes)
    for path, code in broken.items():
        assert re.search(rf"^{re.escape(path)}(:\d+:\d+)?: feil\[{code}\]", r.stderr, re.M), (path, code)
    assert _tally(r.stderr) == (len(outcomes) + len(broken), len(outcomes), len(broken))


def test_diff_reports_every_broken_input_and_writes_the_whole_report(corpus, tmp_path):
    root, broken = corpus
    out = tmp_path / "diff.json"
    r = run("diff", "auto", "drammen", "--cases", str(root), "--rules-dir", RULES, "--format", "json",
            "--output", str(out))
    assert r.exit_code == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    s = report["summary"]
    assert (s["read"], s["done"], s["failed"]) == (case_count(COPIES) + len(broken), case_count(COPIES), len(broken))
    assert s["read"] == s["files"] and s["done"] == s["cases"] and s["failed"] == s["errors"]
    assert {e["file"] for e in report["errors"]} == set(broken)
    for path, code in broken.items():
        assert code in {e["code"] for e in report["errors"] if e["file"] == path}, (path, code)
    # Every case that applies for a service is compared or listed as not covered (auto against the
    # harmonised Drammen set: Alver, Bærum and post-merger «Drammen» cases are not covered), never both.
    compared = {i["case"] for i in report["items"]}
    left_out = {e["case"] for e in report["not_covered"]}
    assert not compared & left_out and compared
    assert len(compared) <= application_count(COPIES) <= len(compared | left_out) <= case_count(COPIES)
    assert s["not_covered"] == len(left_out)
    assert _tally(r.stderr) == (s["read"], s["done"], s["failed"])


# --- privacy: a case's values appear in no output --------------------------------------------

@pytest.fixture(scope="module")
def broken_only(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    build(root, 0)
    return root


@pytest.mark.parametrize("args", [
    ("evaluate", "--format", "text"), ("evaluate", "--format", "json"), ("evaluate", "--format", "markdown"),
    ("validate", "--format", "text"), ("validate", "--format", "json"),
    ("test",),
    *[("diff", "auto", "drammen", "--format", f, "--cases") for f in ("text", "json", "csv", "markdown", "html")],
])
def test_no_fact_value_of_a_case_in_any_output(broken_only, args, tmp_path):
    out = tmp_path / "report"
    extra = ["--output", str(out)] if args[0] == "diff" else []
    r = run(*args, str(broken_only), "--rules-dir", RULES, *extra)
    assert r.exit_code == 1
    text = r.stdout + r.stderr + (out.read_text(encoding="utf-8") if out.exists() else "")
    assert "type.yaml" in text and "liste.yaml" in text  # the broken cases are reported …
    assert "funksjon.husarbeid" in text and "tjenester.forsøkt" in text  # … naming the fact …
    assert FAKE_ID not in text  # … and never its value
    assert "2021-02-30" not in text  # nor the mistyped date


def test_a_case_value_is_hidden_in_every_language(broken_only):
    for lang in ("nb", "nn", "en"):
        r = run("validate", str(broken_only / "broken" / "type.yaml"), "--rules-dir", RULES, "--lang", lang)
        assert FAKE_ID not in r.stdout and "funksjon.husarbeid" in r.stdout
