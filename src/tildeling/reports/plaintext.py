"""Text output without rich where rich would add nothing (issue 9, cold start).

:func:`tildeling.reports.render.to_text` writes rich console markup. Printed to a pipe or a
file (no colour, no wrapping: ``soft_wrap``), rich only removes the style tags, undoes the
escapes and drops a few control characters, so :class:`PlainConsole` does that itself and
leaves rich unimported. Markup it does not handle exactly as rich does (a tag other than
plain style names, unbalanced tags, a tab) is handed to a rich console writing to the same
stream. tests/test_plain_text.py checks it against rich on generated markup.
"""

from __future__ import annotations

import re
from typing import Any, Match, TextIO

# rich.markup's patterns (rich 13/14), so that :func:`escape` gives the same text.
_TAGS = re.compile(r"""((\\*)\[([a-z#/@][^[]*?)])""", re.VERBOSE)
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])").sub
_STYLE_NAME = re.compile(r"[a-z]+( [a-z]+)*\Z")
_CONTROL = {7: None, 8: None, 11: None, 12: None, 13: None}  # what rich strips from text


def escape(markup: str) -> str:
    """Text with square brackets escaped, as ``rich.markup.escape`` does."""

    def escape_backslashes(match: Match[str]) -> str:
        backslashes, text = match.groups()
        return f"{backslashes}{backslashes}\\{text}"

    markup = _ESCAPE(escape_backslashes, markup)
    if markup.endswith("\\") and not markup.endswith("\\\\"):
        return markup + "\\"
    return markup


def plain(markup: str) -> str | None:
    """What rich prints for ``markup`` without colour or wrapping (without the line end), or
    ``None`` when rich should decide."""
    if "\t" in markup:
        return None
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _TAGS.finditer(markup):
        full_text, escapes, tag_text = match.groups()
        start, end = match.span()
        if start > position:
            out.append(markup[position:start].replace("\\[", "["))
        position = end
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            if backslashes:
                out.append("\\" * backslashes)
            if escaped:
                out.append(full_text[len(escapes):].replace("\\[", "["))
                continue
        if tag_text == "/":
            if not stack:
                return None
            stack.pop()
        elif tag_text.startswith("/"):
            name = tag_text[1:]
            if not _STYLE_NAME.match(name) or name not in stack:
                return None
            del stack[len(stack) - 1 - stack[::-1].index(name)]
        elif _STYLE_NAME.match(tag_text):
            stack.append(tag_text)
        else:
            return None
    if position < len(markup):
        out.append(markup[position:].replace("\\[", "["))
    return "".join(out).translate(_CONTROL)


class PlainConsole:
    """The part of ``rich.console.Console`` that :func:`~tildeling.reports.render.to_text`
    uses, for a stream that is not a terminal (no colour, no wrapping)."""

    def __init__(self, stream: TextIO, width: int = 100) -> None:
        self._stream = stream
        self._width = width
        self._rich: Any = None

    def print(self, markup: str = "") -> None:
        text = plain(markup)
        if text is None:
            self._fallback().print(markup)
        else:
            self._stream.write(text + "\n")

    def _fallback(self) -> Any:
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(file=self._stream, width=self._width, color_system=None, highlight=False,
                                 emoji=False, soft_wrap=True, force_terminal=False)
        return self._rich


__all__ = ["PlainConsole", "escape", "plain"]
