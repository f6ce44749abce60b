"""Listing rule sets reads only their headers and service ids (issue 9, item 6): the cheap
read must give exactly what parsing the whole file gives, and fall back to the whole file
whenever the layout is not the plain one it understands."""

from __future__ import annotations

import yaml
from helpers import ROOT

from tildeling.rules.resolve import _LOADER, _header

SHIPPED = sorted(p for d in ("rules", "tests/fixtures", "benchmarks") for p in (ROOT / d).rglob("*.yaml"))


def _full(text: str):
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None


def test_the_header_read_agrees_with_the_whole_file_wherever_it_applies():
    used = 0
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8")
        head = _header(text)
        if head is None:
            continue
        used += 1
        full = _full(text)
        assert isinstance(full, dict), path
        assert {k: v for k, v in head.items() if k != "services"} == \
            {k: v for k, v in full.items() if k != "services"}, path
        assert sorted(head["services"]) == sorted(map(str, full["services"])), path
    assert used >= 10  # every shipped rule set takes the cheap path


HEAD = "id: x\nvalid_from: 2020-01-01\n"


def test_other_layouts_fall_back_to_the_whole_file():
    assert _header(HEAD + "services: {a: {}}\n") is None  # flow style
    assert _header(HEAD + "services:\n  a: {}\nsupersedes: [y]\n") is None  # a top-level key after
    assert _header(HEAD + "services:\n  \"a b\": {}\n") is None  # a quoted key
    assert _header(HEAD + "services:\n  <<: *base\n") is None  # a merge key
    assert _header(HEAD + "services:\n\ta: {}\n") is None  # tabs
    assert _header("id: x\n") is None  # no services


def test_service_ids_are_the_keys_at_the_first_indentation_only():
    head = _header(HEAD + "# c\nservices:  # tjenestene\n  # kommentar\n  a:\n    decision: []\n"
                   "    parts:\n      b: {}\n  c_2: {}\n")
    assert head is not None and list(head["services"]) == ["a", "c_2"]
    assert head["id"] == "x"
