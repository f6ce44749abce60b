"""Convert a corpus between its three forms: a folder of YAML case files, JSON Lines and
Parquet (``tildeling corpus convert``).

Every case is read and checked as a case file is (:func:`tildeling.corpus.read.load_source`)
and written as its record (:func:`tildeling.corpus.records.to_record`): everything a case
holds — facts, ``en_av``, histories, the long form of ``applied_for``, ``klage``, ``expect``,
``expect_by_rule_set``, ``known_deviation`` — goes across. The facts are not checked against a
rule set's vocabulary (that is the job of ``validate`` and ``evaluate``), so an unknown fact
is carried over as it is. A broken input is reported and left out; the others are written.
The same inputs give the same bytes.

YAML output is one file per case, named by its id (characters other than letters, digits,
``-``, ``_`` and ``.`` become ``_``; a name taken already gets ``-2``, ``-3`` …), in a folder
that must be new or empty.

>>> print(yaml_text({"id": "a", "application_date": "2021-03-01", "applied_for": ["bpa"],
...                  "facts": {"søker": {"alder": 80, "bor_alene": True}}}), end="")
id: a
application_date: 2021-03-01
applied_for: [bpa]
facts:
  søker: {alder: 80, bor_alene: true}
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from tildeling.core.errors import UsageError
from tildeling.corpus import jsonl, parquet
from tildeling.corpus.read import from_corpus, iter_sources, kind_of, load_source
from tildeling.corpus.records import to_record, typed
from tildeling.engine import input_failure
from tildeling.files.discover import InputFailure, Tally
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.rules.cases import SkippedInput

FORMATS = ("yaml", "jsonl", "parquet")


@dataclass
class Converted:
    """What a conversion did: every input counted once (``read = done + skipped + failed``)."""

    tally: Tally = field(default_factory=Tally)
    failures: list[InputFailure] = field(default_factory=list)
    skipped: list[SkippedInput] = field(default_factory=list)


def format_for(output: Path, to: str | None) -> str:
    """The format to write: ``to`` when given, else by the output's name (``.jsonl``,
    ``.parquet``; anything else is a folder of YAML files). Raises :class:`UsageError`."""
    if to is None:
        kind = kind_of(output)
        return kind if kind in FORMATS else "yaml"
    if to not in FORMATS:
        raise UsageError(keyed("error.unknown_format", format=to, formats=", ".join(FORMATS)))
    return to


def records(paths: Sequence[Path], done: Converted) -> Iterator[dict[str, Any]]:
    """The records of the cases under ``paths``, in order; failed and skipped inputs are
    recorded in ``done``."""
    for source in iter_sources(paths):
        done.tally.records = done.tally.records or from_corpus(source)
        if isinstance(source, InputFailure):
            done.failures.append(source)
            done.tally.failed += 1
            continue
        try:
            record = to_record(load_source(source))
        except SkippedInput as skip:
            done.skipped.append(skip)
            done.tally.skipped += 1
            continue
        except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
            done.failures.append(input_failure(source.name, exc))
            done.tally.failed += 1
            continue
        done.tally.done += 1
        yield record


def convert(paths: Sequence[Path], output: Path, to: str) -> Converted:
    """Write the cases under ``paths`` to ``output`` in the format ``to``."""
    done = Converted()
    if to == "jsonl":
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            jsonl.write_lines(records(paths, done), fh)
    elif to == "parquet":
        parquet.write_rows(records(paths, done), output)
    else:
        write_yaml_folder(records(paths, done), output)
    return done


def check_output(output: Path, to: str) -> None:
    """Refuse an output that cannot be written: a YAML folder that exists and is not empty,
    a file output that is a folder, a missing parent folder (:class:`UsageError`)."""
    if to == "yaml":
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            raise UsageError(keyed("corpus.output_not_empty", path=str(output)))
        return
    if to == "parquet" and importlib.util.find_spec("polars") is None:
        raise UsageError(keyed("corpus.needs_polars"))
    if output.is_dir():
        raise UsageError(keyed("corpus.output_is_folder", path=str(output)))
    if not output.parent.is_dir():
        raise UsageError(keyed("corpus.no_output_folder", path=str(output.parent)))


# --- YAML ------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    # Texts over several lines as a block (readable, and the same value read back).
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def yaml_text(record: dict[str, Any]) -> str:
    """A record as the text of a case file: keys in the record's order, small groups on one
    line (``søker: {alder: 84, bor_alene: true}``), dates unquoted; read back, the same case."""
    return yaml.dump(typed(record, None, []), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=100)


_UNSAFE = re.compile(r"[^\w.\-]")


def file_name(ident: Any, taken: set[str]) -> str:
    """A file name for the case ``ident``: its id made safe, unique among ``taken``."""
    base = _UNSAFE.sub("_", str(ident)).strip(".") or "sak"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return name + ".yaml"


def write_yaml_folder(recs: Iterator[dict[str, Any]], folder: Path) -> int:
    """One case file per record in ``folder`` (created); returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    n = 0
    for record in recs:
        path = folder / file_name(record.get("id"), taken)
        path.write_text(yaml_text(record), encoding="utf-8", newline="\n")
        n += 1
    return n


__all__ = ["FORMATS", "Converted", "check_output", "convert", "file_name", "format_for", "records",
           "write_yaml_folder", "yaml_text"]
