"""JSON Schemas generated from the models (and, for cases, from the fact vocabulary).

``tildeling schemas`` writes them to ``schemas/``; a test fails when the committed files
are stale. Editors use them through the ``yaml-language-server`` line at the top of each
rule and case file.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import CaseFile, ParametersFile, RuleSetFile, StaircaseFile, VocabularyFile
from .outcome import CaseOutcome
from .vocabulary import Vocabulary
from .yamlload import load_yaml_file
from .modelcheck import validate_document

_BASE = "https://tildeling.no/schemas/"


def _schema(model, title: str, name: str) -> dict:
    s = model.model_json_schema(by_alias=True)
    s = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _BASE + name, "title": title, **s}
    return s


def build_schemas(vocabulary_path: Path) -> dict[str, dict]:
    doc = load_yaml_file(vocabulary_path)
    vmodel, diags = validate_document(doc, VocabularyFile)
    if vmodel is None:
        raise ValueError(f"ugyldig faktavokabular: {diags[0].message}")
    vocab = Vocabulary.from_model(vmodel)
    case = _schema(CaseFile, "Sak (tildeling)", "case.schema.json")
    case["properties"]["facts"] = vocab.json_schema_for_facts()
    case["properties"]["facts"]["description"] = (
        f"Opplysningene i saken, gruppert som i faktavokabularet «{vocab.id}» versjon {vocab.version}. "
        "Det som ikke er kartlagt, utelates (ukjent).")
    return {
        "rule-set.schema.json": _schema(RuleSetFile, "Regelsett (tildeling)", "rule-set.schema.json"),
        "case.schema.json": case,
        "outcome.schema.json": _schema(CaseOutcome, "Utfall av en sak (tildeling evaluate --format json)",
                                       "outcome.schema.json"),
        "vocabulary.schema.json": _schema(VocabularyFile, "Faktavokabular (tildeling)", "vocabulary.schema.json"),
        "staircase.schema.json": _schema(StaircaseFile, "Trapp (tildeling)", "staircase.schema.json"),
        "parameters.schema.json": _schema(ParametersFile, "Daterte parametere (tildeling)", "parameters.schema.json"),
    }


def dump(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out_dir: Path, vocabulary_path: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in build_schemas(vocabulary_path).items():
        p = out_dir / name
        p.write_text(dump(schema), encoding="utf-8")
        written.append(p)
    return written
