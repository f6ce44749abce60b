"""``tildeling rules`` and ``tildeling schemas``: the rule sets there are, and the JSON Schemas of the files."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tildeling.cli.common import Format, Lang, _out, _usage, app
from tildeling.core.errors import UsageError
from tildeling.engine import Engine
from tildeling.i18n.diagnostic_messages import phrase_n, render
from tildeling.reports.render import to_json


@app.command("rules")
def list_rules(
    rules_dir: Optional[Path] = typer.Option(None, "--rules-dir", help="Directory of rule sets (default: $TILDELING_RULES, ./rules, or the packaged ones)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text or json."),
    lang: Lang = typer.Option(Lang.nb, "--lang", help="nb, nn or en."),
) -> None:
    """List the rule sets found, with municipality, version and validity."""
    try:
        engine = Engine(rules_dir)
        entries = engine.catalog()
    except UsageError as exc:
        _usage(exc, lang.value)
    if fmt is Format.json:
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
        _out(render("schemas.wrote", "nb", {"path": str(p)}) + "\n")
