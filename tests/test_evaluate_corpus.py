"""`tildeling evaluate` reads corpora as well as case files: a JSON Lines file gives one outcome
per line, a broken line is one failure at file:line:column, and the other lines are still
evaluated (nothing lost); a JSON Lines case gives the same decisions as the YAML file it came from."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "drammen" / "dr-001.yaml"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=ROOT)


def test_a_jsonl_corpus_is_evaluated_line_by_line_and_a_broken_line_is_reported(tmp_path):
    out = tmp_path / "dr.jsonl"
    conv = run("corpus", "convert", str(CASE), "--output", str(out))
    assert conv.returncode == 0, conv.stderr
    line = out.read_text(encoding="utf-8").strip()
    out.write_text(line + "\n{ikke json\n" + line.replace('"dr-001"', '"dr-001-b"') + "\n", encoding="utf-8")

    res = run("evaluate", str(out), "--format", "json")
    assert res.returncode == 1  # one input failed
    outcomes = json.loads(res.stdout)
    assert [o["case"] for o in outcomes] == ["dr-001", "dr-001-b"]
    assert f"{out.as_posix()}:2:" in res.stderr and "json-syntax" in res.stderr
    assert "ferdig 2 + feilet 1" in res.stderr

    yaml_outcome = json.loads(run("evaluate", str(CASE), "--format", "json").stdout)
    decided = [(d["service"], d["outcome"], d["step"]) for d in yaml_outcome["decisions"]]
    assert [(d["service"], d["outcome"], d["step"]) for d in outcomes[0]["decisions"]] == decided
