"""``tildeling validate``: rule sets, shared files and case files, every problem with
file:line:column. What a file is, is told by its content (:mod:`tildeling.files.kind`).

Diagnostics about a case name the fact and the problem, never the value, and show no line
of the file; rule sets and shared files are not health data and show both."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Callable, List, Optional

import typer

from tildeling.cli.common import Lang, _finish, _out, _usage, app, format_option, rules_dir_option
from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError, RuleSetError, UsageError
from tildeling.core.source import SourceSpan
from tildeling.engine import Engine
from tildeling.files.discover import InputFailure, Tally, discover, name_of
from tildeling.files.kind import CASE, MODELS, RULESET, SHARED, FileKind, file_kind, kind_of_text
from tildeling.files.modelcheck import validate_document
from tildeling.files.yamlload import MAX_FILE_BYTES, YamlLoadError, load_yaml_file
from tildeling.i18n.diagnostic_messages import phrase_n
from tildeling.i18n.diagnostic_messages import render as render_message
from tildeling.reports.inputs import failure_json, failure_text
from tildeling.reports.render import to_json
from tildeling.files.model import VocabularyFile
from tildeling.rules.cases import check_facts, hide_values, load_case
from tildeling.rules.vocabulary import derivation_problems
from tildeling.rules.resolve import CatalogEntry, read_metadata, supersedes_problems


@app.command()
def validate(
    paths: List[Path] = typer.Argument(..., help="Rule-set, shared and case files, or directories of them."),
    rules_dir: Optional[Path] = rules_dir_option(),
    fmt: str = format_option("text", "json"),
    lang: Lang = typer.Option(Lang.nb, "--lang", is_eager=True, help="Language of the messages: nb, nn or en."),
) -> None:
    """Check rule sets and case files; report every problem with file:line:column."""
    try:
        engine = Engine(rules_dir)
    except UsageError as exc:
        _usage(exc, lang.value)
    found = discover(paths)
    named: list[CatalogEntry] | None = None

    def named_rule_sets() -> list[CatalogEntry]:
        """The rule sets named on the command line: they count as catalogued too (supersedes)."""
        nonlocal named
        if named is None:
            named = [e for e in map(read_metadata, found.files) if e is not None]
        return named

    checked: list[tuple[InputFailure, bool]] = [(f, False) for f in found.failures]
    for f in found.files:
        name = name_of(f)
        diags, private = check_file(engine, f, name, named_rule_sets)
        checked.append((InputFailure(name, tuple(sorted(diags, key=Diagnostic.sort_key))), private))
    checked.sort(key=lambda fp: fp[0].file)
    all_diags = [d for f, _ in checked for d in f.diagnostics]
    errors = sum(1 for d in all_diags if d.severity == "error")
    warnings = sum(1 for d in all_diags if d.severity == "warning")
    failed = sum(1 for f, _ in checked if any(d.severity == "error" for d in f.diagnostics))
    tally = Tally(done=len(checked) - failed, failed=failed)
    if fmt == "json":
        _out(to_json({"files": tally.read, **tally.to_json(), "errors": errors, "warnings": warnings,
                      "diagnostics": [j for f, _ in checked for j in failure_json(f, lang.value)]}))
        _finish(tally, lang.value)
    else:
        shown = [failure_text(f, lang.value, source=not private) for f, private in checked if f.diagnostics]
        if shown:
            _out("\n".join(shown) + "\n")
        _finish(tally, lang.value, to_stdout=True)
        _out(render_message("validate.summary", lang.value,
                            {"files": phrase_n("count.files_checked", tally.read),
                             "errors": phrase_n("count.errors", errors),
                             "warnings": phrase_n("count.warnings", warnings)}) + "\n")
    raise typer.Exit(1 if errors else 0)


def check_file(engine: Engine, path: Path, name: str,
               named: Callable[[], list[CatalogEntry]] = list) -> tuple[list[Diagnostic], bool]:
    """The diagnostics of one file, and whether they concern a case (health data). ``named``
    gives the rule sets named on the command line besides the catalogue (for ``supersedes``)."""
    try:
        doc = load_yaml_file(path, name)
    except YamlLoadError as exc:
        kind = _kind_of_unparsable(path)
        if kind.kind in (RULESET, *SHARED):
            return [exc.diagnostic], False
        return [hide_values(exc.diagnostic)], True
    kind = file_kind(doc.data)
    if kind.kind == RULESET:
        supersedes = supersedes_problems(engine.catalog() + named(), path, name)
        try:
            crs = engine.compiled(path)
        except RuleSetError as exc:
            return list(exc.diagnostics) + supersedes, False
        return list(crs.ruleset.warnings) + supersedes, False
    if kind.kind in SHARED:
        model, diags = validate_document(doc, MODELS[kind.kind])
        if isinstance(model, VocabularyFile):  # derivations are checked like conditions
            diags = list(diags) + derivation_problems(model)
        return diags, False
    if kind.kind == CASE:
        return _check_case(engine, path, name, doc), True
    start = SourceSpan(name, 1, 1, 1, 1)
    if doc.data is None:
        return [make("empty-file", "error", "filekind.empty_file", start)], True
    return [make("unknown-file-kind", "error", "filekind.unknown", start, reason=kind.reason,
                 hint_key="filekind.unknown.hint")], True


def _check_case(engine: Engine, path: Path, name: str, doc) -> list[Diagnostic]:
    try:
        case = load_case(path, display=name, doc=doc)
    except CaseError as exc:
        return list(exc.diagnostics)
    diags = engine.expectation_problems(case)
    try:
        crs, _ = engine.choose(case, check_services=False)
    except CaseError as exc:
        return diags + list(exc.diagnostics)
    except RuleSetError:
        return diags  # the rule set's own errors are reported when it is validated
    return diags + engine.service_problems(case, crs) + check_facts(case, crs.ruleset.vocabulary)


def _kind_of_unparsable(path: Path) -> FileKind:
    """Told from the text, for a regular file of allowed size only (never a pipe or a device)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return file_kind(None)
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return file_kind(None)
    if len(raw) > MAX_FILE_BYTES:
        return file_kind(None)
    return kind_of_text(raw.decode("utf-8", "replace"))
