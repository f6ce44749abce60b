"""Parse expression text into the frozen AST of :mod:`tildeling.language.expressions`.

The grammar lives in ``grammar.lark`` (LALR, basic lexer). The :class:`lark.Lark` object is
built once, lazily, and cached. A :class:`lark.Transformer` turns the parse tree into our
own nodes; a ``lark.Tree`` never leaves this module.

Positions: with ``propagate_positions=True`` lark gives every tree 0-based character
offsets (``meta.start_pos``/``end_pos``). When the text is a
:class:`~tildeling.core.source.LocatedStr` (a string from a YAML file), the offsets are mapped
through :meth:`LocatedStr.position_of`, so spans are line/column *in the YAML file* — also
inside multi-line block scalars. For a plain ``str`` the file is ``"<uttrykk>"``.

Function names are resolved to their canonical name here (``snitt`` → ``mean``); an
unknown function name is kept as written and reported by the type checker
(``unknown-function``), as are wrong argument counts (``wrong-arity``).

>>> e = parse_expression("funksjon.husarbeid >= 3 og ikke søker.bor_alene")
>>> e == Binary("and", Binary(">=", Name("funksjon.husarbeid"), Literal(3)), Unary("not", Name("søker.bor_alene")))
True
>>> e.left.left.span
SourceSpan(file='<uttrykk>', line=1, column=1, end_line=1, end_column=19)
"""

from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import math
import re
from importlib import resources

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from tildeling.core.diagnostics import Diagnostic, from_phrase
from tildeling.core.errors import ExpressionError
from tildeling.core.source import LocatedStr, SourceSpan
from tildeling.i18n.diagnostic_messages import Either, Phrase, phrase
from tildeling.language.expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary
from tildeling.language.functions import canonical_name

MAX_LENGTH = 10_000
MAX_DEPTH = 64
MAX_NUMBER_LENGTH = 400
PLAIN_FILE = "<uttrykk>"

# Canonical spelling of every keyword (Norwegian spellings parse to the English ones).
KEYWORDS: dict[str, str] = {
    "if": "if", "hvis": "if", "then": "then", "så": "then", "else": "else", "ellers": "else",
    "or": "or", "eller": "or", "and": "and", "og": "and", "not": "not", "ikke": "not",
    "in": "in", "i": "in", "true": "true", "sann": "true", "false": "false", "usann": "false",
}

_PARSER: Lark | None = None


def _lark() -> Lark:
    global _PARSER
    if _PARSER is None:
        grammar = resources.files("tildeling.language").joinpath("grammar.lark").read_text(encoding="utf-8")
        _PARSER = Lark(grammar, parser="lalr", lexer="basic", propagate_positions=True,
                       maybe_placeholders=False, start="start")
    return _PARSER


# --- positions ---------------------------------------------------------------------------

class _Positions:
    """Maps 0-based offsets in the expression text to :class:`SourceSpan` s."""

    def __init__(self, text: str):
        self.text = text
        self.located = text if isinstance(text, LocatedStr) else None
        self.file = self.located.span.file if self.located is not None else PLAIN_FILE
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        if self.located is not None:
            return self.located.position_of(offset)
        offset = max(0, min(offset, len(self.text)))
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def span(self, start: int, end: int) -> SourceSpan:
        line, col = self.position(start)
        end_line, end_col = self.position(max(start, end))
        if (end_line, end_col) < (line, col):
            end_line, end_col = line, col
        return SourceSpan(self.file, line, col, end_line, end_col)


class _Problem(Exception):
    """A syntax problem found while transforming (bad date, bad escape, …)."""

    def __init__(self, message: Phrase, start: int, end: int, hint: Phrase | None = None):
        super().__init__(message.text("nb"))
        self.message, self.start, self.end, self.hint = message, start, end, hint


# --- transformer -------------------------------------------------------------------------

_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r"}
_UNICODE_ESCAPE = re.compile(r"\{([0-9a-fA-F]{1,6})\}")


