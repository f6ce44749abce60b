"""A large test corpus with broken files of every kind, generated at test time.

``build(root, copies)`` copies every case under ``cases/`` ``copies`` times with new ids and
adds one broken input of each kind in ``root/broken/``. The fake identity number
:data:`FAKE_ID` stands in wrong fields of two broken cases: it must appear in no output.

    python tests/corpus.py /tmp/corpus 10     # about 2,000 cases, for measuring
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKE_ID = "01017012345"  # shaped like a national identity number; not a real one

_GOOD = """id: {id}
municipality: Drammen
application_date: 2021-03-01
applied_for: [praktisk_bistand]
facts:
  funksjon: {{husarbeid: 4}}
"""

# name → (file text, the code each command must report for it)
BROKEN_TEXT: dict[str, tuple[str | bytes, str]] = {
    "syntaks.yaml": ("id: b-syntaks\nmunicipality: Drammen\napplied_for: [praktisk_bistand\n", "yaml-syntax"),
    "ukjent-nokkel.yaml": (_GOOD.format(id="b-ukjent") + "applicant: {}\n", "unknown-key"),
    "dato.yaml": (_GOOD.format(id="b-dato").replace("2021-03-01", "2021-02-30"), "invalid-date"),
    "type.yaml": (_GOOD.format(id="b-type").replace("husarbeid: 4", f"husarbeid: '{FAKE_ID}'"), "fact-value"),
    "liste.yaml": (_GOOD.format(id="b-liste") + f"  tjenester: {{forsøkt: [{FAKE_ID}x]}}\n", "fact-value"),
    "tom.yaml": ("", "empty-file"),
    "binaer.yaml": (b"\xff\xfe\x00id: \x80\x81\n", "file-encoding"),
    "ekstra.yml": (_GOOD.format(id="b-yml").replace("applied_for: [praktisk_bistand]\n", ""), "missing-key"),
    "regelsett.yaml": ((ROOT / "rules" / "drammen" / "drammen-2021.yaml").read_text(encoding="utf-8"),
                       "not-a-case"),
    "kommune.yaml": (_GOOD.format(id="b-kommune").replace("Drammen", "Gotham"), "unknown-municipality"),
    "forventning.yaml": (_GOOD.format(id="b-forventning") + "expect_by_rule_set:\n  finnes-ikke-2020:\n"
                         "    praktisk_bistand: {outcome: innvilget, why: Et regelsett som ikke finnes.}\n",
                         "unknown-rule-set"),
}
BROKEN_OTHER = {"lenke.yaml": "dangling-link", "mappe.yaml": "not-a-file", "loop-a.yaml": "link-loop",
                "loop-b.yaml": "link-loop"}


def _sources() -> list[Path]:
    """Every case under cases/ (the fagscenarier service map is not a case)."""
    return sorted(p for p in (ROOT / "cases").rglob("*.yaml") if p.name != "tjenester.yaml")


def build(root: Path, copies: int = 10) -> dict[str, str]:
    """Write the corpus under ``root``; returns {broken file path: expected code}."""
    sources = _sources()
    for k in range(copies):
        for src in sources:
            text = src.read_text(encoding="utf-8")
            text = re.sub(r"^id: *(\S+)", lambda m: f"id: {m.group(1)}-k{k}", text, count=1, flags=re.M)
            out = root / f"kopi-{k:02d}" / src.parent.name / src.name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    broken = root / "broken"
    broken.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (content, code) in BROKEN_TEXT.items():
        p = broken / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        expected[p.as_posix()] = code
    os.symlink(broken / "finnes-ikke.yaml", broken / "lenke.yaml")
    (broken / "mappe.yaml").mkdir()
    os.symlink(broken / "loop-b.yaml", broken / "loop-a.yaml")
    os.symlink(broken / "loop-a.yaml", broken / "loop-b.yaml")
    for name, code in BROKEN_OTHER.items():
        expected[(broken / name).as_posix()] = code
    return expected


def case_count(copies: int) -> int:
    return copies * len(_sources())


def application_count(copies: int) -> int:
    """The cases that apply for a service (an appeal-only case, with ``klage:`` and no
    ``applied_for``, has no service decisions and so no item in ``diff``)."""
    return copies * sum(1 for p in _sources() if re.search(r"^applied_for:", p.read_text(encoding="utf-8"), re.M))


if __name__ == "__main__":
    target = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    found = build(target, n)
    print(f"{case_count(n)} cases and {len(found)} broken inputs under {target}")
