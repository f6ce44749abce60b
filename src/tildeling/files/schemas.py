"""JSON Schemas generated from the models (and, for cases, from the fact vocabulary).

``tildeling schemas`` writes them to ``schemas/``; a test fails when the committed files
are stale. Editors use them through the ``yaml-language-server`` line at the top of each
rule and case file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tildeling.files.model import CaseFile, ParametersFile, RuleSetFile, StaircaseFile, VocabularyFile
from tildeling.files.outcome import json_schema as outcome_schema

_BASE = "https://tildeling.no/schemas/"


def _schema(model: type[BaseModel] | dict[str, Any], title: str, name: str) -> dict[str, Any]:
    s = model if isinstance(model, dict) else model.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _BASE + name, "title": title, **s}


def build_schemas(facts: dict[str, Any], vocabulary_id: str, vocabulary_version: str) -> dict[str, dict[str, Any]]:
    """The schemas by file name; ``facts`` is the JSON Schema of the case facts, made from the
    fact vocabulary (:meth:`tildeling.rules.vocabulary.Vocabulary.json_schema_for_facts`)."""
    case = _schema(CaseFile, "Sak (tildeling)", "case.schema.json")
    case["properties"]["facts"] = dict(facts)
    case["properties"]["facts"]["description"] = (
        f"Opplysningene i saken, gruppert som i faktavokabularet «{vocabulary_id}» versjon {vocabulary_version}. "
        "Det som ikke er kartlagt, utelates (ukjent).")
    case.setdefault("$defs", {})["en_av"] = {
        "type": "object", "additionalProperties": False, "required": ["en_av"],
        "description": "Faktumet har én av disse verdiene (docs/saksformat.md): {en_av: [lett, moderat]}.",
        "properties": {"en_av": {"type": "array", "minItems": 2, "uniqueItems": True}}}
    return {
        "rule-set.schema.json": _schema(RuleSetFile, "Regelsett (tildeling)", "rule-set.schema.json"),
        "case.schema.json": case,
        "outcome.schema.json": _schema(outcome_schema(), "Utfall av en sak (tildeling evaluate --format json)",
                                       "outcome.schema.json"),
        "vocabulary.schema.json": _schema(VocabularyFile, "Faktavokabular (tildeling)", "vocabulary.schema.json"),
        "staircase.schema.json": _schema(StaircaseFile, "Trapp (tildeling)", "staircase.schema.json"),
        "parameters.schema.json": _schema(ParametersFile, "Daterte parametere (tildeling)", "parameters.schema.json"),
    }


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out_dir: Path, schemas: dict[str, dict[str, Any]]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas.items():
        p = out_dir / name
        p.write_text(dump(schema), encoding="utf-8")
        written.append(p)
    return written