def unescape_string(token: str, start: int = 0) -> str:
    """The value of a quoted string token (``"…"`` or ``'…'``)."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        if nxt == "u":
            m = _UNICODE_ESCAPE.match(body, i + 2)
            if m and int(m.group(1), 16) <= 0x10FFFF:
                out.append(chr(int(m.group(1), 16)))
                i = m.end()
                continue
        pos = start + 1 + i
        raise _Problem(phrase("parser.bad_escape", char=nxt), pos, pos + 2, Phrase("parser.bad_escape.hint"))
    return "".join(out)


class _ToAst(Transformer):
    """Parse tree → our AST. Every node gets a span from lark's positions."""

    def __init__(self, positions: _Positions):
        super().__init__(visit_tokens=False)
        self.pos = positions

    def _span(self, meta) -> SourceSpan | None:
        if getattr(meta, "empty", True):
            return None
        return self.pos.span(meta.start_pos, meta.end_pos)

    def _tspan(self, tok: Token) -> SourceSpan:
        return self.pos.span(tok.start_pos or 0, tok.end_pos or 0)  # lark sets both for our tokens

    @v_args(meta=True)
    def conditional(self, meta, children):
        cond, then, otherwise = children
        return Conditional(cond, then, otherwise, span=self._span(meta))

    @v_args(meta=True)
    def or_(self, meta, children):
        return Binary("or", children[0], children[1], span=self._span(meta))

    @v_args(meta=True)
    def and_(self, meta, children):
        return Binary("and", children[0], children[1], span=self._span(meta))

    @v_args(meta=True)
    def not_(self, meta, children):
        return Unary("not", children[0], span=self._span(meta))

    @v_args(meta=True)
    def compare(self, meta, children):
        left, op, right = children
        return Binary(str(op), left, right, span=self._span(meta))

    @v_args(meta=True)
    def in_(self, meta, children):
        return Binary("in", children[0], children[1], span=self._span(meta))

    @v_args(meta=True)
    def arith(self, meta, children):
        left, op, right = children
        return Binary(str(op), left, right, span=self._span(meta))

    @v_args(meta=True)
    def neg(self, meta, children):
        return Unary("-", children[1], span=self._span(meta))

    @v_args(meta=True)
    def number(self, meta, children):
        tok = children[0]
        text = str(tok)
        if len(text) > MAX_NUMBER_LENGTH:
            raise _Problem(Phrase("parser.too_many_digits"), tok.start_pos, tok.end_pos)
        value: int | float = float(text) if "." in text else int(text)
        if isinstance(value, float) and not math.isfinite(value):
            raise _Problem(Phrase("parser.number_too_large"), tok.start_pos, tok.end_pos)
        return Literal(value, span=self._tspan(tok))

    @v_args(meta=True)
    def string(self, meta, children):
        tok = children[0]
        return Literal(unescape_string(str(tok), tok.start_pos), span=self._tspan(tok))

    @v_args(meta=True)
    def date(self, meta, children):
        tok = children[0]
        try:
            value = _dt.date.fromisoformat(str(tok))
        except ValueError:
            raise _Problem(phrase("parser.bad_date", value=str(tok)), tok.start_pos, tok.end_pos,
                           Phrase("parser.bad_date.hint")) from None
        return Literal(value, span=self._tspan(tok))

    @v_args(meta=True)
    def true(self, meta, children):
        return Literal(True, span=self._span(meta))

    @v_args(meta=True)
    def false(self, meta, children):
        return Literal(False, span=self._span(meta))

    @staticmethod
    def _check_segments(tok: Token) -> None:
        offset = tok.start_pos or 0
        for segment in str(tok).split("."):
            if segment in KEYWORDS:
                raise _Problem(phrase("parser.reserved_word", word=segment),
                               offset, offset + len(segment), Phrase("parser.reserved_word.hint"))
            offset += len(segment) + 1

    @v_args(meta=True)
    def name(self, meta, children):
        tok = children[0]
        self._check_segments(tok)
        return Name(str(tok), span=self._tspan(tok))

    @v_args(meta=True)
    def call(self, meta, children):
        tok = children[0]
        args = tuple(c for c in children[1:] if not isinstance(c, Token))
        func = canonical_name(str(tok)) or str(tok)
        return Call(func, args, span=self._span(meta))

    def paren(self, children):
        return children[1]  # the span of the inner expression, without the parentheses

    @v_args(meta=True)
    def list(self, meta, children):
        items = tuple(c for c in children if not isinstance(c, Token))
        return ListLiteral(items, span=self._span(meta))


