"""Input discovery, file kind by content, and broken rule sets that fail only their cases."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tildeling.cli import app
from tildeling.files.discover import discover
from tildeling.files.kind import file_kind
from tildeling.files.yamlload import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
CASE = ROOT / "cases" / "drammen" / "dr-001.yaml"


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def _codes(found) -> dict[str, str]:
    return {Path(f.file).name: f.code for f in found.failures}


# --- discovery ------------------------------------------------------------------------------

def test_folders_are_walked_for_yaml_and_yml_in_sorted_order(tmp_path):
    for name in ("b/z.yaml", "b/a.yml", "a.YAML", "c.txt", "b/c/d.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    found = discover([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["a.YAML", "b/a.yml", "b/c/d.yaml",
                                                                         "b/z.yaml"]
    assert found.failures == [] and found.read == 4


def test_a_file_named_twice_or_through_a_link_is_read_once(tmp_path):
    (tmp_path / "a.yaml").write_text("id: x\n", encoding="utf-8")
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    found = discover([tmp_path / "a.yaml", tmp_path, tmp_path / "a.yaml"])
    assert found.files == [tmp_path / "a.yaml"] and found.read == 1


def test_every_path_that_cannot_be_read_is_a_recorded_failure(tmp_path):
    (tmp_path / "mappe.yaml").mkdir()
    (tmp_path / "mappe.yaml" / "inni.yaml").write_text("id: x\n", encoding="utf-8")
    os.symlink(tmp_path / "borte.yaml", tmp_path / "lenke.yml")
    os.symlink(tmp_path / "ring-b.yaml", tmp_path / "ring-a.yaml")
    os.symlink(tmp_path / "ring-a.yaml", tmp_path / "ring-b.yaml")
    os.symlink(tmp_path, tmp_path / "tilbake")  # a folder link back into the walk
    os.mkfifo(tmp_path / "roer.yaml")
    found = discover([tmp_path, tmp_path / "finnes-ikke.yaml"])
    assert _codes(found) == {"mappe.yaml": "not-a-file", "lenke.yml": "dangling-link", "ring-a.yaml": "link-loop",
                             "ring-b.yaml": "link-loop", "tilbake": "link-loop", "roer.yaml": "not-a-file",
                             "finnes-ikke.yaml": "file-not-found"}
    assert [p.name for p in found.files] == ["inni.yaml"]  # a folder named x.yaml is still walked
    assert found.read == 8


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_a_failure(tmp_path):  # pragma: no cover - not as root
    locked = tmp_path / "låst"
    locked.mkdir()
    locked.chmod(0)
    try:
        assert _codes(discover([tmp_path])) == {"låst": "unreadable-folder"}
    finally:
        locked.chmod(0o755)


# --- file kind --------------------------------------------------------------------------------

@pytest.mark.parametrize("path, kind", [
    ("rules/drammen/drammen-2021.yaml", "ruleset"), ("rules/felles/fakta.yaml", "vocabulary"),
    ("rules/felles/trapp-13.yaml", "staircase"), ("rules/felles/parametere.yaml", "parameters"),
    ("cases/drammen/dr-001.yaml", "case"), ("cases/fagscenarier/tjenester.yaml", "tjenestekart"),
])
def test_kind_is_told_by_content(path, kind):
    assert file_kind(load_yaml_file(ROOT / path).data).kind == kind


def test_a_shipped_rule_set_in_a_folder_named_regler_is_a_rule_set(tmp_path):
    regler = tmp_path / "regler"
    shutil.copytree(RULES, regler)
    r = run("validate", regler, "--rules-dir", regler, "--format", "json")
    report = json.loads(r.stdout)
    assert r.exit_code == 0, r.stdout
    assert report["errors"] == 0 and report["read"] == len(list(RULES.rglob("*.yaml")))


def test_a_file_whose_kind_cannot_be_told_is_reported_as_such(tmp_path):
    odd = tmp_path / "rart.yaml"
    odd.write_text("navn: noe\nverdi: 3\n", encoding="utf-8")
    r = run("validate", odd, "--lang", "en")
    assert r.exit_code == 1
    assert "error[unknown-file-kind]: Cannot tell whether the file is a rule set, a case or a shared file" in r.stdout


def test_a_rule_set_given_as_a_case_is_one_clear_error():
    r = run("evaluate", RULES / "drammen" / "drammen-2021.yaml", CASE, "--rules-dir", RULES, "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)[0]["case"] == "dr-001"
    assert r.stderr.count("feil[") == 1 and "feil[not-a-case]: Filen er et regelsett, ikke en sak." in r.stderr
    assert "lest 2 filer = ferdig 1 + feilet 1" in r.stderr


SERVICE_MAP = ROOT / "cases" / "fagscenarier" / "tjenester.yaml"


@pytest.mark.parametrize("command", [
    ["test"], ["evaluate"], ["evaluate", "--format", "json"], ["diff", "auto", "auto", "--cases"],
    ["diff", "auto", "auto", "--format", "json", "--cases"]])
def test_a_service_map_among_cases_is_skipped_named_and_counted(command):
    r = run(*command, SERVICE_MAP, CASE, "--rules-dir", RULES)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "lest 2 filer = ferdig 1 + hoppet over 1 + feilet 0" in r.stdout + r.stderr
    assert "tjenester.yaml: hoppet over: filen er et tjenestekart, ikke en sak" in r.stdout + r.stderr
    assert "feil[" not in r.stdout + r.stderr
    if command[0] == "diff" and "json" in command:
        report = json.loads(r.stdout)
        assert report["skipped"] == [SERVICE_MAP.as_posix()]
        assert (report["summary"]["read"], report["summary"]["skipped"]) == (2, 1)


def test_a_service_map_alone_is_skipped_in_nynorsk_and_english():
    r = run("evaluate", SERVICE_MAP, "--lang", "nn")
    assert r.exit_code == 0 and "hoppa over: fila er eit tenestekart, ikkje ei sak" in r.stderr
    assert "lese 1 fil = ferdig 0 + hoppa over 1 + feila 0" in r.stderr
    r = run("evaluate", SERVICE_MAP, "--lang", "en")
    assert "read 1 file = done 0 + skipped 1 + failed 0" in r.stderr


def test_validate_checks_a_service_map_structurally(tmp_path):
    r = run("validate", SERVICE_MAP, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["errors"] == 0
    bad = tmp_path / "kart.yaml"
    bad.write_text("kart:\n  x: {tjeneste: y, mangler: kanskje, ukjent: 1}\n", encoding="utf-8")
    r = run("validate", bad)
    assert r.exit_code == 1
    assert "kart.x.mangler" in r.stdout or "mangler" in r.stdout
    assert "ukjent" in r.stdout and "unknown-file-kind" not in r.stdout


def test_other_shared_files_among_cases_still_fail_as_not_a_case():
    r = run("test", RULES / "felles" / "fakta.yaml", CASE, "--rules-dir", RULES)
    assert r.exit_code == 1 and "not-a-case" in r.stdout and "hoppet over" not in r.stdout


def test_a_syntax_error_in_a_rule_set_shows_its_line_but_a_case_hides_its_own(tmp_path):
    rule_set = tmp_path / "regelsett.yaml"
    rule_set.write_text("id: x\nuses: {vocabulary: a}\nservices:\n  bpa: {name: ]\nstatus: draft\n",
                        encoding="utf-8")
    case = tmp_path / "sak.yaml"
    case.write_text("id: s\napplied_for: [bpa]\nfacts: {helse: {diagnose: 'hemmelig']}\n", encoding="utf-8")
    out = run("validate", tmp_path).stdout
    assert "regelsett.yaml:4:15: feil[yaml-syntax]" in out and "   4 |   bpa: {name: ]" in out
    assert "sak.yaml:3:" in out and "hemmelig" not in out  # a case file's lines are health data


# --- a broken rule set fails its own cases only ----------------------------------------------------

@pytest.fixture
def broken_svelvik(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    p = rules / "drammen" / "svelvik-2019.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace("when: husholdsbehov < 4", "when: husholdsbehov <", 1), encoding="utf-8")
    return rules


def _municipality(path: Path) -> str:
    return next(line.split(":", 1)[1].strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith("municipality:"))


def test_test_fails_the_cases_of_a_broken_rule_set_and_runs_the_others(broken_svelvik):
    cases = sorted((ROOT / "cases" / "drammen").glob("*.yaml"))
    svelvik = [c for c in cases if _municipality(c) == "Svelvik"]
    assert svelvik and len(svelvik) < len(cases)
    r = run("test", ROOT / "cases" / "drammen", "--rules-dir", broken_svelvik)
    assert r.exit_code == 1
    assert r.stdout.count("Regelsett med feil (1):") == 1
    assert r.stdout.count("svelvik-2019.yaml:") >= 1
    assert f"{svelvik[0].as_posix()}: feil[rule-set-invalid]" in r.stdout
    passed, _, failed, _ = r.stdout.splitlines()[-1].split()
    assert int(passed) > 0 and r.stdout.count("feil[rule-set-invalid]") == int(failed)


def test_evaluate_fails_the_cases_of_a_broken_rule_set_and_prints_the_others(broken_svelvik):
    r = run("evaluate", ROOT / "cases" / "drammen", "--rules-dir", broken_svelvik, "--format", "json")
    assert r.exit_code == 1
    n = len(list((ROOT / "cases" / "drammen").glob("*.yaml")))
    failed = r.stderr.count("feil[rule-set-invalid]")
    assert failed > 0 and len(json.loads(r.stdout)) == n - failed
    assert f"lest {n} filer = ferdig {n - failed} + feilet {failed}" in r.stderr
