"""pytest plugin: every YAML case under ``cases/`` that carries ``expect:`` becomes a test
item per (case, rule set), run by the same code as ``tildeling test``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tildeling.core.errors import CaseError, TildelingError
from tildeling.rules.cases import load_case

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and "cases" in file_path.parts:
        return CaseFile.from_parent(parent, path=file_path)
    return None


_ENGINES: dict = {}


def _engine(root: Path):
    from tildeling.engine import Engine
    key = str(root)
    if key not in _ENGINES:
        rules = root / "rules"
        _ENGINES[key] = Engine(rules if rules.is_dir() else None)
    return _ENGINES[key]


class CaseFile(pytest.File):
    def collect(self):
        from tildeling.ruletest.runner import items_of
        try:
            case = load_case(self.path, display=str(self.path.relative_to(self.config.rootpath)))
        except CaseError as exc:
            yield BrokenCase.from_parent(self, name="ugyldig", error=exc)
            return
        for item in items_of(case):
            yield CaseItem.from_parent(self, name=item.rule_set_id or "oppslag", item=item)


class CaseItem(pytest.Item):
    def __init__(self, *, item, **kwargs):
        super().__init__(**kwargs)
        self.item = item

    def runtest(self):
        from tildeling.ruletest.runner import check_item
        failures = check_item(_engine(self.config.rootpath), self.item)
        if failures:
            raise CaseFailure(failures)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: TracebackStyle | None = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, CaseFailure):
            return "\n".join(f"{f.rule_set} {f.service or ''}: {f.message}\n  hvorfor: {f.why or '-'}"
                             for f in excinfo.value.failures)
        if isinstance(excinfo.value, TildelingError):
            from tildeling.reports.render import format_diagnostics
            return excinfo.value.message + "\n" + format_diagnostics(excinfo.value.diagnostics)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, f"sak {self.item.case.id} [{self.name}]"


class BrokenCase(pytest.Item):
    def __init__(self, *, error, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self):
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: TracebackStyle | None = None) -> str | TerminalRepr:
        from tildeling.reports.render import format_diagnostics
        return self.error.message + "\n" + format_diagnostics(self.error.diagnostics)


class CaseFailure(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} avvik")
        self.failures = failures
