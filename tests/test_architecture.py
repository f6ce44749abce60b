"""The package's layering: imports point down the stages (cli → ruletest → reports → compare →
engine → explain → evaluation → rules → language → files → core → i18n). The contract lives in
``pyproject.toml`` under ``[tool.importlinter]``; this test runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT


def test_imports_point_down_the_stages():
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [shutil.which("lint-imports") or "lint-imports"]
    if not Path(cmd[0]).exists() and shutil.which(cmd[0]) is None:
        pytest.fail("import-linter is not installed (it is in the test extra)")
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


def test_no_module_is_oversized():
    """One concept per module: none grows past ~600 lines."""
    big = {str(p.relative_to(ROOT)): n for p in (ROOT / "src" / "tildeling").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 650}
    assert not big, big
