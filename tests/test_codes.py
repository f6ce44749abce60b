"""The code registry is the single source of diagnostic codes: the docs list exactly its codes,
the source uses only registered ones, and nothing unregistered can be built."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from tildeling.core.codes import CODES, UnregisteredCode
from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError, InternalError, RuleSetError, TildelingError, UsageError
from tildeling.core.source import SourceSpan
from tildeling.files.yamlload import YamlLoadError

SRC = ROOT / "src" / "tildeling"
CODE = r"[a-z]+(?:-[a-z0-9]+)+"


def documented_codes() -> list[str]:
    """Every code in the first column of the table in docs/feilkoder.md."""
    out = []
    for line in (ROOT / "docs" / "feilkoder.md").read_text(encoding="utf-8").splitlines():
        cells = line.split("|")
        if len(cells) > 2 and line.startswith("|"):
            out += re.findall(rf"`({CODE})`", cells[1])
    return out


def test_the_docs_document_every_registered_code_and_no_other():
    documented = documented_codes()
    assert len(documented) == len(set(documented)), "a code is documented twice"
    assert sorted(set(documented) - set(CODES)) == [], "documented but not registered"
    assert sorted(set(CODES) - set(documented)) == [], "registered but not documented"


def test_the_docs_give_each_code_its_registered_severity():
    words = {"feil": {"error"}, "advarsel": {"warning"}, "feil/advarsel": {"error", "warning"}}
    for line in (ROOT / "docs" / "feilkoder.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and line.startswith("|"):
            codes = re.findall(rf"`({CODE})`", cells[1])
            if codes:  # a row may group codes: together they have the row's severities
                assert set().union(*(CODES[c].severities for c in codes)) == words[cells[2]], codes


# Codes appear in the source as the first argument of these calls, or as values in a code table.
_CALLS = re.compile(rf"""(?:\bmake|\bfrom_phrase|\bDiagnostic|\bProblem|\.error|\bcheck)\(\s*"({CODE})\"""")
_TABLE_VALUE = re.compile(rf""":\s*"({CODE})",?\s*$|code\s*=\s*"({CODE})\"""", re.M)


def test_every_code_written_in_the_source_is_registered():
    """Complements the check at construction: it covers paths no test runs."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if path.name == "codes.py":  # the registry itself (its doctest shows an unknown code)
            continue
        text = path.read_text(encoding="utf-8")
        for m in _CALLS.finditer(text):
            found.setdefault(m.group(1), str(path.relative_to(ROOT)))
        if path.name in ("modelcheck.py", "yamlload.py"):  # code tables and conditional codes
            for m in _TABLE_VALUE.finditer(text):
                found.setdefault(m.group(1) or m.group(2), str(path.relative_to(ROOT)))
    assert len(found) > 40  # the scan sees the codes at all
    unregistered = {c: where for c, where in found.items() if c not in CODES}
    assert unregistered == {}


def test_a_diagnostic_with_an_unregistered_code_or_wrong_severity_cannot_be_built():
    with pytest.raises(UnregisteredCode):
        Diagnostic("no-such-code", "error", "x", None)
    with pytest.raises(UnregisteredCode):
        make("no-such-code", "error", "case.unknown_fact", None, path="a")
    with pytest.raises(UnregisteredCode):
        make("missing-else", "error", "ruleset.missing_else", None)  # registered as a warning
    with pytest.raises(UnregisteredCode):
        CaseError("x", code="not-a-code")


def test_every_error_has_a_stable_code_and_a_location_when_it_has_one():
    span = SourceSpan("sak.yaml", 3, 5, 3, 9)
    d = make("unknown-fact", "error", "case.unknown_fact", span, path="a.b")
    assert (CaseError("x", [d]).code, CaseError("x", [d]).span) == ("unknown-fact", span)
    assert (CaseError("x").code, RuleSetError("x").code) == ("invalid-case", "invalid-rule-set")
    assert (UsageError("x").code, InternalError("x").code) == ("usage-error", "internal-error")
    assert UsageError("x").span is None
    assert issubclass(YamlLoadError, TildelingError)
    err = YamlLoadError(make("invalid-date", "error", "yaml.invalid_date", span))
    assert (err.code, err.span, err.diagnostics) == ("invalid-date", span, [err.diagnostic])
