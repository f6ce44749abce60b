"""``tildeling diff`` at scale: worker processes, a streamed report, memory that does not grow.

The report must not depend on how it was computed: one process or several, chunks of any
size, the item list in memory or spilled to disk in sorted runs, the JSON and CSV written in
pieces or built as one string. The list-based figures of the report as it was before
streaming are kept here as the reference the counters must equal.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from helpers import ROOT

import tildeling.compare.diff as diff_module
from tildeling.compare.diff import OUTCOMES, Item, collect_files, parse_spec, run_diff
from tildeling.compare.spill import SortedSpill
from tildeling.compare.workers import ordered_map
from tildeling.corpus.read import iter_sources
from tildeling.engine import Engine
from tildeling.reports.diff_report import FORMATS, render, write

DRAMMEN = ROOT / "cases" / "drammen"
AS_OF = _dt.date(2020, 6, 1)


@pytest.fixture(scope="module")
def engine():
    return Engine(ROOT / "rules")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """40 Drammen cases and, in the middle of them in sorted order, a broken file, a case with
    an unknown fact (it fails when evaluated, in the worker) and a service map (skipped)."""
    d = tmp_path_factory.mktemp("stream") / "saker"
    d.mkdir()
    for f in sorted(DRAMMEN.glob("*.yaml"))[:40]:
        shutil.copy(f, d / f.name)
    (d / "dr-02x-odelagt.yaml").write_text("id: x\nmunicipality: Svelvik\napplied_for: [praktisk_bistand\n",
                                           encoding="utf-8")
    (d / "dr-02y-ukjent.yaml").write_text(
        "id: ukjent\nmunicipality: Svelvik\napplication_date: 2019-03-01\napplied_for: [praktisk_bistand]\n"
        "facts:\n  funksjon: {husarbied: 3}\n", encoding="utf-8")
    shutil.copy(ROOT / "cases" / "fagscenarier" / "tjenester.yaml", d / "dr-02z-tjenester.yaml")
    return d


def _run(engine, corpus, **kw):
    kw.setdefault("as_of", AS_OF)
    return run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                    iter_sources([corpus]), **kw)


def _written(report) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        buf = io.StringIO(newline="")
        write(report, fmt, buf)
        out[fmt] = buf.getvalue()
    return out


@pytest.fixture(scope="module")
def reference(engine, corpus):
    rep = _run(engine, corpus, workers=1)
    return rep, {fmt: render(rep, fmt) for fmt in FORMATS}


def test_the_corpus_has_changes_failures_and_a_skip(reference):
    rep, _ = reference
    s = rep.summary()
    assert s["changed"] > 10 and s["failed"] == 2 and s["skipped"] == 1
    assert s["read"] == s["done"] + s["skipped"] + s["failed"] == 43
    assert {Path(e["file"]).name for e in rep.errors} == {"dr-02x-odelagt.yaml", "dr-02y-ukjent.yaml"}


@pytest.mark.parametrize("workers,chunk_size", [(1, 1), (1, 64), (2, 3), (3, 5)])
def test_every_format_is_the_same_whatever_the_workers_and_chunks(engine, corpus, reference, workers, chunk_size):
    rep = _run(engine, corpus, workers=workers, chunk_size=chunk_size)
    got = _written(rep)
    for fmt in FORMATS:
        assert got[fmt] == reference[1][fmt], (fmt, workers, chunk_size)


def test_streamed_json_and_csv_are_the_bytes_of_the_whole_report(reference):
    rep, rendered = reference
    got = _written(rep)
    assert got["json"] == json.dumps(rep.to_json(), ensure_ascii=False, indent=2) + "\n" == rendered["json"]
    assert got["csv"] == rendered["csv"]


def test_spilled_runs_give_the_same_report(engine, corpus, reference, monkeypatch):
    monkeypatch.setattr(diff_module, "ITEMS_IN_MEMORY", 7)
    rep = _run(engine, corpus, workers=2, chunk_size=4)
    assert rep.store.runs >= 5 and rep.store.held < 7
    assert _written(rep) == reference[1]


def test_a_broken_file_in_the_middle_is_reported_and_the_rest_finished(engine, corpus, reference):
    rep = _run(engine, corpus, workers=2, chunk_size=2)
    assert rep.tally.to_json() == reference[0].tally.to_json()
    assert rep.cases == 40 and rep.files == 43
    assert [s.file for s in rep.skipped] == [f"{corpus.as_posix()}/dr-02z-tjenester.yaml"]
    cases = {i.case for i in rep.iter_items()}
    assert len(cases) == 40 and "ukjent" not in cases


# --- the counters equal the figures of the whole list, as computed before streaming -------------

def _old_summary(items: list[Item]) -> dict:
    count = Counter({k: 0 for k in ("gain", "loss", "other", "unchanged")})
    for i in items:
        count[i.kind] += 1
    rows: dict[str, dict] = {}
    for i in items:
        r = rows.setdefault(i.service, {"service": i.service, "service_name": i.service_name, "items": 0,
                                        "changed": 0, "gains": 0, "losses": 0, "other": 0})
        r["items"] += 1
        if i.changed:
            r["changed"] += 1
            r[{"gain": "gains", "loss": "losses", "other": "other"}[i.kind]] += 1
    idx = {o: n for n, o in enumerate(OUTCOMES)}
    outcome = [[0] * len(OUTCOMES) for _ in OUTCOMES]
    for i in items:
        outcome[idx[i.old.outcome]][idx[i.new.outcome]] += 1
    steps = {i.old.step for i in items} | {i.new.step for i in items}
    labels = sorted(s for s in steps if s is not None) + ([None] if None in steps else [])
    sidx = {s: n for n, s in enumerate(labels)}
    step = [[0] * len(labels) for _ in labels]
    for i in items:
        step[sidx[i.old.step]][sidx[i.new.step]] += 1
    return {"kinds": dict(count), "by_service": sorted(rows.values(), key=lambda r: (r["service_name"].casefold(),
                                                                                    r["service"])),
            "outcome": {"labels": list(OUTCOMES), "counts": outcome}, "step": {"labels": labels, "counts": step}}


@pytest.mark.parametrize("old,new,as_of", [("svelvik-2019", "drammen", AS_OF), ("auto", "drammen", None),
                                           ("drammen-2019", "drammen", _dt.date(2021, 3, 1))])
def test_counters_equal_the_list_based_figures(engine, old, new, as_of):
    rep = run_diff(engine, parse_spec(engine, old), parse_spec(engine, new), iter_sources([ROOT / "cases"]),
                   as_of=as_of, workers=1)
    items = rep.items
    assert items == sorted(items, key=Item.sort_key)
    ref = _old_summary(items)
    assert dict(rep.counts.kinds) == ref["kinds"]
    assert rep.by_service() == ref["by_service"]
    assert rep.outcome_matrix() == ref["outcome"] and rep.step_matrix() == ref["step"]
    assert sum(c["items"] for c in rep.counts.by_cause()) == rep.counts.changed == len(rep.changes)


# --- memory: what is held does not grow with the corpus -----------------------------------------

def test_items_and_changes_held_are_bounded_whatever_the_corpus_size(engine, tmp_path, monkeypatch):
    """The proxy for flat memory: the items and changes held in memory at any time, over a
    corpus and over the same corpus three times (with fresh ids)."""
    monkeypatch.setattr(diff_module, "ITEMS_IN_MEMORY", 50)
    held: dict[int, int] = {}
    for copies in (1, 3):
        d = tmp_path / f"x{copies}"
        d.mkdir()
        for k in range(copies):
            for f in sorted(DRAMMEN.glob("*.yaml"))[:30]:
                text = f.read_text(encoding="utf-8").replace("id: dr-", f"id: k{k}-dr-", 1)
                (d / f"k{k}-{f.name}").write_text(text, encoding="utf-8")
        peak = 0
        original = diff_module.DiffReport.add

        def add(self, item, _orig=original):
            nonlocal peak
            _orig(self, item)
            peak = max(peak, self.store.held + len(self._changes))

        monkeypatch.setattr(diff_module.DiffReport, "add", add)
        rep = _run(engine, d, workers=2, chunk_size=8, max_changes=5)
        monkeypatch.setattr(diff_module.DiffReport, "add", original)
        assert rep.counts.items > 50 * copies
        assert len(rep.changes) == 5 and rep.changes_omitted == rep.counts.changed - 5
        held[copies] = peak
    assert held[3] <= 50 + 2 * 5 and held[1] <= 50 + 2 * 5


def test_max_changes_lists_the_first_changes_and_counts_the_rest_by_cause(engine, corpus, reference):
    full = reference[0]
    rep = _run(engine, corpus, workers=2, chunk_size=3, max_changes=4)
    assert [i.sort_key() for i in rep.changes] == [i.sort_key() for i in full.changes[:4]]
    j = rep.to_json()
    t = j["changes_truncated"]
    assert t["shown"] == 4 and t["omitted"] == full.counts.changed - 4 and t["max_changes"] == 4
    assert sum(c["items"] for c in t["by_cause"]) == full.counts.changed
    assert j["summary"] == full.to_json()["summary"] and j["items"] == full.to_json()["items"]
    assert "changes_truncated" not in full.to_json()
    text = render(rep, "text")
    assert f"Bare de 4 første av {full.counts.changed} endrede tjenestene er listet" in text
    none = _run(engine, corpus, workers=1, max_changes=0)
    assert none.changes == [] and none.changes_omitted == full.counts.changed
    assert "Bare de 0 første" in render(none, "markdown") and "Bare de 0 første" in render(none, "html")


# --- the pieces ----------------------------------------------------------------------------------

def test_sorted_spill_is_a_stable_sort():
    import random

    rng = random.Random(7)
    data = [(rng.randrange(20), n) for n in range(1000)]
    s = SortedSpill(key=lambda x: x[0], run_size=37)
    for x in data:
        s.add(x)
    assert list(s) == sorted(data, key=lambda x: x[0]) and list(s) == list(s) and s.runs == 27
    s.close()


def _add(n: int) -> None:
    global _ADD
    _ADD = n


_ADD = 0
_PARENT = os.getpid()


def _die_in_a_worker(chunk: list[int]) -> list[int]:
    if os.getpid() != _PARENT and 13 in chunk:
        os._exit(3)  # a worker killed mid-run (out of memory, a signal)
    return [x + _ADD for x in chunk]


def test_a_dead_worker_loses_nothing():
    chunks = [list(range(i, i + 5)) for i in range(0, 50, 5)]
    got = list(ordered_map(_add, (100,), _die_in_a_worker, iter(chunks), workers=2))
    assert got == [[x + 100 for x in c] for c in chunks]


def test_collect_files_and_a_list_of_files_still_work(engine, corpus, reference):
    rep = run_diff(engine, parse_spec(engine, "svelvik-2019"), parse_spec(engine, "drammen"),
                   collect_files([corpus]), as_of=AS_OF, workers=2, chunk_size=6)
    assert _written(rep) == reference[1]


def test_no_progress_bar_without_a_terminal_or_under_ci(monkeypatch):
    from tildeling.cli.progress import corpus_progress, wanted

    assert wanted() is False  # pytest captures stderr
    monkeypatch.setenv("CI", "true")
    assert wanted() is False
    with corpus_progress("nb") as update:
        assert update is None


def test_the_cli_takes_workers_and_max_changes(tmp_path, corpus):
    from typer.testing import CliRunner

    from tildeling.cli import app
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["diff", "svelvik-2019", "drammen", "--cases", str(corpus), "--as-of", "2020-06-01",
                                 "--format", "json", "--workers", "2", "--max-changes", "2", "--output", str(out),
                                 "--rules-dir", str(ROOT / "rules")])
    assert r.exit_code == 1, r.output  # the broken file
    j = json.loads(out.read_text(encoding="utf-8"))
    assert len(j["changes"]) == 2 and j["changes_truncated"]["shown"] == 2
    assert j["summary"]["read"] == 43


def test_a_json_lines_corpus_with_a_broken_line_in_the_middle(engine, tmp_path):
    """Record sources (one case per line): a broken line is one failed input named
    ``file.jsonl:LINE``; every other line is compared, the same for one worker or two."""
    from tildeling.corpus.convert import convert

    src = tmp_path / "yaml"
    src.mkdir()
    for f in sorted(DRAMMEN.glob("*.yaml"))[:20]:
        shutil.copy(f, src / f.name)
    whole = tmp_path / "alle.jsonl"
    convert([src], whole, "jsonl")
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    corpus = tmp_path / "utvalg.jsonl"
    corpus.write_text("".join(lines[:10] + ['{"id": "ødelagt", \n'] + lines[10:]), encoding="utf-8")
    one = _run(engine, corpus, workers=1)
    two = _run(engine, corpus, workers=2, chunk_size=3)
    assert _written(one) == _written(two)
    assert one.tally.to_json() == {"read": 21, "done": 20, "skipped": 0, "failed": 1}
    assert {(e["file"], e["line"]) for e in one.errors} == {(corpus.as_posix(), 11)}
    assert one.counts.items > 20 and len({i.case for i in one.iter_items()}) == 20
