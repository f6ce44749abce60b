"""``tildeling compare``: the benchmark table — the same cases under every rule set of a merger."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _finish, _usage, app, format_option, rules_dir_option
from tildeling.core.errors import UsageError
from tildeling.engine import Engine
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.reports.inputs import skipped_text


@app.command("compare")
def compare_command(
    merger: str = typer.Argument(..., metavar="MERGER",
                                 help="The harmonised rule set's id (alver, drammen) or its municipality."),
    more_cases: Optional[List[Path]] = typer.Argument(None, metavar="PATH", show_default=False,
                                                      help="More case files or directories (--cases a b c)."),
    cases: List[Path] = typer.Option(..., "--cases", help="Case files or directories (may be repeated)."),
    fmt: str = format_option("text", "json", "markdown", "csv", "html"),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the table to this file instead of stdout."),
    rules_dir: Optional[Path] = rules_dir_option(),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en.", is_eager=True),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Worker processes (default: one per core; 1 = this process only)."),
) -> None:
    """The same cases under every rule set of a merger (each legacy set and the harmonised
    one), side by side: whether the legacy sets agreed and where the harmonised set lands.

    Exit: 0 done; 1 invalid input (the table is written all the same, with every failed input
    listed); 2 usage error (an unknown merger: «mente du …?»)."""
    from tildeling.compare.side_by_side import find_merger, run_compare
    from tildeling.compare.workers import default_workers
    from tildeling.corpus.read import iter_sources
    from tildeling.reports.compare_table import write

    try:
        engine = Engine(rules_dir)
        chosen = find_merger(engine, merger)
        sources = iter_sources(list(cases) + list(more_cases or []))
        table = run_compare(engine, chosen, sources, lang=lang.value, workers=workers or default_workers())
    except UsageError as exc:
        _usage(exc, lang.value)
    if output is not None:
        try:
            with open(output, "w", encoding="utf-8", newline="") as f:
                write(table, fmt, f)
        except OSError as exc:
            _err(_error_line(keyed("error.cannot_write", path=str(output), reason=exc.strerror), lang.value))
            raise typer.Exit(1)
    else:
        write(table, fmt, sys.stdout, terminal=sys.stdout.isatty())
        sys.stdout.flush()
    _err(skipped_text(table.skipped, lang.value))
    if output is not None or fmt != "text":
        _finish(table.tally, lang.value)  # the text table on stdout has the line already
    raise typer.Exit(1 if table.errors else 0)
