"""The committed JSON Schemas are generated from the models; stale files fail this test.
Regenerate with `tildeling schemas`."""

from __future__ import annotations

import json

from helpers import ROOT

from tildeling.files.schemas import build_schemas, dump
from tildeling.rules.vocabulary import read_vocabulary


def test_committed_schemas_are_up_to_date():
    vocab = read_vocabulary(ROOT / "rules" / "felles" / "fakta.yaml")
    built = build_schemas(vocab.json_schema_for_facts(), vocab.id, vocab.version)
    for name, schema in built.items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == dump(schema), f"schemas/{name} er utdatert: kjør `tildeling schemas`"


def test_case_schema_knows_the_vocabulary():
    schema = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    funksjon = schema["properties"]["facts"]["properties"]["funksjon"]["properties"]
    assert funksjon["husarbeid"]["anyOf"][0]["enum"] == [1, 2, 3, 4, 5, 9]
    assert funksjon["husarbeid"]["anyOf"][1] == {"$ref": "#/$defs/en_av"}  # {en_av: [2, 3]}
    assert schema["properties"]["facts"]["properties"]["funksjon"]["additionalProperties"] is False


def test_shipped_files_validate_against_schemas_and_point_at_them():
    import jsonschema
    import yaml
    case_schema = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    rule_schema = json.loads((ROOT / "schemas" / "rule-set.schema.json").read_text(encoding="utf-8"))
    validators = {}
    for name, schema in (("case", case_schema), ("rule", rule_schema)):
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)  # once, not per file (jsonschema.validate checks it on every call)
        validators[name] = cls(schema)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    checked = 0
    for path in sorted((ROOT / "cases").rglob("*.yaml")) + sorted((ROOT / "rules").rglob("*.yaml")):
        if path.name == "tjenester.yaml":  # the fagscenarier service map: not a case
            continue
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=loader)
        if path.parts[-3] == "cases" or "cases" in path.relative_to(ROOT).parts[:1]:
            assert text.startswith("# yaml-language-server: $schema=../../schemas/case.schema.json"), path
            validators["case"].validate(_jsonable(data))
            checked += 1
        elif isinstance(data, dict) and "services" in data:
            assert text.startswith("# yaml-language-server: $schema=../../schemas/rule-set.schema.json"), path
            validators["rule"].validate(_jsonable(data))
            checked += 1
    assert checked > 0


def _jsonable(x):
    import datetime as dt
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_jsonable(v) for v in x]
    if isinstance(x, dt.date):
        return x.isoformat()
    return x
