"""Stage 0 — what every stage shares: source positions (``source``), problems as data
(``diagnostics``), the registry of their stable codes (``codes``), the error root
(``errors``) and the range of numbers the engine computes with (``numbers``).
"""
