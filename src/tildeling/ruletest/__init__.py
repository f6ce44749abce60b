"""Stage 8 — rule tests: the runner behind ``tildeling test`` and the opt-in pytest plugin.
"""
