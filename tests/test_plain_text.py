"""The plain console (reports/plaintext.py) prints what rich prints without colour or
wrapping, and its escape is rich's."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.markup import escape as rich_escape

from tildeling.reports.plaintext import PlainConsole, escape
from tildeling.reports.render import _rich_console

_pieces = st.one_of(st.text(max_size=6), st.sampled_from(
    ["[bold]", "[/bold]", "[/]", "[yellow]", "[/yellow]", "[bold green]", "[/bold green]", "[dim]", "[/dim]",
     "[magenta]", "[/magenta]", "\\[bold]", "\\\\[dim]", "\\", "[", "]", "[x=1]", "[@click]", "[#ff0000]",
     "[Bold]", "[/BOLD]", "\t", "\r", "\n", "\x07", "■ ", "«»", "  ", "[link https://x]", "[/link]"]))


def rich_output(markup: str) -> str | Exception:
    buf = io.StringIO()
    try:
        _rich_console(buf).print(markup)
    except Exception as exc:  # noqa: BLE001 - a markup error is an outcome too
        return exc
    return buf.getvalue()


def plain_output(markup: str) -> str | Exception:
    buf = io.StringIO()
    try:
        PlainConsole(buf).print(markup)
    except Exception as exc:  # noqa: BLE001
        return exc
    return buf.getvalue()


@settings(max_examples=600, deadline=None)
@given(st.lists(_pieces, max_size=8))
def test_same_as_rich(pieces: list[str]) -> None:
    markup = "".join(pieces)
    want, got = rich_output(markup), plain_output(markup)
    if isinstance(want, Exception):
        assert type(got) is type(want)
    else:
        assert got == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=5), st.sampled_from(["[", "]", "\\", "[bold]", "[/]", "\\["])), max_size=6))
def test_escape_is_richs(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert escape(text) == rich_escape(text)
    assert plain_output(escape(text)) == rich_output(escape(text))


def test_empty_line() -> None:
    assert plain_output("") == rich_output("") == "\n"
