"""Stage 4 — deciding: the compiler turns a checked rule set into a plan (``plan``) of
generated functions (``codegen``); the walker decides a case with three-valued logic, records a
trace on request and finds the facts that would settle an unknown (``blame``).
"""
