"""Stage 6 — comparing rule sets over a corpus of cases (``diff``).
"""
