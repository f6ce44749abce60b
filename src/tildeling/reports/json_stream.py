"""``evaluate --format json`` written as the outcomes come, byte-identical to :func:`to_json`.

A corpus may hold millions of cases: holding every outcome until the end to print one JSON
list would make memory grow with the corpus. :class:`OutcomeStream` writes each outcome as
soon as it is decided, as the element of a list that :func:`to_json` would have written, and
closes the list at the end. One input read and decided gives one object, not a list (the
contract of ``evaluate``): so the first outcome is held back until a second input shows up,
and never more than that one.

>>> import io
>>> out = io.StringIO()
>>> stream = OutcomeStream(out)
>>> stream.add({"case": "a", "decisions": []}); stream.add({"case": "b", "decisions": [1]})
>>> stream.close(read=2)
>>> out.getvalue() == to_json([{"case": "a", "decisions": []}, {"case": "b", "decisions": [1]}])
True
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from tildeling.files.outcome import to_plain
from tildeling.reports.render import to_json

_INDENT = "  "  # to_json's indent: an element of the list is one level in


def _element(value: Any) -> str:
    """``value`` as :func:`to_json` writes it inside a list: every line one level in (strings
    never hold a raw newline in JSON, so every line break is the encoder's own)."""
    text = json.dumps(to_plain(value), ensure_ascii=False, indent=2)
    return _INDENT + text.replace("\n", "\n" + _INDENT)


class OutcomeStream:
    """Write outcomes to ``out`` one at a time; :meth:`close` with the number of inputs read."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._held: Any = None  # the first outcome, until a second one shows whether this is a list
        self._written = 0  # elements written so far

    def add(self, outcome: Any) -> None:
        if self._written == 0 and self._held is None:
            self._held = outcome
            return
        if self._held is not None:
            self._out.write("[\n" + _element(self._held))
            self._held = None
            self._written = 1
        self._out.write(",\n" + _element(outcome))
        self._written += 1

    @property
    def written(self) -> int:
        """How many outcomes are written so far (the one held back is not)."""
        return self._written

    def close(self, read: int) -> None:
        """End the output: ``read`` is every input read (done, skipped or failed); one read
        and decided is written as an object, anything else as a list."""
        if self._held is not None:
            if read == 1:
                self._out.write(to_json(self._held))
            else:
                self._out.write("[\n" + _element(self._held) + "\n]\n")
        elif self._written:
            self._out.write("\n]\n")
        else:
            self._out.write(to_json([]))
        self._held = None
        self._out.flush()


__all__ = ["OutcomeStream"]
