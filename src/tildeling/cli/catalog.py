"""``tildeling rules`` and ``tildeling schemas``: the rule sets there are, and the JSON Schemas of the files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tildeling.cli.common import Lang, _err, _error_line, _out, _usage, app, format_option, rules_dir_option
from tildeling.core.errors import RuleSetError, UsageError
from tildeling.engine import Engine
from tildeling.i18n.diagnostic_messages import phrase_n, render
from tildeling.i18n.messages import msg
from tildeling.reports.render import format_diagnostics, to_json


@app.command("rules")
def list_rules(
    rules_dir: Optional[Path] = rules_dir_option(),
    fmt: str = format_option("text", "json"),
    lang: Lang = typer.Option(Lang.nb, "--lang", is_eager=True, help="nb, nn or en."),
) -> None:
    """List the rule sets found, with municipality, version and validity."""
    try:
        engine = Engine(rules_dir)
        entries = engine.catalog()
    except UsageError as exc:
        _usage(exc, lang.value)
    if fmt == "json":
        _out(to_json([{"id": e.id, "version": e.version, "municipality": e.municipality,
                       "valid_from": e.valid_from.isoformat(),
                       "valid_to": e.valid_to.isoformat() if e.valid_to else None, "status": e.status,
                       "supersedes": list(e.supersedes), "language": e.language, "example": e.example,
                       "path": str(e.path)} for e in entries]))
        raise typer.Exit(0)
    ids = sorted({e.id for e in entries})
    _out(render("rules.header", lang.value, {"sets": phrase_n("count.rule_sets", len(ids)),
                                             "versions": phrase_n("count.versions", len(entries)),
                                             "dir": str(engine.directory)}) + "\n\n")
    width = max((len(e.id) for e in entries), default=10)
    for e in entries:
        sup = "  " + render("rules.supersedes", lang.value, {"ids": ", ".join(e.supersedes)}) if e.supersedes else ""
        tag = " " + render("rules.example", lang.value) if e.example else ""
        _out(f"{e.municipality:<12} {e.id:<{width}} {e.version:<8} {e.validity():<25} {e.status}{tag}{sup}\n")
    raise typer.Exit(0)


#: Where a rule-set directory keeps the fact vocabulary its rule sets share.
VOCABULARY_IN_RULES_DIR = Path("felles") / "fakta.yaml"


@app.command()
def schemas(
    output: Path = typer.Option(Path("schemas"), "--output", help="Directory to write the schemas to."),
    vocabulary: Optional[Path] = typer.Option(
        None, "--vocabulary",
        help="The fact vocabulary (default: felles/fakta.yaml in the rule-set directory: --rules-dir, "
             "$TILDELING_RULES, ./rules, or the packaged one)."),
    rules_dir: Optional[Path] = rules_dir_option(),
) -> None:
    """Write the JSON Schemas (rule set, case, outcome …) from the models and the vocabulary.

    Exit: 0 written; 1 the vocabulary is invalid or the schemas cannot be written; 2 usage error."""
    from tildeling.files.schemas import build_schemas, write_schemas
    from tildeling.files.yamlload import YamlLoadError
    from tildeling.rules.vocabulary import read_vocabulary
    try:
        path = vocabulary if vocabulary is not None else Engine(rules_dir).directory / VOCABULARY_IN_RULES_DIR
        if not path.is_file():
            raise UsageError(msg("schemas.no_vocabulary", path=str(path)))
    except UsageError as exc:
        _usage(exc)
    try:
        vocab = read_vocabulary(path)
    except YamlLoadError as exc:
        _err(format_diagnostics([exc.diagnostic]))
        raise typer.Exit(1)
    except RuleSetError as exc:
        _err(f"{_error_line(exc.message)}\n{format_diagnostics(exc.diagnostics)}")
        raise typer.Exit(1)
    try:
        written = write_schemas(output, build_schemas(vocab.json_schema_for_facts(), vocab.id, vocab.version))
    except OSError as exc:
        _err(_error_line(msg("cli.cannot_write", path=str(output), reason=exc.strerror or str(exc))))
        raise typer.Exit(1)
    for p in written:
        _out(msg("schemas.wrote", path=str(p)) + "\n")
