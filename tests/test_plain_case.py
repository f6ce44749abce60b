"""The plain case reader (files/plaincase.py) builds exactly what pydantic builds (in the
model's plain twin, files/plainmodel.py: same values, types, order and fields set), and
declines (``None``) whatever it does not handle, so that pydantic reports it as before."""

from __future__ import annotations

import copy
import datetime as _dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tildeling.files.model import CaseFile
from tildeling.files.plaincase import plain_case_model
from tildeling.files.yamlload import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = sorted((ROOT / "cases").rglob("*.yaml"))


def shape(value: Any) -> Any:
    """Everything about a value the code after reading could see: types, order, fields set."""
    if hasattr(value, "__pydantic_fields_set__"):  # a model or its plain twin: the same name
        return (type(value).__name__, [(k, shape(v)) for k, v in vars(value).items()],
                sorted(value.__pydantic_fields_set__), shape(value.__pydantic_extra__), value.__pydantic_private__)
    if isinstance(value, dict):
        return (type(value), [(shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value), [shape(v) for v in value])
    return (type(value), value, getattr(value, "span", None))


def pydantic_model(data: Any) -> CaseFile | None:
    try:
        return CaseFile.model_validate(data)
    except Exception:  # noqa: BLE001
        return None


def test_most_case_files_are_plain() -> None:
    plain = [p for p in CASE_FILES if plain_case_model(load_yaml_file(p).data) is not None]
    assert len(plain) >= 0.7 * len(CASE_FILES)
    assert ROOT / "cases/drammen/dr-001.yaml" in plain


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_model_as_pydantic(path: Path) -> None:
    data = load_yaml_file(path).data
    fast = plain_case_model(data)
    if fast is None:
        return
    assert type(fast).__module__ == "tildeling.files.plainmodel"
    full = pydantic_model(data)
    assert shape(fast) == shape(full)
    assert fast == full and fast.model_dump() == full.model_dump() and repr(fast) == repr(full)
    update = {"applied_for": ["bpa"]}
    assert shape(fast.model_copy(update=update)) == shape(full.model_copy(update=update))


# Variations of a plain case: each is either declined or read as pydantic reads it.
_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-3, 3, allow_nan=False),
                    st.sampled_from(["innvilget", "avslag", "lovkrav", "søker", "ab", "abcd", ""]),
                    st.dates(_dt.date(2018, 1, 1), _dt.date(2022, 1, 1)), st.lists(st.text(max_size=3), max_size=2),
                    st.dictionaries(st.sampled_from(["granted", "refused", "x"]), st.lists(st.text(max_size=2))))
_keys = st.sampled_from(["outcome", "step", "reasons", "missing", "alternatives", "amount", "decided_by",
                         "initiative", "why", "form", "parts", "applied_amount", "waiting_list", "vedtak",
                         "addressee", "klage", "unknown", "id", "municipality", "application_date",
                         "decision_date", "description", "applied_for", "facts", "known_deviation"])


def _base() -> dict:
    return load_yaml_file(ROOT / "cases/drammen/dr-001.yaml").data


@settings(max_examples=300, deadline=None)
@given(changes=st.lists(st.tuples(st.sampled_from(["top", "expect", "by_rule_set"]), _keys, _values), max_size=3),
       drop=st.lists(_keys, max_size=2))
def test_variations_agree_with_pydantic(changes: list, drop: list) -> None:
    data = copy.deepcopy(_base())
    for where, key, value in changes:
        target = {"top": data, "expect": data["expect"]["praktisk_bistand"],
                  "by_rule_set": data["expect_by_rule_set"]["drammen-2019"]["trygghetsalarm"]}[where]
        target[key] = value
    for key in drop:
        data.pop(key, None)
        data["expect"]["trygghetsalarm"].pop(key, None)
    fast = plain_case_model(data)
    if fast is not None:
        assert shape(fast) == shape(pydantic_model(data))
