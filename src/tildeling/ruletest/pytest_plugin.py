"""pytest plugin: YAML cases that carry ``expect:`` become test items, one per (case, rule
set), run by the same code as ``tildeling test``.

Opt-in, as OpenFisca's is: the plugin is installed with tildeling (a ``pytest11`` entry
point), so it must leave every other project alone. It collects case files only below the
folders a project names in its pytest configuration::

    [tool.pytest.ini_options]
    tildeling_cases = ["cases"]

or, for one run, with ``pytest --tildeling`` (the ``cases/`` folder of the root directory).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tildeling.core.errors import CaseError, TildelingError
from tildeling.i18n.diagnostic_messages import localize
from tildeling.i18n.messages import msg
from tildeling.rules.cases import SkippedInput, load_case

INI_OPTION = "tildeling_cases"
FLAG = "--tildeling"
_FOLDERS = pytest.StashKey[list]()  # the folders collected in this run


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tildeling", "tildeling rule tests")
    group.addoption(FLAG, action="store_true", default=False,
                    help="Collect the YAML cases under cases/ as rule tests (when the configuration "
                         f"names no folders in {INI_OPTION}).")
    parser.addini(INI_OPTION, type="paths", default=[],
                  help="Folders whose YAML case files (with expect:) are collected as rule tests. "
                       "Empty: the plugin collects nothing unless --tildeling is given.")


def case_folders(config: pytest.Config) -> list[Path]:
    """The folders whose case files this run collects; empty when the project has not opted in."""
    folders = [Path(p) for p in config.getini(INI_OPTION)]
    if not folders and config.getoption(FLAG):
        folders = [config.rootpath / "cases"]
    return [p.resolve() for p in folders]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FOLDERS] = case_folders(config)
if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix != ".yaml":
        return None
    folders = parent.config.stash.get(_FOLDERS, [])
    if not folders:
        return None
    path = file_path.resolve()
    if any(path.is_relative_to(folder) for folder in folders):
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
        except SkippedInput:  # not a case (a service map beside the cases): nothing to test
            return
        for item in items_of(case):
            yield CaseItem.from_parent(self, name=item.rule_set_id or "oppslag", item=item)


class CaseItem(pytest.Item):
    def __init__(self, *, item, **kwargs):
        super().__init__(**kwargs)
        self.item = item

    def runtest(self):
        from tildeling.ruletest.runner import check_item, settle_known_deviation
        failures = settle_known_deviation(self.item.case, self.item,
                                          check_item(_engine(self.config.rootpath), self.item))
        if failures and failures[0].deviation:
            pytest.xfail(self.item.case.model.known_deviation)
        if failures:
            raise CaseFailure(failures)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: TracebackStyle | None = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, CaseFailure):
            return "\n".join(f"{f.rule_set} {f.service or ''}: {f.message}\n  {msg('test.why')}: {f.why or '-'}"
                             for f in excinfo.value.failures)
        if isinstance(excinfo.value, TildelingError):
            from tildeling.reports.render import format_diagnostics
            private = isinstance(excinfo.value, CaseError)  # a case file's lines are health data
            return localize(excinfo.value.message) + "\n" + format_diagnostics(excinfo.value.diagnostics,
                                                                               source=not private)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, f"{msg('case').lower()} {self.item.case.id} [{self.name}]"


class BrokenCase(pytest.Item):
    def __init__(self, *, error, **kwargs):
        super().__init__(**kwargs)
        self.error = error

    def runtest(self):
        raise self.error

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: TracebackStyle | None = None) -> str | TerminalRepr:
        from tildeling.reports.render import format_diagnostics
        return localize(self.error.message) + "\n" + format_diagnostics(self.error.diagnostics, source=False)


class CaseFailure(Exception):
    def __init__(self, failures):
        super().__init__(f"{len(failures)} avvik")
        self.failures = failures
