"""PyYAML's and libyaml's syntax problems as catalogue phrases, with a hint.

The YAML parser reports problems in English ("mapping values are not allowed here",
"could not find expected ':'"), and libyaml words them differently from the pure-Python
parser. :func:`yaml_problem` matches the problem (and its context) against a table and
returns a phrase and a hint from the catalogue; a problem not in the table gets a generic
message. The character at the problem's position tells a tab from other stray characters,
which libyaml does not name.

>>> p, h = yaml_problem("found character '\\\\t' that cannot start any token", "while scanning for the next token")
>>> p.text("nb"), h.text("nb")
('tabulatortegn i innrykket', 'bruk mellomrom, ikke tabulator, til innrykk')
>>> yaml_problem("something new", None)[0].text("en")
'the text is not valid YAML'
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tildeling.i18n.diagnostic_messages import Phrase, phrase

# (pattern on "context | problem", key): the first that matches wins. Keys are
# ``yaml.problem.<name>``; the hint is ``yaml.problem.<name>.hint``.
_TABLE: tuple[tuple[str, str], ...] = (
    (r"\\t|tab character", "tab"),
    (r"mapping values are not allowed", "mapping_values"),
    (r"could not find expected ':'", "expected_colon"),
    (r"quoted scalar.*(end of stream|unexpected end)", "unclosed_quote"),
    (r"end of stream", "end_of_stream"),
    (r"undefined alias", "undefined_alias"),
    (r"duplicate anchor", "duplicate_anchor"),
    (r"(anchor|alias).*alphabetic or numeric", "anchor_name"),
    (r"flow sequence|',' or '\]'", "unclosed_list"),
    (r"flow mapping|',' or '\}'", "unclosed_mapping"),
    (r"escape|hexadecimal|hexdecimal", "escape"),
    (r"another document", "several_documents"),
    (r"document start", "after_end"),
    (r"block end|expected key|'-' indicator|block collection|block mapping", "indentation"),
    (r"node content", "node_content"),
    (r"block scalar", "block_scalar"),
    (r"directive|incompatible YAML|tag handle", "directive"),
    (r"tag", "tag"),
    (r"cannot start any token", "bad_start"),
    (r"control characters|special characters|unacceptable character", "control_character"),
)
_GENERIC = "invalid"


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:  # on first use: cold start matters
    return tuple((re.compile(p, re.I | re.S), k) for p, k in _TABLE)


def problem_key(problem: str | None, context: str | None = None, char: str | None = None) -> str:
    """The table's name for a parser problem: ``tab``, ``mapping_values`` … or ``invalid``."""
    if char == "\t":
        return "tab"
    text = f"{context or ''} | {problem or ''}"
    for rx, key in _compiled():
        if rx.search(text):
            return key
    return _GENERIC


def yaml_problem(problem: str | None, context: str | None = None,
                 char: str | None = None) -> tuple[Phrase, Phrase]:
    """The phrase and hint for a parser problem; ``char`` is the character at its position."""
    key = problem_key(problem, context, char)
    if key == "bad_start":
        if not (char and char.isprintable() and not char.isspace()):
            key = _GENERIC
        else:
            return phrase("yaml.problem.bad_start", char=char), phrase("yaml.problem.bad_start.hint")
    return phrase(f"yaml.problem.{key}"), phrase(f"yaml.problem.{key}.hint")


_VALUE_TABLE: tuple[tuple[str, str], ...] = (
    (r"day is out of range", "day_out_of_range"),
    (r"month must be", "month_out_of_range"),
    (r"year .*out of range", "year_out_of_range"),
    (r"too large|overflow|out of range", "too_large"),
)


def value_problem(exc: BaseException) -> Phrase:
    """Why a scalar could not be built (a ``ValueError`` or ``OverflowError``), as a phrase.

    >>> value_problem(ValueError("day is out of range for month")).text("nn")
    'dagen finst ikkje i månaden'
    """
    text = str(exc)
    for pattern, key in _VALUE_TABLE:
        if re.search(pattern, text, re.I):
            return phrase(f"yaml.value.{key}")
    return phrase("yaml.value.invalid")


def describe(exc: Any, text: str | None = None) -> tuple[Phrase, Phrase]:
    """Phrase and hint for a ``yaml.YAMLError`` (duck-typed, so this module needs no yaml)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    char = None
    if mark is not None and text is not None and 0 <= getattr(mark, "index", -1) < len(text):
        char = text[mark.index]
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem is None and context is None:  # a ReaderError: control characters and the like
        problem = getattr(exc, "reason", None) or str(exc)
    return yaml_problem(problem, context, char)
