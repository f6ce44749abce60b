"""Static types of facts, definitions and expressions.

The fact vocabulary declares a type for every fact (in Norwegian, as policy staff write
it: ``janei``, ``tall``, ``heltall``, ``iplos``, ``valg``, ``tekst``, ``dato``, ``liste``);
the type checker works with the :class:`Kind` behind it.

>>> Type.from_vocabulary("valg", values=["ingen", "lett"]).kind
<Kind.TEXT: 'text'>
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    BOOL = "bool"
    NUMBER = "number"
    IPLOS = "iplos"  # ordinal 1–5, plus 9 = not relevant
    TEXT = "text"
    DATE = "date"
    LIST = "list"  # list of text values

    def __str__(self) -> str:
        return self.value

    @property
    def catalogue_key(self) -> str:
        """The message-catalogue entry that names this kind to users («ja/nei», «tall» …)."""
        return f"kind.{self.value}"


# The words policy staff write in the vocabulary → kinds.
VOCABULARY_TYPES = {
    "janei": Kind.BOOL,
    "tall": Kind.NUMBER,
    "heltall": Kind.NUMBER,
    "iplos": Kind.IPLOS,
    "valg": Kind.TEXT,
    "tekst": Kind.TEXT,
    "dato": Kind.DATE,
    "liste": Kind.LIST,
    "historikk": Kind.LIST,  # a list of service ids whose entries may carry a result and a period
}

# Norwegian names of kinds, for messages.
KIND_LABELS = {
    "nb": {Kind.BOOL: "ja/nei", Kind.NUMBER: "tall", Kind.IPLOS: "IPLOS-skår",
           Kind.TEXT: "tekst", Kind.DATE: "dato", Kind.LIST: "liste"},
    "nn": {Kind.BOOL: "ja/nei", Kind.NUMBER: "tal", Kind.IPLOS: "IPLOS-skår",
           Kind.TEXT: "tekst", Kind.DATE: "dato", Kind.LIST: "liste"},
}

IPLOS_VALUES = (1, 2, 3, 4, 5, 9)
IPLOS_NOT_RELEVANT = 9


@dataclass(frozen=True, slots=True)
class Type:
    """A kind plus, where declared, its domain.

    ``values`` – the allowed text values (``valg``, and the items of a ``liste``);
    ``minimum``/``maximum`` – a numeric range; ``integer`` – whole numbers only;
    ``history`` – a ``historikk`` list (service ids; entries may be records).
    """

    kind: Kind
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    history: bool = False

    @staticmethod
    def from_vocabulary(name: str, values=None, minimum=None, maximum=None) -> "Type":
        kind = VOCABULARY_TYPES[name]
        if kind is Kind.IPLOS:
            return Type(Kind.IPLOS, minimum=1, maximum=9, integer=True)
        return Type(kind, tuple(values) if values else None, minimum, maximum, name == "heltall",
                    name == "historikk")

    def label(self, lang: str = "nb") -> str:
        return KIND_LABELS.get(lang, KIND_LABELS["nb"])[self.kind]


BOOL = Type(Kind.BOOL)
NUMBER = Type(Kind.NUMBER)
IPLOS = Type(Kind.IPLOS, minimum=1, maximum=9, integer=True)
TEXT = Type(Kind.TEXT)
DATE = Type(Kind.DATE)
LIST = Type(Kind.LIST)