# --- limits ------------------------------------------------------------------------------

def _too_complex(positions: _Positions, message: Phrase, offset: int = 0) -> ExpressionError:
    diag = from_phrase("expression-too-complex", "error", message, positions.span(offset, offset + 1),
                       Phrase("parser.too_complex.hint"))
    return ExpressionError(diag.message, [diag])


def _tree_depth(tree: Tree) -> tuple[int, int]:
    """(depth, start offset of the deepest node), computed without recursion."""
    best, best_pos = 0, 0
    stack: list[tuple[Tree, int]] = [(tree, 0 if tree.data == "paren" else 1)]
    while stack:
        node, depth = stack.pop()
        if depth > best:
            best = depth
            best_pos = getattr(node.meta, "start_pos", 0) if not getattr(node.meta, "empty", True) else best_pos
        for child in node.children:
            if isinstance(child, Tree):  # parentheses are not an AST level
                stack.append((child, depth if child.data == "paren" else depth + 1))
    return best, best_pos


_BRACKETS = re.compile(r"\"(?:[^\"\\\n\r]|\\.)*\"|'(?:[^'\\\n\r]|\\.)*'|[()\[\]]")


def _bracket_depth(text: str) -> tuple[int, int]:
    depth = best = best_pos = 0
    for m in _BRACKETS.finditer(text):
        ch = m.group()
        if ch in "([":
            depth += 1
            if depth > best:
                best, best_pos = depth, m.start()
        elif ch in ")]":
            depth = max(0, depth - 1)
    return best, best_pos


# --- errors ------------------------------------------------------------------------------

_OPERAND_START = {"NUMBER", "STRING", "DATE", "NAME", "LPAR", "LSQB", "MINUS",
                  "_TRUE", "_SANN", "_FALSE", "_USANN", "_NOT", "_IKKE", "_IF", "_HVIS"}

_TOKEN_LABELS = {
    "NUMBER": "parser.token.number", "STRING": "parser.token.string", "DATE": "parser.token.date",
    "NAME": "parser.token.name",
}

_QUOTES_HINT = Phrase("parser.char.quotes")
_CHAR_HINTS: dict[str, Phrase] = {
    "&": Phrase("parser.char.and"),
    "|": Phrase("parser.char.or"),
    "!": Phrase("parser.char.not"),
    "≥": phrase("hint.did_you_mean", name=">="),
    "≤": phrase("hint.did_you_mean", name="<="),
    "≠": phrase("hint.did_you_mean", name="!="),
    "«": _QUOTES_HINT,
    "»": _QUOTES_HINT,
    "“": _QUOTES_HINT,
    "”": _QUOTES_HINT,
    "%": Phrase("parser.char.percent"),
    "#": Phrase("parser.char.hash"),
    ";": Phrase("parser.char.semicolon"),
}
_EXPECTED_OPERAND = Phrase("parser.expected_operand")


def _describe_expected(expected: set[str]) -> Phrase:
    if expected & {"NUMBER", "NAME", "STRING"}:
        return _EXPECTED_OPERAND
    if {"_THEN", "_SAA"} & expected:
        return Phrase("parser.expected_then")
    if {"_ELSE", "_ELLERS"} & expected:
        return Phrase("parser.expected_else")
    parts: list = []
    if "RPAR" in expected:
        parts.append("«)»")
    if "RSQB" in expected:
        parts.append("«]»")
    if "COMMA" in expected:
        parts.append("«,»")
    if expected & {"_AND", "_OG", "_OR", "_ELLER", "COMP_OP", "PLUS", "STAR"}:
        parts.insert(0, Phrase("parser.an_operator"))
    if "$END" in expected:
        parts.append(Phrase("parser.end_of_expression"))
    if not parts:
        return Phrase("parser.expected_other")
    return phrase("parser.expected", what=Either(tuple(parts)))


