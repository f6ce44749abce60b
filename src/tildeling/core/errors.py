"""The closed set of errors tildeling raises, split by who has to fix them.

* :class:`RuleSetError` – the rule author's (a rule file is invalid);
* :class:`CaseError` – the case data's (a case file is invalid);
* :class:`UsageError` – the command line's;
* :class:`InternalError` – ours (a bug: please report it).

Each carries the diagnostics that explain it, a stable :attr:`~TildelingError.code` (the
first diagnostic's, else the class's own) and a location (:attr:`~TildelingError.span`, the
first diagnostic's). Every code is registered in :mod:`tildeling.core.codes`.

>>> e = UsageError("Fant ikke «x».")
>>> e.code, e.span
('usage-error', None)
"""

from __future__ import annotations

from tildeling.core.codes import check as _check_code
from tildeling.core.diagnostics import Diagnostic
from tildeling.core.source import SourceSpan


class TildelingError(Exception):
    default_code = "internal-error"

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics or [])
        if code is not None:
            _check_code(code, "error")
        self._code = code

    @property
    def code(self) -> str:
        """The explicit code, else the first error's, else the class's default."""
        if self._code is not None:
            return self._code
        for d in self.diagnostics:
            if d.severity == "error":
                return d.code
        return self.default_code

    @property
    def span(self) -> SourceSpan | None:
        """Where the (first) problem is, when it has a place in a file."""
        for d in self.diagnostics:
            if d.span is not None:
                return d.span
        return None


class RuleSetError(TildelingError):
    """A rule set could not be loaded or checked."""

    default_code = "invalid-rule-set"


class ExpressionError(RuleSetError):
    """An expression in a rule set is malformed or ill-typed."""


class CaseError(TildelingError):
    """A case file could not be loaded or does not fit the fact vocabulary."""

    default_code = "invalid-case"


class UsageError(TildelingError):
    """The command was called wrongly (exit code 2)."""

    default_code = "usage-error"


class InternalError(TildelingError):
    """A bug in tildeling."""

    default_code = "internal-error"
