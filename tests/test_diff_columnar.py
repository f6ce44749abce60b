"""The columnar first pass of ``diff`` (compare/columnar_pass.py) gives the report the case-by-case
way gives, byte for byte, in every format.

Each corpus is compared both ways — ``run_diff(..., columnar=False)`` (every case through the
per-case evaluator with its explanation, the default) and ``columnar=True`` (a chunk decided as two
populations, case by case only what changes or what the columns hand off) — and every
format is written from both. Corpora: every case under cases/ (long forms, appeals, partial
facts, unknown services, broken files), and generated populations (JSON Lines and Parquet;
every fact known, and with missing facts), under several pairs of rule sets, dates and
languages, with facts shown, and with worker processes.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import pytest
from helpers import ROOT

pytest.importorskip("numpy")
pytest.importorskip("polars")

import tildeling.compare.columnar_pass as columnar_pass  # noqa: E402
from tildeling.compare.diff import parse_spec, run_diff  # noqa: E402
from tildeling.corpus.read import iter_sources  # noqa: E402
from tildeling.engine import Engine  # noqa: E402
from tildeling.reports.diff_report import FORMATS, write  # noqa: E402

CASES = [ROOT / "cases" / d for d in ("drammen", "alver", "baerum", "fagscenarier")]


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


def _generate(out: Path, n: int, seed: int, municipality: str, *extra: str) -> Path:
    from typer.testing import CliRunner

    from tildeling.cli import app

    r = CliRunner().invoke(app, ["corpus", "generate", "--n", str(n), "--seed", str(seed), "--municipality",
                                  municipality, "--rules-dir", str(ROOT / "rules"), "-o", str(out), *extra])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    d = tmp_path_factory.mktemp("generated")
    return {
        "drammen-complete": _generate(d / "dc.jsonl", 300, 3, "drammen", "--all-facts", "--missing", "0"),
        "drammen-missing": _generate(d / "dm.parquet", 150, 4, "drammen", "--all-facts"),
        "drammen-default": _generate(d / "dd.jsonl", 120, 5, "drammen"),
        "alver-complete": _generate(d / "ac.parquet", 200, 6, "alver", "--all-facts", "--missing", "0"),
        "alver-default": _generate(d / "ad.jsonl", 120, 7, "alver"),
    }


def _written(report) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        buf = io.StringIO(newline="")
        write(report, fmt, buf)
        out[fmt] = buf.getvalue()
    report.close()
    return out


def _both(engine, old: str, new: str, paths: list[Path], **kw) -> tuple[dict, dict, dict]:
    def run(columnar: bool, **more):
        return run_diff(engine, parse_spec(engine, old), parse_spec(engine, new), iter_sources(paths),
                        columnar=columnar, **{**kw, **more})

    per_case = run(False)
    summary = per_case.summary()
    return _written(per_case), _written(run(True)), summary


def _assert_same(per_case: dict, columnar: dict, label: str) -> None:
    for fmt in FORMATS:
        assert columnar[fmt] == per_case[fmt], f"{label}: {fmt} differs"


@pytest.mark.parametrize("old,new,as_of,lang", [
    ("svelvik-2019", "drammen", "2020-06-01", None),
    ("drammen-2019", "drammen", None, "en"),
    ("auto", "alver", "2020-06-01", "nn"),
])
def test_cases_under_cases_give_the_same_report(engine, old, new, as_of, lang):
    on = _dt.date.fromisoformat(as_of) if as_of else None
    per_case, columnar, summary = _both(engine, old, new, CASES, as_of=on, lang=lang)
    assert summary["done"] > 300
    _assert_same(per_case, columnar, f"{old} → {new}")


@pytest.mark.parametrize("corpus,old,new,as_of", [
    ("drammen-complete", "svelvik-2019", "drammen", "2020-06-01"),
    ("drammen-missing", "svelvik-2019", "drammen", "2020-06-01"),
    ("drammen-default", "nedre-eiker-2019", "drammen", None),
    ("alver-complete", "meland-2019", "alver", None),
    ("alver-default", "radoy-2019", "alver", "2020-06-01"),
])
def test_generated_corpora_give_the_same_report(engine, generated, corpus, old, new, as_of):
    on = _dt.date.fromisoformat(as_of) if as_of else None
    per_case, columnar, summary = _both(engine, old, new, [generated[corpus]], as_of=on)
    assert summary["done"] >= 120 and summary["services"] > summary["changed"] > 0
    _assert_same(per_case, columnar, corpus)


def test_facts_shown_workers_small_chunks_and_few_changes_give_the_same_report(engine, generated):
    paths = [generated["drammen-complete"], generated["drammen-default"], ROOT / "cases" / "drammen"]
    on = _dt.date(2020, 6, 1)
    per_case, _, _ = _both(engine, "svelvik-2019", "drammen", paths, as_of=on, show_facts=True, max_changes=25)
    for workers, chunk in ((1, 7), (2, 50), (2, None)):
        got = _written(run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                                iter_sources(paths), as_of=on, show_facts=True, max_changes=25, workers=workers,
                                chunk_size=chunk, columnar=True))
        _assert_same(per_case, got, f"workers {workers}, chunk {chunk}")


def test_most_generated_complete_cases_are_decided_by_the_columns(engine, generated, monkeypatch):
    """The pass does its work: of complete generated cases, only the changed ones and the
    few the columns hand off go case by case."""
    calls = []
    real = columnar_pass.diff_case
    monkeypatch.setattr(columnar_pass, "diff_case", lambda *a: calls.append(a[3]) or real(*a))
    report = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                      iter_sources([generated["drammen-complete"]]), as_of=_dt.date(2020, 6, 1), columnar=True)
    s = report.summary()
    changed_cases = len({i.case for i in report.changes})
    report.close()
    assert s["done"] == 300
    assert changed_cases <= len(calls) <= changed_cases + 0.15 * s["done"]