def _keyword_suggestion(word: str) -> str | None:
    low = word.lower()
    if low in KEYWORDS:
        return low
    if low in ("&&", "and", "og"):
        return "and"
    close = difflib.get_close_matches(low, list(KEYWORDS), n=1, cutoff=0.75)
    return close[0] if close else None


def _syntax_error(positions: _Positions, message: Phrase, start: int, end: int,
                  hint: Phrase | None) -> ExpressionError:
    diag = from_phrase("expression-syntax", "error", message, positions.span(start, end), hint)
    return ExpressionError(diag.message, [diag])


def _from_unexpected_characters(text: str, positions: _Positions, exc: UnexpectedCharacters) -> ExpressionError:
    pos = exc.pos_in_stream or 0  # set by lark for text input
    ch = text[pos] if pos < len(text) else ""
    nxt = text[pos + 1] if pos + 1 < len(text) else ""
    hint: Phrase | None = None
    end = pos + 1
    if ch == "=":
        if nxt in "<>" and nxt:
            hint, end = phrase("hint.did_you_mean", name=f"{nxt}="), pos + 2
            message = phrase("parser.bad_operator", op="=")
        else:
            hint = Phrase("parser.single_equals.hint")
            message = Phrase("parser.single_equals")
    elif ch in "&|":
        end = pos + 2 if nxt == ch else pos + 1
        message = phrase("parser.bad_operator", op=text[pos:end])
        hint = _CHAR_HINTS[ch]
    elif ch in ('"', "'"):
        m = re.compile(r"(?:[^%s\\\n\r]|\\.)*" % re.escape(ch)).match(text, pos + 1)
        stop = m.end() if m else pos + 1
        if stop < len(text) and text[stop] == "\\":
            message = Phrase("parser.escape_in_text")
            hint = Phrase("parser.escape_in_text.hint")
        else:
            message = Phrase("parser.unclosed_text")
            hint = phrase("parser.unclosed_text.hint", quote=ch)
    elif ch.isdigit():
        m = re.compile(r"[\w.,]+").match(text, pos)
        word = m.group() if m else ch
        end = pos + len(word)
        message = phrase("parser.bad_number", word=word)
        hint = Phrase("parser.bad_number.hint")
    elif ch == ".":
        message = phrase("parser.unexpected", value=".")
        hint = Phrase("parser.stray_dot.hint")
    else:
        message = phrase("parser.unexpected_char", char=ch)
        hint = _CHAR_HINTS.get(ch)
        if hint is None:
            hint = _describe_expected(set(exc.allowed or ())) if exc.allowed else None
    return _syntax_error(positions, message, pos, end, hint)


