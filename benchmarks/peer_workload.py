"""The shared peer workload (``../shared/bench/peers/workload.json``) as a tildeling rule set.

The translation is mechanical: nothing here knows the rows of the workload, so a changed
workload.json gives a changed rule set. It writes three files into a directory of the caller's
choosing (a temporary one in the benchmark and the test):

- ``fakta.yaml``: one fact per workload fact, under its own name (``age``, ``dressing`` …),
  so that a peer case dict is a tildeling fact environment as it is. int → ``heltall`` with
  the workload's range, bool → ``janei``, enum → ``valg``.
- ``trapp.yaml``: a staircase with the steps the decision table uses (1 … highest step).
- ``regelsett.yaml``: the derived facts as ``definitions:`` (``mean`` → ``snitt``,
  ``count_ge`` → ``antall(x >= k, …)``); the first-hit decision table as the decision list
  of one service, ``vedtak`` (first rule that holds decides; the row's ``staircase_step`` is
  the leaf's ``step:``; granted → innvilget, partial → delvis_innvilget, denied → avslag);
  the collect flag table as one service per flag row (``flagg_F01`` …: the row's test, then
  ``else``), since a decision list is first-hit and every flag row must be tried on its own.

``peer_result`` maps the raw decisions back to the peers' result tuple
``(outcome, staircase_step, reasons)``, reasons = the decision row id (the leaf rule's id,
which is the row id) followed by the ids of the flag rows that hit, in table order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"  # holds the ``peers`` package; imported, never copied

OUTCOMES = {"granted": "innvilget", "partial": "delvis_innvilget", "denied": "avslag"}
BACK = {v: k for k, v in OUTCOMES.items()}
DECISION_SERVICE = "vedtak"
FLAG_PREFIX = "flagg_"
_COMPARE = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_LEGAL = ["lokal: peers/workload.json (syntetisk ytelsesmåling)"]


def import_peers():
    """Put ``<repo>/../shared/bench`` on sys.path and import the peers package from there."""
    if not (SHARED_BENCH / "peers" / "__init__.py").is_file():
        raise SystemExit(f"the peer benchmark package is missing: expected {SHARED_BENCH / 'peers'} "
                         "(the shared bench directory beside the repository)")
    if str(SHARED_BENCH) not in sys.path:
        sys.path.insert(0, str(SHARED_BENCH))
    import peers.cases
    import peers.engines
    return peers


def _literal(value) -> str:
    if isinstance(value, bool):
        return "sann" if value else "usann"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _test(field: str, op: str, operand) -> str:
    if op == "in":
        return f"{field} i [{', '.join(_literal(v) for v in operand)}]"
    if op == "eq" and isinstance(operand, bool):
        return field if operand else f"ikke {field}"
    return f"{field} {_COMPARE[op]} {_literal(operand)}"


def condition(when: dict) -> str | None:
    """A workload row's tests (AND of every test of every field) as one expression."""
    tests = [_test(field, op, operand) for field, ops in when.items() for op, operand in ops.items()]
    return " og ".join(tests) if tests else None


def _definition(spec: dict) -> str:
    if spec["op"] == "mean":
        return f"snitt({', '.join(spec['of'])})"
    if spec["op"] == "count_ge":
        tests = (f"{f} >= {spec['threshold']}" for f in spec["of"])
        return f"antall({', '.join(tests)})"
    raise ValueError(f"derived op {spec['op']!r} has no translation")


def vocabulary(workload: dict) -> dict:
    facts = {}
    for name, spec in workload["facts"].items():
        fact: dict = {"label": {"nb": name.replace("_", " ")}}
        if spec["type"] == "int":
            fact.update(type="heltall", range=[spec["min"], spec["max"]])
        elif spec["type"] == "bool":
            fact["type"] = "janei"
        elif spec["type"] == "enum":
            fact.update(type="valg", values=list(spec["values"]))
        else:
            raise ValueError(f"fact type {spec['type']!r} has no translation")
        facts[name] = fact
    return {"id": "peer-fakta", "version": "1", "facts": facts}


def staircase(workload: dict) -> dict:
    top = max(r["then"]["staircase_step"] for r in workload["decision_table"]["rules"])
    return {"id": "peer-trapp", "name": {"nb": "Trapp for ytelsesmålingen"},
            "steps": [{"step": s, "name": {"nb": f"Trinn {s}"}} for s in range(1, top + 1)]}


