"""``tildeling evaluate``: one or more cases, each under the rule set in force for it.

Every input is evaluated or recorded as failed, and the others go on: the outcomes go to
stdout, the failed inputs (with the invalid rule sets they needed, once each) and the count
line ``lest N = ferdig N + feilet N`` to stderr, so that JSON output stays valid.

:func:`evaluate_cases` is the command without the command-line library: the common call
runs it directly (:mod:`tildeling.cli.lean`), and :func:`register` puts the command, with its
options and help, on the typer app for every other call."""

# No ``from __future__ import annotations``: typer reads the annotations of the command
# defined inside :func:`register`, whose names (Lang) are local to it.
import sys
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional, Tuple

from tildeling.cli.output import _err, _error_line, _finish, _out, _parse_date
from tildeling.core.errors import UsageError
from tildeling.engine import Engine, evaluate_with, input_failure
from tildeling.files.discover import SUFFIXES as YAML_SUFFIXES
from tildeling.files.discover import InputFailure, Tally, discover, name_of
from tildeling.files.outcome import CaseOutcome
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.reports.inputs import error_section, skipped_text
from tildeling.rules.cases import Case, SkippedInput
from tildeling.reports.render import to_markdown, to_text


def evaluate_cases(cases: List[Path], rules: Optional[Path], rules_dir: Optional[Path], as_of: Optional[str],
                   fmt: str, lang: Optional[str], explain: bool) -> int:
    """Evaluate each case and print the outcome per service with its reasons; the exit code."""
    try:
        day = _parse_date(as_of)
        engine = Engine(rules_dir)
        if rules is not None and not rules.is_file():
            raise UsageError(keyed("error.rule_set_not_found", path=str(rules)))
    except UsageError as exc:
        _err(_error_line(exc.message, lang or "nb"))
        return 2
    ui = lang or "nb"
    results: list[CaseOutcome] = []
    labels: dict[str, str] = {}
    failures: list[InputFailure] = []
    skipped: list[SkippedInput] = []
    tally = Tally()
    # JSON is written as the outcomes come (memory flat in the corpus size); text and Markdown
    # share the fact labels of every rule set used, so they are written at the end.
    stream = None
    if fmt == "json":
        from tildeling.reports.json_stream import OutcomeStream

        stream = OutcomeStream(sys.stdout)
    for name, read in _inputs(engine, cases, failures, tally):
        try:
            case = read()
            crs, warnings = engine.choose(case, as_of=day, rules=rules, lang=ui)
            outcome = evaluate_with(crs, case, as_of=day, lang=lang, explain=explain, warnings=warnings)
        except SkippedInput as skip:
            skipped.append(skip)
            continue
        except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
            failures.append(input_failure(name, exc))
            continue
        tally.done += 1
        if stream is not None:
            stream.add(outcome)
            continue
        labels.update({p: i.label.get(outcome.language) for p, i in crs.ruleset.vocabulary.facts.items()})
        results.append(outcome)
    tally.failed, tally.skipped = len(failures), len(skipped)
    if stream is not None:
        stream.close(read=tally.read)
    elif fmt == "markdown":
        letters = "\n---\n\n".join(to_markdown(o, fact_labels=labels) for o in results)
        _out(letters if not letters or letters.endswith("\n") else letters + "\n")
    else:
        interactive = sys.stdout.isatty()
        for i, o in enumerate(results):
            if i:
                _out("\n")
            if interactive:
                from rich.console import Console

                to_text(o, explain=explain, console=Console(), fact_labels=labels)
            else:
                _out(to_text(o, explain=explain, fact_labels=labels))
    _err(skipped_text(skipped, ui))
    if failures:
        _err(error_section(failures, engine.broken(), ui))
    _finish(tally, ui)
    return 1 if failures else 0


def _inputs(engine: Engine, paths: List[Path], failures: List[InputFailure],
            tally: Tally) -> Iterator[Tuple[str, Callable[[], Case]]]:
    """The cases ``paths`` name, each as (name, a function that reads it); paths that cannot
    be read go to ``failures``. Case files take the short way (the common call: one YAML file);
    JSON Lines and Parquet corpora, and folders that may hold them, are read through
    :mod:`tildeling.corpus.read` (one case per line or row, named ``file:line`` / ``file#row``;
    then ``tally`` counts the inputs as cases, not files)."""
    if all(p.suffix.lower() in YAML_SUFFIXES for p in paths):
        found = discover(paths)
        failures.extend(found.failures)
        for f in found.files:
            yield name_of(f), partial(engine.read_case, f, display=name_of(f))
        return
    from tildeling.corpus.read import from_corpus, iter_sources, load_source

    def read(source: Any) -> Case:
        case = load_source(source)
        engine.check_expectations(case)
        return case

    for item in iter_sources(paths):
        tally.records = tally.records or from_corpus(item)
        if isinstance(item, InputFailure):
            failures.append(item)
        else:
            yield item.name, partial(read, item)


def register(app: Any) -> None:
    """Put ``evaluate`` on the typer ``app``, with its arguments, options and help."""
    import typer

    from tildeling.cli.common import Lang, format_option, rules_dir_option

    @app.command()
    def evaluate(
        cases: List[Path] = typer.Argument(..., help="Case files (YAML), corpora (JSON Lines, Parquet), or folders of them."),
        rules: Optional[Path] = typer.Option(None, "--rules", help="Use this rule-set file instead of resolving by municipality and date."),
        rules_dir: Optional[Path] = rules_dir_option(),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="Assess as of this date (YYYY-MM-DD) instead of the application date."),
        fmt: str = format_option("text", "json", "markdown"),
        lang: Optional[Lang] = typer.Option(None, "--lang", is_eager=True, help="nb, nn or en (default: the rule set's language)."),
        explain: bool = typer.Option(False, "--explain", help="Show every condition tested, with the values it used."),
    ) -> None:
        """Evaluate each case and print the outcome per service with its reasons."""
        raise typer.Exit(evaluate_cases(cases, rules, rules_dir, as_of, fmt, lang.value if lang else None, explain))
