"""Where users trip in case files: unknown service ids and municipalities get «mente du …?»."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import FIXTURES, ROOT, line_col

from tildeling.engine import Engine
from tildeling.rules.cases import load_case

RULES_DIR = str(FIXTURES / "rules")
ALFA = (FIXTURES / "cases" / "alfa-1.yaml").read_text(encoding="utf-8")


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=cwd)


def case_file(tmp_path, old: str, new: str, name: str = "sak.yaml"):
    assert old in ALFA
    p = tmp_path / name
    p.write_text(ALFA.replace(old, new, 1), encoding="utf-8")
    return p


def test_a_misspelt_service_is_an_error_with_a_suggestion(tmp_path):
    p = case_file(tmp_path, "[praktisk_bistand, langtidsopphold]", "[praktisk_bistand, langtidsophold]")
    line, col = line_col(p.read_text(encoding="utf-8"), "langtidsophold")
    for cmd in (["validate", str(p)], ["evaluate", str(p)]):
        r = cli(*cmd, "--rules-dir", RULES_DIR)
        assert r.returncode == 1, r.stdout + r.stderr
        out = r.stdout + r.stderr
        assert f"{p}:{line}:{col}: feil[unknown-service]: Ukjent tjeneste «langtidsophold» i applied_for." in out
        assert "hint: mente du «langtidsopphold»?" in out
    en = cli("validate", str(p), "--rules-dir", RULES_DIR, "--lang", "en", "--format", "json")
    [d] = json.loads(en.stdout)["diagnostics"]
    assert (d["code"], d["line"], d["column"], d["hint"]) == ("unknown-service", line, col,
                                                              "did you mean «langtidsopphold»?")


def test_a_service_the_municipalitys_rule_set_lacks_lists_the_known_ones(tmp_path):
    p = case_file(tmp_path, "municipality: Alfa", "municipality: Beta")  # beta-2019 has praktisk_bistand only
    r = cli("validate", str(p), "--rules-dir", RULES_DIR)
    assert r.returncode == 1
    assert "feil[unknown-service]: Ukjent tjeneste «langtidsopphold»" in r.stdout
    assert "hint: kjente tjenester: praktisk_bistand" in r.stdout


def test_a_rule_set_chosen_by_hand_may_lack_a_service_the_case_s_own_describes():
    # alfa-1 resolves to mini-2019 (which describes langtidsopphold); beta-2019 does not:
    # in a diff or with --rules that is «not described», not an error in the case.
    r = cli("evaluate", str(FIXTURES / "cases" / "alfa-1.yaml"), "--rules", str(FIXTURES / "rules" / "beta-2019.yaml"),
            "--rules-dir", RULES_DIR, "--format", "json")
    assert r.returncode == 0, r.stderr
    decisions = {d["service"]: d for d in json.loads(r.stdout)["decisions"]}
    assert decisions["langtidsopphold"]["outcome"] == "uavklart"


def test_when_no_rule_set_resolves_every_rule_set_s_services_count(tmp_path):
    engine = Engine(RULES_DIR)
    crs = engine.compiled(FIXTURES / "rules" / "beta-2019.yaml")
    ok = load_case(case_file(tmp_path, "municipality: Alfa", "municipality: Ingensteds", "a.yaml"))
    assert engine.service_problems(ok, crs) == []  # langtidsopphold: known to mini-2019
    bad = load_case(case_file(tmp_path, "[praktisk_bistand, langtidsopphold]", "[praktisk_bistand, bpa]", "b.yaml"))
    assert [d.code for d in engine.service_problems(bad, crs)] == ["unknown-service"]


def test_a_misspelt_municipality_gets_a_suggestion(tmp_path):
    for written in ("Alfaa", "ALFFA", "alf"):
        p = case_file(tmp_path, "municipality: Alfa", f"municipality: '{written}'")
        r = cli("evaluate", str(p), "--rules-dir", RULES_DIR)
        assert r.returncode == 1 and "feil[unknown-municipality]" in r.stderr, (written, r.stderr)
        assert "hint: mente du «Alfa»?" in r.stderr, (written, r.stderr)
    p = case_file(tmp_path, "municipality: Alfa", "municipality: Tromsø")
    r = cli("validate", str(p), "--rules-dir", RULES_DIR)
    assert r.returncode == 1 and "hint: bruk --rules for å velge regelsett" in r.stdout


def test_the_rule_test_runner_reports_an_unknown_service_as_a_failure(tmp_path):
    p = case_file(tmp_path, "[praktisk_bistand, langtidsopphold]", "[praktisk_bistan]")
    p.write_text(p.read_text(encoding="utf-8") + "expect:\n  praktisk_bistand: {outcome: innvilget, why: test}\n",
                 encoding="utf-8")
    r = cli("test", str(p), "--rules-dir", RULES_DIR)
    assert r.returncode == 1
    assert "unknown-service" in r.stdout and r.stdout.splitlines()[-1] == "0 passed, 1 failed"


def test_the_acceptance_set_uses_only_history_values_the_vocabulary_has():
    """Sak 8: every value in tjenester.forsøkt and tjenester.mottar of cases/fagscenarier is in
    the vocabulary (the facts of the scenarios are never changed to fit it); the service map
    beside them is checked as a service map."""
    r = cli("validate", "cases/fagscenarier", "--format", "json")
    report = json.loads(r.stdout)
    codes = {d["code"] for d in report["diagnostics"]}
    assert "fact-value" not in codes and "unknown-fact" not in codes and "unknown-file-kind" not in codes, codes
    assert not [d for d in report["diagnostics"] if d["file"].endswith("tjenester.yaml")]
