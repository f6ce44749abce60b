"""tildeling — a rules engine for the allocation criteria of Norwegian municipal health and
care services: write criteria as versioned YAML, test them, explain each outcome with the law
it rests on, and compare rule sets over a corpus of cases.

>>> import tildeling
>>> tildeling.__version__
'0.1.0'
"""

__version__ = "0.1.0"
