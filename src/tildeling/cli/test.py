"""``tildeling test``: the cases that carry ``expect:``, against their rule sets."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _out, _usage, app, rules_dir_option
from tildeling.core.errors import UsageError
from tildeling.engine import Engine
from tildeling.i18n.messages import msg


@app.command()
def test(
    paths: Optional[List[Path]] = typer.Argument(
        None, help="Case files (YAML), corpora (JSON Lines, Parquet), or folders of them (default: cases/)."),
    rules_dir: Optional[Path] = rules_dir_option(),
    coverage: bool = typer.Option(False, "--coverage", help="Report branches, outcomes and steps that no case reaches."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every passing case too."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en (the language of the report)."),
) -> None:
    """Run the cases that carry expect: against their rule sets. Last line: «N passed, N failed».

    A broken input (a case file, a line of a JSON Lines file, a row of a Parquet file) is a
    failed test, and the rest still run; the count lines say how many inputs were read and how
    many cases carry no expect: (read and checked, but nothing tested).
    Exit: 0 all passed; 1 any failed, or no case carries expect: (nothing tested); 2 usage error."""
    from tildeling.corpus.read import iter_sources
    from tildeling.ruletest.runner import format_report, run_cases
    roots = paths or [Path("cases")]
    try:
        engine = Engine(rules_dir)
    except UsageError as exc:
        _usage(exc, lang.value)
    report = run_cases(engine, iter_sources(roots), lang.value)
    _out(format_report(report, coverage=coverage, verbose=verbose, engine=engine, lang=lang.value))
    if report.passed + report.failed == 0:
        # Nothing ran: that is not a success (a typo in a path, or cases without expect:).
        _err(msg("test.no_tests", lang.value, paths=", ".join(str(p) for p in roots)))
        raise typer.Exit(1)
    raise typer.Exit(0 if report.failed == 0 else 1)
