"""``tildeling corpus``: corpora as data — convert between YAML folders, JSON Lines and
Parquet, and generate synthetic populations."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _finish, _parse_date, _usage, app, rules_dir_option
from tildeling.core.errors import UsageError
from tildeling.reports.inputs import error_section, skipped_text
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.i18n.messages import msg_n

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


@corpus_app.command("generate")
def generate_command(
    n: int = typer.Option(..., "--n", min=0, help="How many cases."),
    municipality: str = typer.Option(..., "--municipality",
                                     help="The municipality (or its rule-set id): its cases apply for services every "
                                          "rule set of the merger describes."),
    output: Path = typer.Option(..., "--output", "-o", help="A .parquet or .jsonl file."),
    seed: int = typer.Option(0, "--seed", help="The same seed gives the same cases."),
    date: Optional[str] = typer.Option(None, "--date", help="Application dates fall in the year up to this date "
                                                            "(YYYY-MM-DD; default: the end of the year the "
                                                            "municipality's newest rule set starts)."),
    missing: float = typer.Option(0.10, "--missing", min=0.0, max=1.0,
                                  help="The share of facts left unknown (the birth date: a fifth of it)."),
    all_facts: bool = typer.Option(False, "--all-facts",
                                   help="Draw every fact of the vocabulary, not only those the model describes "
                                        "(with --missing 0: complete cases, decided without unknowns)."),
    rules_dir: Optional[Path] = rules_dir_option(),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en."),
) -> None:
    """Generate a synthetic population of applicants from documented distributions
    (docs/populasjon.md): age, household, IPLOS functional scores, diagnoses, services
    received and applied for.

    Exit: 0 written; 1 the file cannot be written; 2 usage error."""
    from tildeling.corpus.generate import population_for, write_jsonl, write_parquet
    from tildeling.corpus.read import kind_of
    from tildeling.core.diagnostics import suggest
    from tildeling.rules.resolve import catalog, rules_dir as find_rules_dir
    try:
        day = _parse_date(date)
        kind = kind_of(output)
        if kind not in ("jsonl", "parquet"):
            raise UsageError(keyed("corpus.generate_output", path=str(output)))
        if importlib.util.find_spec("numpy") is None or importlib.util.find_spec("polars") is None:
            raise UsageError(keyed("corpus.needs_polars"))
        if not output.parent.is_dir():
            raise UsageError(keyed("corpus.no_output_folder", path=str(output.parent)))
        entries = catalog(find_rules_dir(str(rules_dir) if rules_dir else None))
        pop = population_for(entries, municipality, n, seed, day, missing, all_facts)
        if pop is None:
            names = sorted({e.municipality for e in entries} | {e.id for e in entries})
            found = suggest(municipality, names)
            if found:
                raise UsageError(keyed("corpus.unknown_municipality.suggest", name=municipality, found=found[0]))
            raise UsageError(keyed("corpus.unknown_municipality", name=municipality, names=", ".join(names)))
    except UsageError as exc:
        _usage(exc, lang.value)
    assert pop is not None  # _usage exits
    try:
        (write_parquet if kind == "parquet" else write_jsonl)(pop, output)
    except OSError as exc:
        _err(_error_line(keyed("error.cannot_write", path=str(output), reason=exc.strerror or str(exc)), lang.value))
        raise typer.Exit(1)
    _err(msg_n("corpus.generated", n, lang.value, path=str(output), municipality=pop.municipality))
    raise typer.Exit(0)
