"""``tildeling validate``: rule sets and case files, every problem with file:line:column."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tildeling.cli.common import Format, Lang, _out, _usage, _yaml_files, app
from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError, RuleSetError, TildelingError, UsageError
from tildeling.engine import Engine
from tildeling.files.yamlload import read_text_limited
from tildeling.i18n.diagnostic_messages import render as render_message
from tildeling.reports.render import format_diagnostics, to_json
from tildeling.rules.cases import check_facts, load_case
from tildeling.rules.resolve import read_metadata, supersedes_problems


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
    named: list | None = None
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
            if named is None:  # the rule sets named on the command line count as catalogued too
                named = [e for e in map(read_metadata, files) if e is not None]
            diags.extend(supersedes_problems(engine.catalog() + named, f))
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
    try:  # a pipe or device is read once, by the loader, not here too
        head = read_text_limited(path)[:20000] if path.is_file() else ""
        data = yaml.safe_load(head) if len(head) < 20000 else None
    except (TildelingError, yaml.YAMLError, ValueError, OverflowError):  # bad dates, huge numbers
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
