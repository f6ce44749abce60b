"""`tildeling evaluate --format json` streams: each outcome is written as soon as it is decided
(memory flat in the size of the corpus), and the bytes are the same as the whole list written
at once — one object for one input, a list for anything else, ``[]`` when nothing was decided."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import tildeling.cli.evaluate as ev
from tildeling.reports.json_stream import OutcomeStream
from tildeling.reports.render import to_json

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
BAERUM = sorted((ROOT / "cases" / "baerum").glob("*.yaml"))


def _evaluate(monkeypatch, paths, fmt="json") -> tuple[int, str]:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    code = ev.evaluate_cases(list(paths), None, RULES, None, fmt, None, False)
    return code, out.getvalue()


def _as_list(objects: list) -> str:
    """What the whole list written at once looks like (json round-trips these outcomes)."""
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


@pytest.fixture(scope="module")
def singles():
    """Each Bærum case evaluated alone: the object ``evaluate`` prints for one case."""
    mp = pytest.MonkeyPatch()
    try:
        return [_evaluate(mp, [p])[1] for p in BAERUM]
    finally:
        mp.undo()


def test_one_case_is_one_object_and_many_are_the_same_list_as_before(monkeypatch, singles):
    assert all(s.startswith("{\n") for s in singles)
    code, text = _evaluate(monkeypatch, BAERUM)
    assert code == 0
    assert text == _as_list([json.loads(s) for s in singles])
    code, text = _evaluate(monkeypatch, BAERUM[:2])
    assert text == _as_list([json.loads(s) for s in singles[:2]])


def test_failed_inputs_keep_the_list_form(monkeypatch, singles, tmp_path):
    bad = tmp_path / "ødelagt.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    assert _evaluate(monkeypatch, [bad]) == (1, "[]\n")  # one input read, none decided
    code, text = _evaluate(monkeypatch, [BAERUM[0], bad])
    assert code == 1 and text == _as_list([json.loads(singles[0])])  # two read, one decided: a list
    code, text = _evaluate(monkeypatch, [bad, BAERUM[0], BAERUM[1]])
    assert text == _as_list([json.loads(s) for s in singles[:2]])


def test_the_stream_writes_what_to_json_writes():
    values = [{"case": "a", "decisions": [], "x": {}}, {"case": "b", "decisions": [{"s": "æ\nø", "n": 1.5}]},
              {"case": "c", "decisions": [[], [{}]]}]
    for n in range(len(values) + 1):
        for read in {n, n + 1}:
            out = io.StringIO()
            stream = OutcomeStream(out)
            for v in values[:n]:
                stream.add(v)
            stream.close(read=read)
            expected = to_json(values[0]) if n == 1 and read == 1 else to_json(values[:n])
            assert out.getvalue() == expected, (n, read)


def test_outcomes_are_written_as_they_come_not_held(monkeypatch, tmp_path):
    """Structural: when input k is read, the outcomes of inputs 1 … k-1 are already on stdout
    (all but the first, held back until a second shows that the output is a list), so no list
    of outcomes grows with the corpus."""
    corpus = tmp_path / "k.jsonl"
    lines = []
    from tildeling.corpus.records import to_record
    from tildeling.rules.cases import load_case
    for p in BAERUM:
        lines.append(json.dumps(to_record(load_case(p)), ensure_ascii=False))
    corpus.write_text("\n".join(lines * 3) + "\n", encoding="utf-8")
    n = len(lines) * 3

    out = io.StringIO()
    seen: list[tuple[int, int]] = []  # (inputs handed out so far, outcomes on stdout then)
    real = ev._inputs

    def watched(*args):
        for k, item in enumerate(real(*args), start=1):
            seen.append((k, out.getvalue().count("\n  {\n")))
            yield item

    monkeypatch.setattr(ev, "_inputs", watched)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert ev.evaluate_cases([corpus], None, RULES, None, "json", None, False) == 0
    assert len(seen) == n
    assert all(written == (k - 1 if k >= 3 else 0) for k, written in seen), seen
    assert len(json.loads(out.getvalue())) == n
