"""The registry of diagnostic codes: the single source of every code tildeling reports.

Each code is stable (scripts, editors and CI rely on it), has the severities it may be
reported with and a short description for developers; ``docs/feilkoder.md`` documents the
same set for users (a test keeps the two equal). A :class:`~tildeling.core.diagnostics.Diagnostic`
with a code that is not registered here, or with a severity the code does not allow, cannot
be built (:func:`check`): codes pass through tables and helpers, so a check at construction
catches every path that the tests exercise, and a source scan in the tests catches the
literal codes on the paths they do not.

>>> CODES["invalid-date"].severities
('error',)
>>> check("no-such-code", "error")
Traceback (most recent call last):
...
tildeling.core.codes.UnregisteredCode: diagnostic code 'no-such-code' is not in tildeling.core.codes
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """One registered diagnostic code: its severities and what it means."""

    code: str
    severities: tuple[str, ...]
    description: str


class UnregisteredCode(AssertionError):
    """A diagnostic was built with a code (or severity) the registry does not know: a bug."""


_E = ("error",)
_W = ("warning",)
_EW = ("error", "warning")

_TABLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # files and YAML
    ("yaml-syntax", _E, "not valid YAML"),
    ("duplicate-key", _E, "a key appears twice in a mapping"),
    ("yaml-unsafe-tag", _E, "a YAML tag outside the safe subset"),
    ("yaml-too-deep", _E, "nested deeper than the limit"),
    ("yaml-too-large", _E, "more YAML nodes than the limit"),
    ("file-too-large", _E, "the file (or stream) is larger than the limit; refused before reading it"),
    ("file-not-found", _E, "the file does not exist or cannot be read"),
    ("file-encoding", _E, "the file is not UTF-8"),
    ("number-out-of-range", _E, "a number outside ±10^15 (YAML value or expression literal)"),
    ("number-not-finite", _E, "an infinite or not-a-number value (.inf, .nan)"),
    ("empty-file", _E, "the file is empty"),
    ("unknown-file-kind", _E, "neither a rule set, a case nor a shared file, judged by its keys"),
    # inputs (paths named on the command line, folders walked)
    ("unreadable-file", _E, "a file that cannot be read (permissions)"),
    ("unreadable-folder", _E, "a folder that cannot be listed"),
    ("dangling-link", _E, "a link to nothing"),
    ("link-loop", _E, "a link that loops, or a folder link back into the walk"),
    ("not-a-file", _E, "a folder, device or pipe named like a YAML file in a walked folder"),
    ("invalid-input", _E, "an input that could not be used, without a more specific code"),
    ("json-syntax", _E, "a JSON Lines line (or a Parquet row's extra column) that is not valid JSON"),
    ("parquet-unreadable", _E, "a file named .parquet that polars cannot read as Parquet"),
    # file models
    ("unknown-key", _E, "a key the file model does not have"),
    ("missing-key", _E, "a required key is missing"),
    ("wrong-type", _E, "a value of the wrong type"),
    ("invalid-value", _E, "a value that is not allowed"),
    ("invalid-name", _E, "a name that does not match the naming rules"),
    ("invalid-date", _E, "an impossible or malformed date (value or key)"),
    ("invalid-validity", _E, "valid_to before valid_from"),
    # expressions
    ("expression-syntax", _E, "an expression that cannot be parsed"),
    ("expression-too-complex", _E, "an expression too long or too deeply nested"),
    ("unknown-name", _E, "an unknown fact, definition or parameter"),
    ("unknown-function", _E, "an unknown function"),
    ("wrong-arity", _E, "a function called with the wrong number of arguments"),
    ("unknown-operator", _E, "an operator the language does not have (hand-built ASTs)"),
    ("type-mismatch", _E, "operand or result types do not fit"),
    ("unknown-value", _E, "a text literal outside a choice fact's values"),
    ("value-out-of-domain", _W, "a comparison that is always true or false given the fact's domain"),
    ("iplos-not-relevant-order", _W, "an ordering comparison against IPLOS 9"),
    ("division-by-zero", _E, "division by a literal zero"),
    # rule sets
    ("cyclic-definition", _E, "definitions that refer to each other in a ring"),
    ("derivation-cycle", _E, "derived facts (vocabulary `derived:`) that are derived from each other in a ring"),
    ("name-conflict", _E, "a definition named like a fact, parameter or the score"),
    ("duplicate-id", _E, "two rules (or services applied for) with the same id"),
    ("unreachable-rule", _E, "a rule after an else rule"),
    ("missing-else", _W, "a decision node without an else rule"),
    ("municipal-before-right", _W, "a kommunalt rule written before a lovkrav rule of the same list"),
    ("right-under-municipal-condition", _W, "a lovkrav grant nested under a kommunalt condition"),
    ("municipal-refuses-right-part", _W, "a part refused by a kommunalt rule in a service granted as lovkrav"),
    ("unknown-form", _E, "a form the service does not declare (rule set or case)"),
    ("own-initiative-chain", _E, "an own_initiative condition names the decision of another own-initiative service"),
    ("too-many-rules", _E, "a decision list longer than the limit"),
    ("unknown-step", _E, "a step that the staircase does not have"),
    ("parameter-dates", _E, "two parameter values from the same date"),
    ("parameter-type", _E, "parameter values of different types"),
    ("parameter-not-in-force", _W, "a parameter without a value on the rule set's start date"),
    ("citation-syntax", _E, "a legal reference that cannot be parsed"),
    ("unknown-act", _E, "an act not in the legal register"),
    ("unknown-section", _E, "a section not in the legal register"),
    ("unknown-subsection", _EW, "a ledd, nr. or letter not in the legal register"),
    ("legal-ref-not-in-force", _E, "a reference not in force when the rule set starts"),
    ("legal-ref-renumbered", _W, "a reference renumbered while the rule set applies"),
    ("legal-ref-repealed", _W, "a reference repealed while the rule set applies"),
    ("supersedes-cycle", _E, "rule sets that supersede each other in a ring"),
    ("supersedes-repeated", _E, "the same id twice in supersedes, or a rule set superseding itself"),
    ("supersedes-unknown", _E, "supersedes names a rule set id the catalogue does not have"),
    # cases
    ("unknown-fact", _E, "a fact not in the vocabulary"),
    ("fact-value", _E, "a fact value outside its type or domain"),
    ("age-out-of-range", _E, "the age derived from the birth date is outside the vocabulary's range"),
    ("unknown-municipality", _E, "no rule set for the case's municipality"),
    ("unknown-rule-set", _E, "an unknown rule set id in expect_by_rule_set"),
    ("unknown-service", _E, "a service applied for that no rule set of the municipality describes"),
    ("unknown-part", _E, "a part applied for that the service does not declare"),
    ("duplicate-application", _E, "a service applied for twice, other than in two different forms"),
    ("amount-out-of-range", _E, "an amount applied for that is not a positive number within the limit"),
    ("appeal-before-decision", _E, "an appeal sent or received before the decision it concerns"),
    ("appeal-date-order", _E, "appeal dates out of order (a decision known before it was made, received before sent)"),
    ("not-a-case", _E, "a file given as a case that is a rule set or a shared file"),
    ("rule-set-invalid", _E, "the rule set a case is judged by has errors"),
    ("invalid-case", _E, "a case file that could not be read (no more specific code)"),
    # comparisons: a case left out of a harmonisation report or a diff (not covered), never guessed
    ("former-municipality-unknown", _W, "former_municipality names no legacy municipality of the merger"),
    ("former-municipality-missing", _W, "a case of the merged municipality after the merger without former_municipality"),
    ("municipality-not-in-merger", _W, "a case whose municipality is neither the merged one nor a legacy one"),
    ("municipality-not-covered", _W, "diff: a rule set of the comparison does not cover the case's municipality"),
    ("same-rule-set", _W, "diff: both sides resolve to the same rule set for the case (no self-comparison)"),
    # errors without a more specific diagnostic
    ("invalid-rule-set", _E, "a rule set that could not be loaded (no more specific code)"),
    ("usage-error", _E, "the command line was used wrongly"),
    ("internal-error", _E, "a bug in tildeling"),
)

CODES: dict[str, Code] = {c: Code(c, sev, desc) for c, sev, desc in _TABLE}


def check(code: str, severity: str) -> None:
    """Raise :class:`UnregisteredCode` unless ``code`` is registered with ``severity``."""
    entry = CODES.get(code)
    if entry is None:
        raise UnregisteredCode(f"diagnostic code {code!r} is not in tildeling.core.codes")
    if severity not in entry.severities:
        raise UnregisteredCode(f"diagnostic code {code!r} is registered as {'/'.join(entry.severities)}, "
                               f"not {severity!r}")
