"""Shared helpers for the engine tests."""

from __future__ import annotations

import html.parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "rules" / "mini-2019.yaml"


def variant(tmp_path: Path, old: str, new: str, name: str = "mini-2019.yaml") -> Path:
    """A copy of the mini rule set with one text replacement, next to the fixture files."""
    text = MINI.read_text(encoding="utf-8")
    assert old in text, f"fixture has no {old!r}"
    out = tmp_path / name
    # Keep relative `uses:` paths valid by pointing them at the repository's shared files.
    text = text.replace(old, new, 1).replace("../../../rules/felles/", str(ROOT / "rules" / "felles") + "/")
    out.write_text(text, encoding="utf-8")
    return out


def line_col(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    idx = -1
    for _ in range(occurrence):
        idx = text.index(needle, idx + 1)
    line = text.count("\n", 0, idx) + 1
    col = idx - (text.rfind("\n", 0, idx) + 1) + 1
    return line, col


class HtmlChecker(html.parser.HTMLParser):
    """Tags opened and closed in order (void elements aside): ``problems`` and what is left on
    ``stack`` say where a page is not well formed; ``tags`` and ``attrs`` are everything seen."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line", "path", "circle"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.problems: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag):
        if tag in self.VOID and (not self.stack or self.stack[-1] != tag):
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()
