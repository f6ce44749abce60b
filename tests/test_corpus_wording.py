"""The words for a corpus of records: the count line says «saker» (cases), not «filer», when the
inputs are lines of a JSON Lines file or rows of a Parquet file — in evaluate, test, diff and
corpus convert, in nb, nn and en — and the progress bar is in the user's language (no «it/s»)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tildeling.cli import app
from tildeling.cli.progress import done_text
from tildeling.files.discover import Tally
from tildeling.reports.inputs import tally_line

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "rules")
CASE = ROOT / "cases" / "baerum" / "bae-001.yaml"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("lang, files, cases, one, skipped", [
    ("nb", "lest 3 filer = ferdig 2 + feilet 1", "lest 3 saker = ferdig 2 + feilet 1",
     "lest 1 sak = ferdig 1 + feilet 0", "lest 2 saker = ferdig 1 + hoppet over 1 + feilet 0"),
    ("nn", "lese 3 filer = ferdig 2 + feila 1", "lese 3 saker = ferdig 2 + feila 1",
     "lese 1 sak = ferdig 1 + feila 0", "lese 2 saker = ferdig 1 + hoppa over 1 + feila 0"),
    ("en", "read 3 files = done 2 + failed 1", "read 3 cases = done 2 + failed 1",
     "read 1 case = done 1 + failed 0", "read 2 cases = done 1 + skipped 1 + failed 0"),
])
def test_the_count_line_counts_cases_for_records(lang, files, cases, one, skipped):
    assert tally_line(Tally(2, 1), lang) == files
    assert tally_line(Tally(2, 1, records=True), lang) == cases
    assert tally_line(Tally(1, 0, records=True), lang) == one
    assert tally_line(Tally(1, 0, 1, records=True), lang) == skipped


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("wording")
    r = run("corpus", "convert", CASE, "--output", root / "one.jsonl")
    assert r.exit_code == 0, r.output
    line = (root / "one.jsonl").read_text(encoding="utf-8").strip()
    path = root / "k.jsonl"
    path.write_text(line + "\n{ikke json\n" + line.replace('"bae-001"', '"bae-001-b"') + "\n", encoding="utf-8")
    return path


def test_every_command_counts_records_as_cases(corpus, tmp_path):
    ev = run("evaluate", corpus, "--rules-dir", RULES, "--format", "json")
    assert "lest 3 saker = ferdig 2 + feilet 1" in ev.stderr and len(json.loads(ev.stdout)) == 2
    te = run("test", corpus, "--rules-dir", RULES, "--lang", "nn")
    assert "lese 3 saker = ferdig 2 + feila 1" in te.stdout
    co = run("corpus", "convert", corpus, "--output", tmp_path / "ut.jsonl", "--lang", "en")
    assert "read 3 cases = done 2 + failed 1" in co.stderr
    di = run("diff", "baerum", "baerum", "--cases", corpus, "--rules-dir", RULES, "--workers", "1")
    assert "lest 3 saker = ferdig 2 + feilet 1" in di.stdout
    yaml = run("evaluate", CASE, "--rules-dir", RULES, "--format", "json")
    assert "lest 1 fil = ferdig 1 + feilet 0" in yaml.stderr  # case files are still files


def test_the_progress_bar_speaks_the_language():
    assert done_text(12345, 812.4, "nb") == "12\u00a0345 saker, 812 saker/s"
    assert done_text(1, 3.0, "nn") == "1 sak, 3 saker/s"
    assert done_text(2000, None, "en") == "2,000 cases"
    assert not any("it/s" in done_text(5, 5.0, lang) for lang in ("nb", "nn", "en"))
