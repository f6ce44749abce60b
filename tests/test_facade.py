"""The public API: what ``import tildeling`` offers, that importing it is cheap, and that
the typed outcome it returns serializes exactly as ``evaluate --format json`` prints it."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import ROOT

import tildeling

FACADE = {"Engine", "TildelingError", "__version__", "compile_ruleset", "evaluate", "load_case", "load_ruleset"}


def test_all_lists_exactly_the_facade():
    assert set(tildeling.__all__) == FACADE and len(tildeling.__all__) == len(FACADE)
    for name in tildeling.__all__:
        assert getattr(tildeling, name) is not None


def test_import_tildeling_imports_no_stage():
    code = "import sys, tildeling; print(sorted(m for m in sys.modules if m.startswith('tildeling')))"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['tildeling']"


def test_lazy_names_are_the_real_classes():
    from tildeling.core.errors import CaseError, TildelingError
    from tildeling.engine import Engine
    assert tildeling.Engine is Engine and tildeling.TildelingError is TildelingError
    assert issubclass(CaseError, tildeling.TildelingError)


def test_unknown_attribute_is_an_attribute_error():
    try:
        tildeling.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_outcome_to_dict_is_what_the_cli_prints():
    case = ROOT / "cases" / "drammen" / "dr-060.yaml"
    outcome = tildeling.Engine(ROOT / "rules").evaluate(tildeling.load_case(case), explain=True)
    run = subprocess.run([sys.executable, "-m", "tildeling", "evaluate", str(case), "--format", "json", "--explain",
                          "--rules-dir", str(ROOT / "rules")], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == outcome.to_dict()
    assert list(outcome.to_dict()) == ["case", "rule_set", "as_of", "decisions", "staircase_step", "samlevedtak",
                                       "language", "warnings", "appeal", "trace", "application_date",
                                       "decision_date"]


def test_trace_key_only_with_explain():
    crs = tildeling.compile_ruleset(tildeling.load_ruleset(ROOT / "rules" / "drammen" / "drammen-2020.yaml"))
    case = tildeling.load_case(ROOT / "cases" / "drammen" / "dr-060.yaml")
    assert "trace" not in tildeling.evaluate(crs, case).to_dict()
    traced = tildeling.evaluate(crs, case, explain=True)
    assert traced.trace and "trace" in traced.to_dict()
