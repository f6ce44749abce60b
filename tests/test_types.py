"""The package type-checks: ``mypy src/tildeling`` with the settings in ``pyproject.toml``
(``[tool.mypy]``) finds nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from helpers import ROOT


def test_mypy_passes_on_the_package():
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (it is in the test extra: pip install -e '.[test]')")
    run = subprocess.run([sys.executable, "-m", "mypy", "src/tildeling"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "Success: no issues found" in run.stdout
