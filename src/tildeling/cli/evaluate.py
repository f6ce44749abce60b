"""``tildeling evaluate``: one or more cases, each under the rule set in force for it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from tildeling.cli.common import (
    Format,
    Lang,
    _err,
    _out,
    _parse_date,
    _usage,
    _yaml_files,
    app,
)
from tildeling.core.errors import CaseError, RuleSetError, UsageError
from tildeling.engine import Engine, evaluate_with
from tildeling.files.outcome import CaseOutcome
from tildeling.reports.render import format_diagnostics, to_json, to_markdown, to_text
from tildeling.rules.cases import load_case


@app.command()
def evaluate(
    cases: List[Path] = typer.Argument(..., help="Case files (YAML)."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Use this rule-set file instead of resolving by municipality and date."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (default: $TILDELING_RULES, ./rules, or the packaged ones)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Assess as of this date (YYYY-MM-DD) instead of the application date."),
    fmt: Format = typer.Option(Format.text, "--format", help="text, json or markdown."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="nb, nn or en (default: the rule set's language)."),
    explain: bool = typer.Option(False, "--explain", help="Show every condition tested, with the values it used."),
) -> None:
    """Evaluate each case and print the outcome per service with its reasons."""
    try:
        day = _parse_date(as_of)
        engine = Engine(rules_dir)
        files = _yaml_files(cases)
    except UsageError as exc:
        _usage(exc)
    results: list[CaseOutcome] = []
    labels: dict[str, str] = {}
    failed = False
    for f in files:
        try:
            case = load_case(f)
            crs, warnings = engine.choose(case, as_of=day, rules=rules, lang=(lang.value if lang else "nb"))
            outcome = evaluate_with(crs, case, as_of=day, lang=lang.value if lang else None, explain=explain,
                                    warnings=warnings)
            labels.update({p: i.label.get(outcome.language) for p, i in crs.ruleset.vocabulary.facts.items()})
            results.append(outcome)
        except UsageError as exc:
            _usage(exc)
        except (CaseError, RuleSetError) as exc:
            failed = True
            _err(f"{exc.message}\n{format_diagnostics(exc.diagnostics, lang.value if lang else 'nb')}")
    if fmt is Format.json:
        _out(to_json(results[0] if len(results) == 1 and len(files) == 1 else results) if results else "")
    elif fmt is Format.markdown:
        _out("\n---\n\n".join(to_markdown(o, fact_labels=labels) for o in results))
    else:
        interactive = sys.stdout.isatty()
        for i, o in enumerate(results):
            if i:
                _out("\n")
            if interactive:
                to_text(o, explain=explain, console=Console())
            else:
                _out(to_text(o, explain=explain))
    raise typer.Exit(1 if failed else 0)
