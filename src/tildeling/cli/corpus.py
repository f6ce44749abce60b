"""``tildeling corpus``: corpora as data — convert between YAML folders, JSON Lines and
Parquet, and generate synthetic populations."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _finish, _usage, app
from tildeling.core.errors import UsageError
from tildeling.reports.inputs import error_section, skipped_text
from tildeling.i18n.diagnostic_messages import keyed

corpus_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, add_completion=False,
                         help="Corpora as data: convert between a folder of YAML case files, JSON Lines and "
                              "Parquet, and generate synthetic populations.")
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("convert")
def convert_command(
    paths: List[Path] = typer.Argument(..., metavar="PATH...",
                                       help="Case files, folders of them, JSON Lines (.jsonl) or Parquet files."),
    output: Path = typer.Option(..., "--output", "-o",
                                help="Where to write: a folder (yaml, new or empty), a .jsonl or a .parquet file."),
    to: Optional[str] = typer.Option(None, "--to", metavar="[yaml|jsonl|parquet]",
                                     help="The format to write (default: by the name of --output)."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en."),
) -> None:
    """Convert cases between a folder of YAML files, JSON Lines and Parquet.

    Lossless: everything a case holds goes across (facts, klage, expectations). Every case
    is checked as a case file is; a broken one is reported and left out, the others are
    written. The same inputs give the same bytes.

    Exit: 0 every case converted; 1 some input failed (the others are written); 2 usage error."""
    from tildeling.corpus.convert import check_output, convert, format_for
    try:
        fmt = format_for(output, to)
        check_output(output, fmt)
    except UsageError as exc:
        _usage(exc, lang.value)
    try:
        done = convert(paths, output, fmt)
    except OSError as exc:
        _err(_error_line(keyed("error.cannot_write", path=str(output), reason=exc.strerror or str(exc)), lang.value))
        raise typer.Exit(1)
    if done.skipped:
        _err(skipped_text(done.skipped, lang.value))
    if done.failures:
        _err(error_section(done.failures, (), lang.value))
    _finish(done.tally, lang.value)
    raise typer.Exit(1 if done.failures else 0)
