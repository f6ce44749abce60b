"""The pytest plugin is opt-in: it turns case files into tests only where a project asks."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

CASE = """id: x-1
municipality: Ingensteds
application_date: 2021-03-01
applied_for: [praktisk_bistand]
expect:
  praktisk_bistand: {outcome: innvilget, why: en test}
"""


def pytest_in(cwd, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, cwd=cwd)


def unrelated_project(tmp_path, ini: str = ""):
    (tmp_path / "cases").mkdir(parents=True)
    (tmp_path / "cases" / "x.yaml").write_text(CASE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + ini, encoding="utf-8")
    return tmp_path


def test_an_unrelated_project_with_cases_yaml_is_left_alone(tmp_path):
    r = pytest_in(unrelated_project(tmp_path))
    assert r.returncode == 5, r.stdout + r.stderr  # 5: no tests collected
    assert "x.yaml" not in r.stdout and "failed" not in r.stdout


def test_the_flag_or_the_ini_option_opts_in(tmp_path):
    flag = pytest_in(unrelated_project(tmp_path / "a"), "--tildeling")
    assert flag.returncode == 1 and "cases/x.yaml" in flag.stdout and "1 failed" in flag.stdout, flag.stdout
    ini = pytest_in(unrelated_project(tmp_path / "b", "tildeling_cases = cases\n"), "--collect-only", "-q")
    assert ini.returncode == 0 and "cases/x.yaml::oppslag" in ini.stdout, ini.stdout
    elsewhere = pytest_in(unrelated_project(tmp_path / "c", "tildeling_cases = other\n"), "--collect-only", "-q")
    assert elsewhere.returncode == 5, elsewhere.stdout


def test_our_own_rule_tests_are_collected():
    r = pytest_in(ROOT, "--collect-only", "cases/drammen/dr-060.yaml", "tests/fixtures/cases")
    assert r.returncode == 0, r.stdout + r.stderr
    items = [line for line in r.stdout.splitlines() if "::" in line]
    # dr-060 carries expect: (resolved) and expect_by_rule_set for four rule sets;
    # tests/fixtures/cases is not a rule-test folder of ours.
    assert sorted(i.split("::")[1] for i in items) == sorted(
        ["oppslag", "drammen-2019", "nedre-eiker-2019", "svelvik-2019", "drammen"])
    assert all(i.startswith("cases/drammen/dr-060.yaml::") for i in items)
