"""Corpora of cases as data: which cases a set of paths holds (folders of YAML case files,
JSON Lines, Parquet), read one at a time so a run over a population never holds it all."""