def _from_unexpected_token(text: str, positions: _Positions, exc: UnexpectedToken) -> ExpressionError:
    tok = exc.token
    try:
        expected = set(exc.accepts or exc.expected or ())  # accepts: exact, via the interactive parser
    except Exception:  # pragma: no cover - defensive: fall back to the LALR table
        expected = set(exc.expected or ())
    if tok.type == "$END":
        pos = len(text.rstrip())
        if not text.strip():
            return _syntax_error(positions, Phrase("parser.empty"), 0, 0, _EXPECTED_OPERAND)
        hint = _describe_expected(expected)
        if "RPAR" in expected and not expected & {"NUMBER", "NAME"}:
            hint = Phrase("parser.missing_paren.hint")
        return _syntax_error(positions, Phrase("parser.ends_early"), pos, pos, hint)
    start = tok.start_pos if tok.start_pos is not None else 0
    end = tok.end_pos if tok.end_pos is not None else start + 1
    value = str(tok)
    hint = _describe_expected(expected)
    operator_position = not (expected & {"NUMBER", "NAME", "STRING"})
    if tok.type == "COMP_OP" and expected & {"_AND", "_OG", "_OR", "_ELLER"}:
        return _syntax_error(positions, Phrase("parser.chained"), start, end, Phrase("parser.chained.hint"))
    if tok.type in ("_IN", "_I") and "_AND" in expected:
        return _syntax_error(positions, Phrase("parser.chained"), start, end, Phrase("parser.chained_in.hint"))
    if tok.type == "NAME":
        kw = _keyword_suggestion(value)
        if kw is not None and kw != value:
            hint = phrase("parser.keyword_case.hint" if kw in ("true", "false") else "hint.did_you_mean", name=kw)
        elif operator_position and "." not in value and value in ("AND", "OR", "NOT"):
            hint = phrase("hint.did_you_mean", name=value.lower())
        message = phrase("parser.unexpected_name", value=value)
        if operator_position and kw is None:
            message = phrase("parser.unexpected_name_operator", value=value)
        return _syntax_error(positions, message, start, end, hint)
    if tok.type == "COMMA" and "COMMA" not in expected:
        before = text[:start].rstrip()
        after = text[end:].lstrip()
        if before[-1:].isdigit() and after[:1].isdigit():
            hint = Phrase("parser.decimal_comma.hint")
    label = _TOKEN_LABELS.get(tok.type)
    if label is not None:
        message = phrase("parser.unexpected_token_operator" if operator_position else "parser.unexpected_token",
                         token=phrase(label, value=value))
    else:
        message = phrase("parser.unexpected", value=value)
    if tok.type.startswith("_") and value in KEYWORDS:
        message = phrase("parser.keyword_here", value=value)
    return _syntax_error(positions, message, start, end, hint)


# --- entry point -------------------------------------------------------------------------

def parse_expression(text: str) -> Expr:
    """Parse ``text`` (a ``str`` or a :class:`LocatedStr` from a YAML file).

    Raises :class:`ExpressionError` carrying exactly one diagnostic: ``expression-syntax``
    (with a Norwegian message and, where possible, a hint) or ``expression-too-complex``
    (longer than 10 000 characters or nested deeper than 64 levels).
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    positions = _Positions(text)
    plain = str(text)
    if len(plain) > MAX_LENGTH:
        raise _too_complex(positions, phrase("parser.too_long", length=len(plain), max=MAX_LENGTH), MAX_LENGTH)
    depth, where = _bracket_depth(plain)
    if depth > MAX_DEPTH:
        raise _too_complex(positions, phrase("parser.too_many_parentheses", max=MAX_DEPTH), where)
    try:
        tree = _lark().parse(plain)
    except UnexpectedCharacters as exc:
        raise _from_unexpected_characters(plain, positions, exc) from None
    except UnexpectedToken as exc:
        raise _from_unexpected_token(plain, positions, exc) from None
    except UnexpectedEOF:
        pos = len(plain.rstrip())
        raise _syntax_error(positions, Phrase("parser.ends_early"), pos, pos, _EXPECTED_OPERAND) from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        pos = getattr(exc, "pos_in_stream", 0) or 0
        raise _syntax_error(positions, Phrase("parser.invalid"), pos, pos + 1, None) from None
    depth, where = _tree_depth(tree)
    if depth > MAX_DEPTH:
        raise _too_complex(positions, phrase("parser.too_deep", depth=depth, max=MAX_DEPTH), where)
    try:
        return _ToAst(positions).transform(tree)
    except VisitError as exc:
        orig = exc.orig_exc
        if isinstance(orig, _Problem):
            raise _syntax_error(positions, orig.message, orig.start, orig.end, orig.hint) from None
        raise


def try_parse(text: str) -> tuple[Expr | None, list[Diagnostic]]:
    """``parse_expression`` that returns diagnostics instead of raising."""
    try:
        return parse_expression(text), []
    except ExpressionError as exc:
        return None, list(exc.diagnostics)
