"""The common ``tildeling evaluate`` call, run without the command-line library (typer and
click take a good part of a cold start; issue 9).

:func:`evaluate_arguments` accepts only a plain call: ``evaluate`` followed by paths and
the options of the command, each once, with a value the command takes (``--format text``,
``--lang nn``, ``--rules F``, ``--rules-dir D``, ``--as-of DATE``, ``--explain``). Anything
else — help, a global option, an unknown or repeated option, a value typer would refuse,
``--opt=value``, ``--`` — returns ``None`` and goes through typer as before, so messages,
help texts and exit codes stay typer's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_VALUED = {"--rules": "rules", "--rules-dir": "rules_dir", "--as-of": "as_of", "--format": "fmt", "--lang": "lang"}
_CHOICES = {"fmt": ("text", "json", "markdown"), "lang": ("nb", "nn", "en")}


def evaluate_arguments(argv: list[str]) -> dict[str, Any] | None:
    """The arguments of :func:`tildeling.cli.evaluate.evaluate_cases` for a plain
    ``evaluate`` call, or ``None`` when typer should parse ``argv``."""
    if not argv or argv[0] != "evaluate":
        return None
    found: dict[str, Any] = {"cases": [], "rules": None, "rules_dir": None, "as_of": None, "fmt": "text",
                             "lang": None, "explain": False}
    given: set[str] = set()
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in _VALUED:
            name = _VALUED[arg]
            if name in given or i + 1 >= len(argv):
                return None
            value = argv[i + 1]
            if not value or value.startswith("-") or (name in _CHOICES and value not in _CHOICES[name]):
                return None
            given.add(name)
            found[name] = Path(value) if name in ("rules", "rules_dir") else value
            i += 2
            continue
        if arg == "--explain":
            if "explain" in given:
                return None
            given.add("explain")
            found["explain"] = True
        elif not arg or arg.startswith("-"):
            return None
        else:
            found["cases"].append(Path(arg))
        i += 1
    return found if found["cases"] else None
