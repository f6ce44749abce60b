"""The project documents its own contracts: every command, option and JSON key is in docs/,
every link in the README and docs/ resolves, and the licence matches pyproject.toml."""

from __future__ import annotations

import re
import dataclasses
import tomllib
import typing

import pydantic

import typer
from helpers import ROOT

from tildeling.cli import app
from tildeling.files.outcome import CaseOutcome

DOCS = ROOT / "docs"
CLI_DOC = (DOCS / "kommandolinje.md").read_text(encoding="utf-8")
JSON_DOC = (DOCS / "json-utfall.md").read_text(encoding="utf-8")


def _markdown_files():
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def test_every_relative_link_resolves_and_nothing_points_at_design_md():
    for md in _markdown_files():
        text = md.read_text(encoding="utf-8")
        assert "DESIGN.md" not in text, md
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if "://" in target:
                continue
            assert (md.parent / target).exists(), f"{md.name}: {target}"


def test_every_command_and_option_is_documented():
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        assert f"## `tildeling {name}`" in CLI_DOC, name
        section = CLI_DOC.split(f"## `tildeling {name}`", 1)[1].split("\n## ", 1)[0]
        for param in sub.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in section, f"{name} {opt}"


def test_the_format_table_matches_what_each_command_accepts():
    from tildeling.reports.diff_report import FORMATS
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        row = re.search(rf"^\| `{name}` \| (.*?) \|", CLI_DOC, re.M)
        assert row, name
        fmt = next((p for p in sub.params if "--format" in p.opts), None)
        documented = re.findall(r"`(\w+)`", row.group(1))
        if fmt is None:
            assert documented == [], name
        elif name == "diff":
            assert documented == list(FORMATS)
        else:
            assert fmt.metavar == "[" + "|".join(documented) + "]", name


def test_every_key_of_the_outcome_model_is_documented():
    found: set[str] = set()
    todo, seen = [CaseOutcome], set()
    while todo:
        model = todo.pop()
        # files/outcome.py imports pydantic's Field only for type checking (cold start); name it here
        for name, annotation in typing.get_type_hints(model, localns={"Field": pydantic.Field}).items():
            found.add(name)
            todo.extend(m for m in _models(annotation) if m not in seen and not seen.add(m))
    assert {"case", "decisions", "reasons", "tried", "components", "unit", "sha256"} <= found  # it walks the tree
    assert sorted(k for k in found if f"`{k}`" not in JSON_DOC) == []


def _models(annotation):
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _models(arg)


def test_licence_file_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n") and "Copyright (c) 2026" in licence
