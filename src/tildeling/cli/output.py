"""The output streams and the small parsers every command shares, without the command-line
library: the common ``tildeling evaluate`` runs without loading it (:mod:`tildeling.cli.lean`)."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Optional

from tildeling.core.errors import UsageError
from tildeling.files.discover import Tally
from tildeling.i18n.diagnostic_messages import keyed, localize, render
from tildeling.reports.inputs import tally_line


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def _parse_date(value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(keyed("error.bad_date", value=value)) from None


def _finish(tally: Tally, lang: str, *, to_stdout: bool = False) -> None:
    """Print the count line ``lest N = ferdig N + feilet N``: to stderr, so that JSON and CSV
    on stdout stay valid, unless stdout holds a report meant for people."""
    (_out if to_stdout else _err)(tally_line(tally, lang) + "\n")


def _error_line(text: str, lang: str = "nb") -> str:
    """«feil: …» in ``lang``: the severity word and a message (keyed messages are translated)."""
    return render("error.line", lang, {"severity": render("severity.error", lang), "text": localize(text, lang)})
