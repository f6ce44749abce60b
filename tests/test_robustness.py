"""Regression tests for the crashes and hangs the fuzzer and hostile inputs found: each is
now a located TildelingError (or works), never a traceback or a loop."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest
from helpers import FIXTURES, ROOT, line_col, variant

from tildeling.core.errors import CaseError, RuleSetError
from tildeling.engine import Engine, evaluate_with
from tildeling.evaluation.compiler import compile_ruleset
from tildeling.files.yamlload import YamlLoadError, load_yaml_text
from tildeling.rules.cases import load_case
from tildeling.rules.resolve import CatalogEntry, catalog, resolve, supersedes_problems
from tildeling.rules.ruleset import MAX_RULES_PER_LIST, load_ruleset

CASE_TEXT = (FIXTURES / "cases" / "alfa-1.yaml").read_text(encoding="utf-8")


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=cwd)


def yaml_error(text: str):
    with pytest.raises(YamlLoadError) as info:
        load_yaml_text(text, "x.yaml")
    return info.value.diagnostic


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, col", [
    ("a: 2018-02-30\n", 1, 4), ("b:\n  2018-02-30: ja\n", 2, 3), ("- [1, 2019-13-01]\n", 1, 7),
    ("a: !!timestamp 2020-02-30lag\n", 1, 4), ("? 2021-04-31\n: x\n", 1, 3),
])
def test_an_impossible_date_as_value_or_key_is_a_located_invalid_date(text, line, col):
    d = yaml_error(text)
    assert (d.code, d.span.line, d.span.column) == ("invalid-date", line, col)
    assert "2018" not in d.message and "2019" not in d.message  # the value is not repeated


def test_a_date_typo_in_a_rule_set_does_not_break_the_catalogue_or_any_command(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    bad = rules / "drammen" / "drammen-2020.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("valid_to: 2020-12-31", "valid_to: 2020-02-30"),
                   encoding="utf-8")
    assert len(catalog(rules)) == len(catalog(ROOT / "rules")) - 1  # left out, not a crash
    r = cli("validate", "--rules-dir", str(rules), str(bad))
    assert r.returncode == 1 and "[invalid-date]" in r.stdout and "Traceback" not in r.stderr
    r = cli("evaluate", "--rules-dir", str(rules), "cases/drammen/dr-060.yaml")
    assert r.returncode == 0, r.stderr


def test_a_date_typo_as_a_key_in_a_case_is_located(tmp_path):
    p = tmp_path / "sak.yaml"
    p.write_text(CASE_TEXT.replace("facts:\n", "facts:\n  2018-02-30: {a: 1}\n"), encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(p)
    assert info.value.code == "invalid-date" and info.value.span.line == 6


# --- numbers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, code", [
    ("1" + "0" * 400, "number-out-of-range"), ("-1000000000000001", "number-out-of-range"),
    ("1.0e+400", "number-not-finite"), (".inf", "number-not-finite"), ("-.inf", "number-not-finite"),
    (".nan", "number-not-finite"), ("1" * 5000, "number-out-of-range"),
])
def test_numbers_outside_the_range_are_located_errors_in_any_yaml(value, code):
    d = yaml_error(f"a:\n  b: [1, {value}]\n")
    assert (d.code, d.span.line, d.span.column) == (code, 2, 10)


def test_the_range_limit_itself_is_allowed():
    assert load_yaml_text("a: [1000000000000000, -1000000000000000, 0.5]", "x").data["a"][0] == 10**15


def test_a_huge_fact_value_or_weight_or_literal_is_an_error_not_an_overflow(tmp_path):
    p = tmp_path / "sak.yaml"
    p.write_text(CASE_TEXT.replace("alder: 84", "alder: 1" + "0" * 400), encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(p)
    assert info.value.code == "number-out-of-range"
    rs = variant(tmp_path, "husholdsbehov < 3", "husholdsbehov < 10000000000000000")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rs)
    text = rs.read_text(encoding="utf-8")
    # (husholdsbehov is a mean of IPLOS scores, so the comparison is also always true: a warning)
    assert [(d.code, d.span.line, d.span.column) for d in info.value.diagnostics if d.severity == "error"] == [
        ("number-out-of-range", *line_col(text, "10000000000000000"))]


def test_an_overflowing_computation_is_a_located_case_error(tmp_path):
    big = " * ".join(["1000000000000000"] * 22)
    rs = compile_ruleset(load_ruleset(variant(tmp_path, "value: hvis søker.bor_alene så 1.5 ellers 1",
                                              f"value: mean({big}, 1)")))
    with pytest.raises(CaseError) as info:
        evaluate_with(rs, load_case(FIXTURES / "cases" / "alfa-1.yaml"))
    assert info.value.code == "number-out-of-range" and info.value.span is not None
    rs = compile_ruleset(load_ruleset(variant(tmp_path, "value: hvis søker.bor_alene så 1.5 ellers 1",
                                              "value: 1000000000000000.0 * 1000000000000000", "m2.yaml")))
    with pytest.raises(CaseError):  # a float beyond the range (would print as invalid JSON)
        evaluate_with(rs, load_case(FIXTURES / "cases" / "alfa-1.yaml"))


# --- decision lists ------------------------------------------------------------------------------

def _many_rules(tmp_path, n: int, name: str):
    rules = "".join(f"      - id: pb-r{i}\n        when: søker.alder == {1000 + i}\n        outcome: avslag\n"
                    f"        reason: {{nb: R{i}.}}\n" for i in range(n))
    return variant(tmp_path, "    decision:\n      - id: pb-ingen-behov", "    decision:\n" + rules
                   + "      - id: pb-ingen-behov", name)


def test_hundreds_of_rules_in_one_list_compile_and_evaluate(tmp_path):
    crs = compile_ruleset(load_ruleset(_many_rules(tmp_path, 600, "m600.yaml")))
    out = evaluate_with(crs, load_case(FIXTURES / "cases" / "alfa-1.yaml"))
    assert out.decisions[0].outcome == "innvilget"  # fell through 600 rules to the old ones
    out = evaluate_with(crs, load_case(FIXTURES / "cases" / "alfa-1.yaml"), explain=True)
    assert out.decisions[0].outcome == "innvilget"


def test_a_decision_list_over_the_limit_is_a_located_error(tmp_path):
    p = _many_rules(tmp_path, MAX_RULES_PER_LIST + 1, "stor.yaml")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(p)
    codes = [d for d in info.value.diagnostics if d.code == "too-many-rules"]
    assert len(codes) == 1 and codes[0].span.line == line_col(p.read_text(encoding="utf-8"), "- id: pb-r0")[0]


# --- supersedes ----------------------------------------------------------------------------------

def _entry(i: int, rid: str, municipality: str, supersedes: tuple[str, ...]) -> CatalogEntry:
    return CatalogEntry(ROOT / f"{i}.yaml", rid, "1", municipality, dt.date(2020, 1, 1), None, "adopted",
                        supersedes, "nb", False)


def test_resolution_terminates_on_supersedes_cycles_and_repeats():
    entries = [_entry(i, f"rs{i}", f"K{i}", tuple(f"rs{j}" for j in range(12) for _ in range(3)))
               for i in range(12)]
    res = resolve(entries, "Ukjent", dt.date(2021, 1, 1))
    assert res is None
    assert resolve(entries, "K3", dt.date(2021, 1, 1)).entry.id == "rs3"


def test_supersedes_cycles_repeats_and_unknown_ids_are_diagnosed(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    new = rules / "drammen" / "drammen-2020.yaml"
    text = new.read_text(encoding="utf-8").replace(
        "supersedes: [drammen-2019, nedre-eiker-2019, svelvik-2019]",
        "supersedes: [drammen-2019, svelvik-2019, drammen-2019, drammen, svelvk-2019]")
    new.write_text(text, encoding="utf-8")
    old = rules / "drammen" / "svelvik-2019.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace("id: svelvik-2019\n", "id: svelvik-2019\n"
                                                           "supersedes: [drammen]\n"), encoding="utf-8")
    found = [(d.code, d.span.column, d.hint) for d in supersedes_problems(catalog(rules), new)]
    line = text.splitlines()[line_col(text, "supersedes: [")[0] - 1]
    assert found == [("supersedes-cycle", line.index("svelvik-2019") + 1, None),
                     ("supersedes-repeated", line.index("drammen-2019,", 20) + 1, None),
                     ("supersedes-repeated", line.index("drammen,") + 1, None),
                     ("supersedes-unknown", line.index("svelvk") + 1, "mente du «svelvik-2019»?")]
    r = cli("validate", "--rules-dir", str(rules), str(new), str(old))
    assert r.returncode == 1 and r.stdout.count("[supersedes-cycle]") == 2
    r = cli("evaluate", "--rules-dir", str(rules), "cases/drammen/dr-001.yaml")  # resolution still ends
    assert r.returncode == 0, r.stderr


# --- division, ages ------------------------------------------------------------------------------

def test_division_by_a_literal_zero_in_a_rule_set_is_located(tmp_path):
    p = variant(tmp_path, "hvis søker.bor_alene så 1.5 ellers 1", "hvis søker.bor_alene så 1.5 / 0 ellers 1")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(p)
    d = info.value.diagnostics[0]
    assert (d.code, d.span.line, d.span.column) == ("division-by-zero", *line_col(p.read_text(encoding="utf-8"),
                                                                                  "0 ellers"))


@pytest.mark.parametrize("born, as_of", [("2030-01-01", None), ("1800-01-01", None), ("2019-01-01", "2010-01-01")])
def test_a_derived_age_outside_the_vocabulary_range_is_a_located_case_error(tmp_path, born, as_of):
    p = tmp_path / "sak.yaml"
    text = CASE_TEXT.replace("alder: 84", f"fødselsdato: {born}")
    p.write_text(text, encoding="utf-8")
    engine = Engine(FIXTURES / "rules")
    with pytest.raises(CaseError) as info:
        engine.evaluate(load_case(p), as_of=dt.date.fromisoformat(as_of) if as_of else None)
    d = info.value.diagnostics[0]
    assert (d.code, d.span.line, d.span.column) == ("age-out-of-range", *line_col(text, born))
    assert born not in d.message
    ok = tmp_path / "ok.yaml"
    ok.write_text(CASE_TEXT.replace("alder: 84", "fødselsdato: 1935-01-01"), encoding="utf-8")
    engine.evaluate(load_case(ok))


# --- YAML oddities the fuzzer found --------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("- !!bool ja\n", "yaml-syntax"), ("a: !!int abc\n", "yaml-syntax"), ("a: !!timestamp x\n", "invalid-date"),
    ("!!float", "yaml-syntax"), ("a: !!int\n", "yaml-syntax"), ("- !!bool\n", "yaml-syntax"),
    ("!!python/name:os.system : 1\n", "yaml-unsafe-tag"),
    ('a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
     'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
     "yaml-too-large"),
])
def test_odd_yaml_is_a_located_error(text, code):
    assert yaml_error(text).code == code


def test_a_few_aliases_are_still_fine():
    assert load_yaml_text("a: &a [1, 2]\nb: *a\n", "x").data == {"a": [1, 2], "b": [1, 2]}


# --- the edge of the CLI -------------------------------------------------------------------------

_CRASH = """
import sys
import tildeling.cli.evaluate as ev
def boom(*a, **k):
    raise RuntimeError("hemmelig verdi 01017012345")
