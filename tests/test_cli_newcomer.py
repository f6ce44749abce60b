"""What a newcomer tripped on: refused formats, empty test runs, schemas outside the repository."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import FIXTURES, ROOT

CASE = str(FIXTURES / "cases" / "alfa-1.yaml")
RULES_DIR = str(FIXTURES / "rules")


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tildeling", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("args, formats", [
    (["evaluate", CASE, "--rules-dir", RULES_DIR], "text, json, markdown"),
    (["validate", RULES_DIR], "text, json"),
    (["rules", "--rules-dir", RULES_DIR], "text, json"),
])
def test_an_unsupported_format_is_refused_with_the_list(args, formats):
    for bad in ("csv", "markdown" if "markdown" not in formats else "html", "JSON"):
        r = cli(*args, "--format", bad)
        assert r.returncode == 2, (bad, r.stdout)
        assert r.stdout == ""
        assert f"Ukjent format «{bad}» for --format; bruk {formats}." in r.stderr


def test_the_refusal_speaks_the_language_asked_for_wherever_lang_stands():
    for args in (["--format", "csv", "--lang", "en"], ["--lang", "en", "--format", "csv"]):
        r = cli("validate", RULES_DIR, *args)
        assert r.returncode == 2 and r.stderr == "error: Unknown format «csv» for --format; use text, json.\n"
    nn = cli("evaluate", CASE, "--format", "csv", "--lang", "nn")
    assert nn.returncode == 2 and nn.stderr == "feil: Ukjent format «csv» for --format; bruk text, json, markdown.\n"


def test_diff_refuses_an_unsupported_format_too():
    r = cli("diff", "mini", "mini", "--cases", CASE, "--rules-dir", RULES_DIR, "--format", "xml")
    assert r.returncode == 2 and "Ukjent format «xml»" in r.stderr and r.stdout == ""


def test_supported_formats_still_work():
    assert json.loads(cli("validate", RULES_DIR, "--format", "json").stdout)["errors"] == 0
    assert json.loads(cli("rules", "--rules-dir", RULES_DIR, "--format", "json").stdout)[0]["id"]


def test_a_folder_without_rule_tests_is_not_a_success(tmp_path):
    (tmp_path / "sak.yaml").write_text((FIXTURES / "cases" / "alfa-1.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")  # a valid case without expect:
    for folder in (tmp_path, tmp_path / "tom"):
        folder.mkdir(exist_ok=True)
        r = cli("test", str(folder), "--rules-dir", RULES_DIR)
        assert r.returncode == 1, r.stdout
        assert r.stdout.splitlines()[-1] == "0 passed, 0 failed"
        assert f"Fant ingen regeltester (saker med expect:) i {folder}; ingenting er testet." in r.stderr
    en = cli("test", str(tmp_path), "--rules-dir", RULES_DIR, "--lang", "en")
    assert en.returncode == 1 and "Found no rule tests" in en.stderr


def test_schemas_outside_the_repository_uses_the_packaged_vocabulary(tmp_path):
    r = cli("schemas", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for name in ("case.schema.json", "rule-set.schema.json", "outcome.schema.json"):
        assert (tmp_path / "schemas" / name).read_bytes() == (ROOT / "schemas" / name).read_bytes()
    out = tmp_path / "ut"
    assert cli("schemas", "--output", str(out), "--rules-dir", str(ROOT / "rules"), cwd=tmp_path).returncode == 0
    assert (out / "case.schema.json").is_file()


def test_schemas_with_a_missing_or_broken_vocabulary_is_a_clear_error(tmp_path):
    r = cli("schemas", "--vocabulary", "finnes-ikke.yaml", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr == "feil: Fant ikke faktavokabularet «finnes-ikke.yaml».\n"
    (tmp_path / "fakta.yaml").write_text("id: x\n", encoding="utf-8")
    r = cli("schemas", "--vocabulary", "fakta.yaml", cwd=tmp_path)
    assert r.returncode == 1 and "fakta.yaml:1:1: feil[missing-key]" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "schemas").exists()