def _decision_list(rows: list[dict]) -> list[dict]:
    out = []
    for i, row in enumerate(rows):
        rule: dict = {"id": row["id"]}
        cond = condition(row["when"])
        if cond is None and i == len(rows) - 1:
            rule["else"] = True
        else:
            rule["when"] = cond or "sann"
        rule["outcome"] = OUTCOMES[row["then"]["outcome"]]
        rule["step"] = row["then"]["staircase_step"]
        rule["reason"] = {"nb": f"Rad {row['id']} i beslutningstabellen."}
        out.append(rule)
    return out


def ruleset(workload: dict) -> dict:
    services: dict = {DECISION_SERVICE: {
        "name": {"nb": "Vedtak (beslutningstabellen)"}, "legal_basis": list(_LEGAL), "step": None,
        "decision": _decision_list(workload["decision_table"]["rules"]),
    }}
    for row in workload["flag_table"]["rules"]:
        services[FLAG_PREFIX + row["id"]] = {
            "name": {"nb": f"Flagg {row['id']}"}, "legal_basis": list(_LEGAL), "step": None,
            "decision": [
                {"id": row["id"], "when": condition(row["when"]) or "sann", "outcome": "innvilget",
                 "reason": {"nb": f"Flaggrad {row['id']} slår til."}},
                {"id": f"{row['id']}-ikke", "else": True, "outcome": "avslag",
                 "reason": {"nb": f"Flaggrad {row['id']} slår ikke til."}},
            ]}
    return {
        "id": "peer-" + workload["name"].lower(), "municipality": "Ytelsesmåling", "version": "1",
        "valid_from": "2020-01-01", "status": "draft", "language": "nb",
        "uses": {"vocabulary": "fakta.yaml", "staircase": "trapp.yaml", "parameters": []},
        "definitions": {k: _definition(v) for k, v in workload["derived"].items()},
        "services": services,
    }


def write_ruleset(workload: dict, directory: Path) -> Path:
    """Write the rule set, vocabulary and staircase into ``directory``; the rule set's path."""
    import yaml
    directory = Path(directory)
    for name, doc in (("fakta.yaml", vocabulary(workload)), ("trapp.yaml", staircase(workload)),
                      ("regelsett.yaml", ruleset(workload))):
        (directory / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200),
                                      encoding="utf-8")
    return directory / "regelsett.yaml"


def services(workload: dict) -> tuple[str, ...]:
    """The services to decide per case: the decision, then one per flag row in table order."""
    return (DECISION_SERVICE,) + tuple(FLAG_PREFIX + r["id"] for r in workload["flag_table"]["rules"])


def peer_result(raws) -> tuple[str, int, tuple[str, ...]]:
    """Raw decisions (in ``services()`` order) → the peers' comparable result tuple."""
    head = raws[0]
    leaf = head.walk.leaf if head.walk is not None else None
    if leaf is None:
        return ("<undecided>", -1, ())
    flags = tuple(r.walk.leaf.id for r in raws[1:] if r.outcome == "innvilget")
    return (BACK[head.outcome], head.step, (leaf.id,) + flags)


def peer_record_result(records) -> tuple[str, int, tuple[str, ...]]:
    """One case's columnar records (``(service, outcome, step, amount, leaf id, initiative)``,
    in ``services()`` order) → the peers' comparable result tuple (as :func:`peer_result`)."""
    head = records[0]
    if head[4] is None:
        return ("<undecided>", -1, ())
    flags = tuple(r[4] for r in records[1:] if r[1] == "innvilget")
    return (BACK[head[1]], head[2], (head[4],) + flags)


def outcome_result(outcome) -> tuple[str, int, tuple[str, ...]]:
    """An explained outcome (CaseOutcome, decisions in ``services()`` order) → the same tuple
    as :func:`peer_result`: the explanation must say what the decisions say."""
    head = outcome.decisions[0]
    if not head.rule_path or head.outcome not in BACK:
        return ("<undecided>", -1, ())
    flags = tuple(d.rule_path[-1] for d in outcome.decisions[1:] if d.outcome == "innvilget")
    return (BACK[head.outcome], head.step, (head.rule_path[-1],) + flags)
