"""The closed set of errors tildeling raises, split by who has to fix them.

* :class:`RuleSetError` – the rule author's (a rule file is invalid);
* :class:`CaseError` – the case data's (a case file is invalid);
* :class:`UsageError` – the command line's;
* :class:`InternalError` – ours (a bug: please report it).

Each carries the diagnostics that explain it.
"""

from __future__ import annotations

from tildeling.core.diagnostics import Diagnostic


class TildelingError(Exception):
    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics or [])


class RuleSetError(TildelingError):
    """A rule set could not be loaded or checked."""


class ExpressionError(RuleSetError):
    """An expression in a rule set is malformed or ill-typed."""


class CaseError(TildelingError):
    """A case file could not be loaded or does not fit the fact vocabulary."""


class UsageError(TildelingError):
    """The command was called wrongly (exit code 2)."""


class InternalError(TildelingError):
    """A bug in tildeling."""
