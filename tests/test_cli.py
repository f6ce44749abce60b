"""The CLI contract: commands, exit codes, JSON keys, byte-identical output."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import FIXTURES, ROOT, line_col, variant

CASE = str(FIXTURES / "cases" / "alfa-1.yaml")
RULES_DIR = str(FIXTURES / "rules")


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=cwd)


def test_evaluate_json_has_every_contract_key_and_is_byte_identical():
    a = cli("evaluate", CASE, "--rules-dir", RULES_DIR, "--format", "json")
    b = cli("evaluate", CASE, "--rules-dir", RULES_DIR, "--format", "json")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    out = json.loads(a.stdout)
    assert set(out) >= {"case", "rule_set", "as_of", "decisions", "staircase_step"}
    assert set(out["rule_set"]) >= {"id", "version", "sha256"}
    for d in out["decisions"]:
        assert set(d) >= {"service", "legal_basis", "outcome", "step", "score", "reasons", "missing", "alternatives"}
        for r in d["reasons"]:
            assert set(r) >= {"rule", "text", "legal_basis", "facts"}
        assert d["outcome"] in {"innvilget", "delvis_innvilget", "avslag", "uavklart"}


def test_outcome_fits_the_published_schema():
    import jsonschema
    schema = json.loads((ROOT / "schemas" / "outcome.schema.json").read_text(encoding="utf-8"))
    out = json.loads(cli("evaluate", CASE, "--rules-dir", RULES_DIR, "--format", "json", "--explain").stdout)
    jsonschema.validate(out, schema)


def test_text_and_markdown_outputs():
    text = cli("evaluate", CASE, "--rules-dir", RULES_DIR)
    assert text.returncode == 0 and "Innvilget" in text.stdout
    assert "pb-innvilget" not in text.stdout  # rule ids are for the JSON and --explain, not the text
    assert "pb-innvilget" in cli("evaluate", CASE, "--rules-dir", RULES_DIR, "--explain").stdout
    md = cli("evaluate", CASE, "--rules-dir", RULES_DIR, "--format", "markdown", "--lang", "nn").stdout
    # fvl § 25: the rules applied, the facts relied on, the main considerations; then appeal info.
    for heading in ("Reglar vedtaket byggjer på", "Faktiske forhold vi har lagt til grunn", "Hovudomsyn i vurderinga",
                    "Du kan klage"):
        assert heading in md
    assert "4 veker" in md and "pbrl § 7-5" in md


def test_misspelt_fact_in_multiline_condition_exit_1_with_position(tmp_path):
    p = variant(tmp_path, "            og husstand.annen_voksen_vil_bidra", "            og husstand.annen_voksen_vil_bidraa")
    r = cli("evaluate", CASE, "--rules", str(p))
    assert r.returncode == 1
    line, col = line_col(p.read_text(encoding="utf-8"), "husstand.annen_voksen_vil_bidraa")
    assert f"{p}:{line}:{col}: feil[unknown-name]" in r.stderr
    assert "mente du «husstand.annen_voksen_vil_bidra»?" in r.stderr
    assert "^" in r.stderr  # caret snippet


def test_validate_reports_all_and_exits_1(tmp_path):
    p = variant(tmp_path, "when: søker.alder < 67", "when: søker.alder < parameter.aldersgrens")
    r = cli("validate", str(p), RULES_DIR)
    assert r.returncode == 1
    assert "unknown-name" in r.stdout and "1 feil" in r.stdout.splitlines()[-1]
    ok = cli("validate", RULES_DIR)
    assert ok.returncode == 0, ok.stdout


def test_bad_case_file_is_reported_and_others_still_evaluated(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nmunicipality: Alfa\napplication_date: 2019-02-30\napplied_for: [praktisk_bistand]\n",
                   encoding="utf-8")
    r = cli("evaluate", str(bad), CASE, "--rules-dir", RULES_DIR, "--format", "json")
    assert r.returncode == 1
    assert f"{bad}:3:19" in r.stderr
    assert json.loads(r.stdout)[0]["case"] == "alfa-1"


def test_usage_errors_exit_2():
    assert cli("evaluate", CASE, "--as-of", "igår", "--rules-dir", RULES_DIR).returncode == 2
    assert cli("evaluate").returncode == 2
    assert cli("evaluate", CASE, "--format", "pdf").returncode == 2


def test_rules_lists_rule_sets_with_validity():
    r = cli("rules", "--rules-dir", RULES_DIR)
    assert r.returncode == 0
    assert "3 regelsett" in r.stdout
    assert "mini-2019" in r.stdout and "2018-01-01 – 2019-12-31" in r.stdout


def test_module_and_console_script_agree():
    exe = ROOT / ".venv" / "bin" / "tildeling"
    if not exe.exists():  # pragma: no cover - only when installed elsewhere
        return
    a = subprocess.run([str(exe), "evaluate", CASE, "--rules-dir", RULES_DIR, "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT)
    assert a.stdout == cli("evaluate", CASE, "--rules-dir", RULES_DIR, "--format", "json").stdout


def test_test_command_reports_failures_in_the_chosen_language(tmp_path):
    case = tmp_path / "cases" / "f.yaml"
    case.parent.mkdir()
    case.write_text((FIXTURES / "cases" / "alfa-1.yaml").read_text(encoding="utf-8")
                    + "expect:\n  praktisk_bistand: {outcome: avslag, why: Bevisst feil forventning for testen.}\n",
                    encoding="utf-8")
    nb = cli("test", str(case), "--rules-dir", RULES_DIR)
    nn = cli("test", str(case), "--rules-dir", RULES_DIR, "--lang", "nn")
    assert nb.returncode == nn.returncode == 1
    assert "forventet avslag, fikk innvilget (regel pb-innvilget)" in nb.stdout
    assert "venta avslag, fekk innvilga" not in nn.stdout  # outcome codes stay codes
    assert "venta avslag, fekk innvilget (regel pb-innvilget)" in nn.stdout
    assert "kvifor: Bevisst feil" in nn.stdout and "1 sak med forventningar" in nn.stdout
    assert nb.stdout.splitlines()[-1] == nn.stdout.splitlines()[-1] == "0 passed, 1 failed"
