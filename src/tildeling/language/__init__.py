"""Stage 2 — the expression language: grammar, parser to a frozen AST (``expressions``),
printer, types and type checking, functions, three-valued logic and a reference interpreter.
"""
