"""Limits hold before the work starts: an endless device or a 1 GB file given as a case is
refused with a located code in bounded memory, and a caret snippet never prints a huge line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

PEAK_LIMIT_KB = 200 * 1024

# Run the command in a fresh interpreter that reports its children's peak memory, so other
# tests' subprocesses do not count.
# A command that blocks (a pipe opened twice) is killed after a generous while, so the suite
# fails instead of hanging; nothing here measures time.
_PROBE = """
import json, resource, subprocess, sys
try:
    r = subprocess.run(sys.argv[1:], capture_output=True, text=True, errors="replace", timeout=300)
except subprocess.TimeoutExpired as exc:
    r = subprocess.CompletedProcess(exc.cmd, "blocked", "", "")
print(json.dumps({"rc": r.returncode, "out": r.stdout[-20000:], "err": r.stderr[-20000:],
                  "out_len": len(r.stdout), "err_len": len(r.stderr),
                  "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run_measured(*args: str) -> dict:
    probe = subprocess.run([sys.executable, "-c", _PROBE, sys.executable, "-m", "tildeling", *args],
                           capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(probe.stdout)


@pytest.fixture(scope="module")
def gigabyte(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("big") / "stor-sak.yaml"
    with open(p, "wb") as fh:  # sparse: no disk space used
        fh.truncate(1 << 30)
    return p


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("command", ["evaluate", "validate"])
@pytest.mark.parametrize("which", ["/dev/zero", "gigabyte"])
def test_endless_or_huge_input_is_refused_in_bounded_memory(command, which, gigabyte):
    path = str(gigabyte) if which == "gigabyte" else which
    r = run_measured(command, path)
    assert r["rc"] == 1
    text = r["out"] + r["err"]
    assert f"{path}:1:1:" in text and "[file-too-large]" in text
    assert r["out_len"] + r["err_len"] < 5000  # no snippet of the file
    assert r["peak_kb"] < PEAK_LIMIT_KB, f"peak {r['peak_kb'] // 1024} MB"


@pytest.mark.parametrize("command", ["evaluate", "validate"])
def test_a_pipe_is_read_once_and_no_further_than_the_limit(tmp_path, command):
    fifo = tmp_path / "rør.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", f"import sys\nwith open({str(fifo)!r}, 'wb') as f:\n"
                               "    try:\n        [f.write(b'a' * 65536) for _ in range(100000)]\n"
                               "    except BrokenPipeError:\n        pass"])
    try:
        r = run_measured(command, str(fifo))
    finally:
        writer.kill()
        writer.wait()
    assert r["rc"] == 1 and "[file-too-large]" in r["out"] + r["err"]
    assert r["peak_kb"] < PEAK_LIMIT_KB


def test_a_caret_snippet_of_a_huge_line_is_capped(tmp_path):
    # Rule-set files (their lines are shown; a case file's lines are health data and never are).
    rules = tmp_path / "lang-linje.yaml"
    rules.write_text("id: x\nservices: {}\nvalid_from: 2020-01-01\ndescription: " + "x" * 1_500_000
                     + " 2018-02-30: 1\n", encoding="utf-8")  # the error is at the end of the long line
    long_line = tmp_path / "lang-nøkkel.yaml"
    long_line.write_text("id: x\nservices: {}\n" + "a" * 1_000_000 + "_ukjent: 1\n", encoding="utf-8")
    for path in (rules, long_line):
        r = subprocess.run([sys.executable, "-m", "tildeling", "validate", str(path)],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 1 and "^" in r.stdout  # a snippet is shown …
        assert all(len(line) < 200 for line in (r.stdout + r.stderr).splitlines())  # … but capped