ev.discover = boom
from tildeling.cli import main
sys.argv = ["tildeling", *sys.argv[1:]]
main()
"""


def test_an_unexpected_exception_is_an_internal_error_without_traceback_unless_debug():
    case = str(FIXTURES / "cases" / "alfa-1.yaml")
    r = subprocess.run([sys.executable, "-c", _CRASH, "evaluate", case], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 3
    assert "Intern feil" in r.stderr and "RuntimeError" in r.stderr and "--debug" in r.stderr
    assert "Traceback" not in r.stderr and "01017012345" not in r.stderr
    r = subprocess.run([sys.executable, "-c", _CRASH, "--debug", "evaluate", case, "--lang", "en"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 3 and "Traceback" in r.stderr and "Internal error" in r.stderr


_CRASH_ONE = """
import sys
import tildeling.engine as en
real = en.Engine.read_case
def boom(self, path, **k):
    if str(path).endswith("dr-060.yaml"):
        raise RuntimeError("hemmelig verdi 01017012345")
    return real(self, path, **k)
en.Engine.read_case = boom
from tildeling.cli import main
sys.argv = ["tildeling", *sys.argv[1:]]
main()
"""


def test_an_internal_error_in_one_input_is_recorded_and_the_others_go_on():
    cases = [str(ROOT / "cases" / "drammen" / "dr-060.yaml"), str(ROOT / "cases" / "drammen" / "dr-061.yaml")]
    r = subprocess.run([sys.executable, "-c", _CRASH_ONE, "evaluate", *cases], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 1, r.stderr
    assert "internal-error" in r.stderr and "RuntimeError" in r.stderr and "dr-060.yaml" in r.stderr
    assert "Traceback" not in r.stderr and "01017012345" not in r.stderr + r.stdout
    assert "ferdig 1 + feilet 1" in r.stderr and "dr-061" in r.stdout
    r = subprocess.run([sys.executable, "-c", _CRASH_ONE, "--debug", "evaluate", *cases], capture_output=True,
                       text=True, cwd=ROOT)
    assert "Traceback" in r.stderr and "ferdig 1 + feilet 1" in r.stderr  # asked for: the details
