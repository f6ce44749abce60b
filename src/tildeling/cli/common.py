"""What every command shares: the typer app, output streams, options and their parsing."""

from __future__ import annotations

from enum import Enum
from typing import Any

import typer

from tildeling.cli.output import _err, _error_line, _finish, _out, _parse_date  # noqa: F401 - shared by the commands
from tildeling.core.errors import UsageError
from tildeling.i18n.diagnostic_messages import render as render_message
from tildeling.i18n.messages import msg

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="tildeling – allocation criteria for Norwegian municipal health and care services as rules "
                       "you can test, explain and compare. Output to users is Norwegian (--lang nb|nn; en for English).")


class Lang(str, Enum):
    nb = "nb"
    nn = "nn"
    en = "en"


def rules_dir_option() -> Any:
    """The ``--rules-dir`` option every command shares (where rule sets are found)."""
    return typer.Option(None, "--rules-dir", help="Directory of rule sets (default: $TILDELING_RULES, "
                                                  "./rules, or the packaged ones).")


def format_option(*formats: str) -> Any:
    """A ``--format`` option that takes only ``formats`` (the first is the default).

    Anything else is refused before the command runs — a message with the list (in the
    --lang of the command, bokmål by default) and exit 2 — never silently replaced by the
    default."""
    def check(ctx: typer.Context, value: str) -> str:
        if value not in formats:
            lang = getattr(ctx.params.get("lang"), "value", None) or "nb"  # --lang is eager
            _err(f"{render_message('severity.error', lang)}: "
                 + msg("cli.unknown_format", lang, value=value, formats=", ".join(formats)))
            raise typer.Exit(2)
        return value
    return typer.Option(formats[0], "--format", callback=check, metavar="[" + "|".join(formats) + "]",
                        help=", ".join(formats) + ".")


def _usage(exc: UsageError, lang: str | None = None) -> None:
    _err(_error_line(exc.message, lang or "nb"))
    raise typer.Exit(2)
