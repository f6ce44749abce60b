"""The closed sets of values the file models use (outcomes, languages, layers …), without
pydantic: the evaluator and the outcome model need them on the cold path of ``tildeling
evaluate``, where the pydantic models of :mod:`tildeling.files.model` are not imported."""

from __future__ import annotations

from typing import Literal

OUTCOMES = ("innvilget", "delvis_innvilget", "avslag", "uavklart")
Outcome = Literal["innvilget", "delvis_innvilget", "avslag", "uavklart"]
Language = Literal["nb", "nn"]
Layer = Literal["lovkrav", "kommunalt"]
Addressee = Literal["søker", "pårørende"]
Initiative = Literal["søknad", "kommunen"]

__all__ = ["OUTCOMES", "Outcome", "Language", "Layer", "Addressee", "Initiative"]
