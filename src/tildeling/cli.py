"""The command line: ``tildeling evaluate | validate | test | rules``.

Exit codes (contract): evaluate 0 evaluated / 1 invalid input / 2 usage error;
validate 0 all valid / 1 errors; test 0 all passed / 1 any failed; rules 0.
"""

from __future__ import annotations

import datetime as _dt
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from tildeling import __version__
from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError, RuleSetError, TildelingError, UsageError
from tildeling.engine import Engine, evaluate_with
from tildeling.i18n.diagnostic_messages import render as render_message
from tildeling.reports.render import format_diagnostics, to_json, to_markdown, to_text
from tildeling.rules.cases import check_facts, load_case

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="tildeling – allocation criteria for Norwegian municipal health and care services as rules "
                       "you can test, explain and compare. Output to users is Norwegian (--lang nb|nn).")


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class Lang(str, Enum):
    nb = "nb"
    nn = "nn"
    en = "en"


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
        raise UsageError(f"Ugyldig dato «{value}» for --as-of; skriv ÅÅÅÅ-MM-DD.") from None


def _yaml_files(paths: List[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.yaml") if q.is_file()))
        elif p.exists():
            out.append(p)
        else:
            raise UsageError(f"Fant ikke «{p}».")
    return out


def _usage(exc: UsageError) -> None:
    _err(f"feil: {exc.message}")
    raise typer.Exit(2)


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
    results: list[dict] = []
    labels: dict[str, str] = {}
    failed = False
    for f in files:
        try:
            case = load_case(f)
            crs, warnings = engine.choose(case, as_of=day, rules=rules, lang=(lang.value if lang else "nb"))
            outcome = evaluate_with(crs, case, as_of=day, lang=lang.value if lang else None, explain=explain,
                                    warnings=warnings)
            labels.update({p: i.label.get(outcome["language"]) for p, i in crs.ruleset.vocabulary.facts.items()})
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


@app.command()
def validate(
    paths: List[Path] = typer.Argument(..., help="Rule-set and case files, or directories of them."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (to check cases against)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="Language of the messages: nb, nn or en."),
) -> None:
    """Check rule sets and case files; report every problem with file:line:column."""
    try:
        files = _yaml_files(paths)
        engine = Engine(rules_dir)
    except UsageError as exc:
        _usage(exc)
    all_diags: list[Diagnostic] = []
    checked = 0
    for f in files:
        diags: list[Diagnostic] = []
        kind = _kind(f)
        if kind == "shared":
            continue
        checked += 1
        if kind == "ruleset":
            try:
                crs = engine.compiled(f)
                diags.extend(crs.ruleset.warnings)
            except RuleSetError as exc:
                diags.extend(exc.diagnostics)
        else:
            try:
                case = load_case(f)
                try:
                    crs, _ = engine.choose(case)
                    diags.extend(check_facts(case, crs.ruleset.vocabulary))
                    for rid in (case.model.expect_by_rule_set or {}):
                        if engine.by_id(rid) is None:
                            diags.append(make("unknown-rule-set", "error", "cli.unknown_rule_set",
                                              case.doc.span_for(("expect_by_rule_set", rid), key=True), id=rid))
                except RuleSetError:
                    pass  # reported when the rule set itself is validated
                except UsageError as exc:
                    _usage(exc)
            except CaseError as exc:
                diags.extend(exc.diagnostics)
        all_diags.extend(sorted(diags, key=Diagnostic.sort_key))
    errors = sum(1 for d in all_diags if d.severity == "error")
    warnings = sum(1 for d in all_diags if d.severity == "warning")
    if fmt is Format.json:
        _out(to_json({"files": checked, "errors": errors, "warnings": warnings,
                      "diagnostics": [d.to_json(lang.value) for d in all_diags]}))
    else:
        if all_diags:
            _out(format_diagnostics(all_diags, lang.value) + "\n")
        _out(render_message("validate.summary", lang.value,
                            {"files": checked, "errors": errors, "warnings": warnings}) + "\n")
    raise typer.Exit(1 if errors else 0)


def _kind(path: Path) -> str:
    """``ruleset``, ``case`` or ``shared`` (vocabulary, staircase, parameters), by content."""
    import yaml
    try:
        head = path.read_text(encoding="utf-8")[:20000]
        data = yaml.safe_load(head) if len(head) < 20000 else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if isinstance(data, dict):
        if "services" in data or "uses" in data:
            return "ruleset"
        if "applied_for" in data or "application_date" in data:
            return "case"
        if "steps" in data or "parameters" in data or ("facts" in data and "groups" in data):
            return "shared"  # staircase, dated parameters, fact vocabulary
    # Unparseable or unrecognised: judge by location.
    return "ruleset" if "rules" in path.parts else "case"


@app.command()
def test(
    paths: Optional[List[Path]] = typer.Argument(None, help="Case files or directories (default: cases/)."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (default: $TILDELING_RULES, ./rules, or the packaged ones)."),
    coverage: bool = typer.Option(False, "--coverage", help="Report branches, outcomes and steps that no case reaches."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every passing case too."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en (the language of the report)."),
) -> None:
    """Run the cases that carry expect: against their rule sets. Last line: «N passed, N failed»."""
    from tildeling.ruletest.runner import format_report, run_cases
    try:
        engine = Engine(rules_dir)
        files = _yaml_files(paths or [Path("cases")])
    except UsageError as exc:
        _usage(exc)
    report = run_cases(engine, files, lang.value)
    _out(format_report(report, coverage=coverage, verbose=verbose, engine=engine, lang=lang.value))
    raise typer.Exit(0 if report.failed == 0 else 1)


@app.command("rules")
def list_rules(
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (default: $TILDELING_RULES, ./rules, or the packaged ones)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
) -> None:
    """List the rule sets found, with municipality, version and validity."""
    try:
        engine = Engine(rules_dir)
        entries = engine.catalog()
    except UsageError as exc:
        _usage(exc)
    if fmt is Format.json:
        _out(to_json([{"id": e.id, "version": e.version, "municipality": e.municipality,
                       "valid_from": e.valid_from.isoformat(),
                       "valid_to": e.valid_to.isoformat() if e.valid_to else None, "status": e.status,
                       "supersedes": list(e.supersedes), "language": e.language, "example": e.example,
                       "path": str(e.path)} for e in entries]))
        raise typer.Exit(0)
    ids = sorted({e.id for e in entries})
    _out(f"{len(ids)} regelsett ({len(entries)} versjoner) i {engine.directory}\n\n")
    width = max((len(e.id) for e in entries), default=10)
    for e in entries:
        sup = f"  erstatter {', '.join(e.supersedes)}" if e.supersedes else ""
        tag = " (eksempel)" if e.example else ""
        _out(f"{e.municipality:<12} {e.id:<{width}} {e.version:<8} {e.validity():<25} {e.status}{tag}{sup}\n")
    raise typer.Exit(0)




@app.command("diff")
def diff_command(
    old: str = typer.Argument(..., metavar="OLD",
                              help="Old rule set: a file, a rule-set id, or «auto» (the one each case resolves to)."),
    new: str = typer.Argument(..., metavar="NEW", help="New rule set: a file, a rule-set id, or «auto»."),
    more_cases: Optional[List[Path]] = typer.Argument(None, metavar="PATH", show_default=False,
                                                      help="More case files or directories (--cases a b c)."),
    cases: List[Path] = typer.Option(..., "--cases", help="Case files or directories (may be repeated)."),
    fmt: str = typer.Option("text", "--format", help="text, json, csv, markdown or html."),
    output: Optional[Path] = typer.Option(None, "--output", help="Write the report to this file instead of stdout."),
    fail_on_change: bool = typer.Option(False, "--fail-on-change", help="Exit 1 when any outcome changed."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (for ids)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Assess every case as of this date (YYYY-MM-DD)."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en."),
    show_facts: bool = typer.Option(False, "--show-facts", help="Include fact values (health data) in the report."),
) -> None:
    """Evaluate the cases under two rule sets and report what changes, and why.

    Exit: 0 done (1 with --fail-on-change when anything changed); 1 invalid input; 2 usage error."""
    from tildeling.compare.diff import collect_files, parse_spec, run_diff
    from tildeling.reports.diff_report import FORMATS, render
    try:
        if fmt not in FORMATS:
            raise UsageError(f"Ukjent format «{fmt}»; bruk {', '.join(FORMATS)}.")
        day = _parse_date(as_of)
        engine = Engine(rules_dir)
        files = collect_files(list(cases) + list(more_cases or []))
        old_spec, new_spec = parse_spec(engine, old), parse_spec(engine, new)
    except UsageError as exc:
        _usage(exc)
    try:
        report = run_diff(engine, old_spec, new_spec, files, as_of=day, lang=lang.value, show_facts=show_facts)
    except UsageError as exc:
        _usage(exc)
    except RuleSetError as exc:
        _err(f"feil: {exc.message}\n{format_diagnostics(exc.diagnostics)}")
        raise typer.Exit(1)
    text = render(report, fmt)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            _err(f"feil: kunne ikke skrive «{output}»: {exc.strerror}")
            raise typer.Exit(1)
    else:
        _out(text)
    for e in report.errors:
        where = e["file"] + (f":{e['line']}:{e['column']}" if e.get("line") else "")
        _err(f"{where}: feil[{e['code']}]: {e['message']}")
    if report.errors:
        raise typer.Exit(1)
    raise typer.Exit(1 if fail_on_change and report.changes else 0)


@app.command(hidden=False)
def schemas(
    output: Path = typer.Option(Path("schemas"), "--output", help="Directory to write the schemas to."),
    vocabulary: Path = typer.Option(Path("rules/felles/fakta.yaml"), "--vocabulary", help="The fact vocabulary."),
) -> None:
    """Write the JSON Schemas (rule set, case, outcome …) from the models and the vocabulary."""
    from tildeling.files.schemas import build_schemas, write_schemas
    from tildeling.rules.vocabulary import read_vocabulary
    vocab = read_vocabulary(vocabulary)
    for p in write_schemas(output, build_schemas(vocab.json_schema_for_facts(), vocab.id, vocab.version)):
        _out(f"skrev {p}\n")


def version_callback(value: bool) -> None:
    if value:
        _out(f"tildeling {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="Show the version.")) -> None:
    pass


def main() -> None:
    try:
        app()
    except TildelingError as exc:  # a bug if it gets here; still no traceback for users
        _err(f"feil: {exc.message}")
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
