"""Stage 1 — files: safe YAML with positions and limits (``yamlload``), the pydantic models of
rule, case and shared files (``model``, ``modelcheck``), what kind a file is by its keys
(``kind``), which files a set of paths names (``discover``), the typed outcome (``outcome``)
and the JSON Schemas (``schemas``).
"""
