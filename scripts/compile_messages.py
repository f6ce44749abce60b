"""Compile the translators' .po files to the .mo files tildeling reads at run time.

    python scripts/compile_messages.py          # refresh the «nb:» notes, write stale .mo files
    python scripts/compile_messages.py --check  # change nothing; exit 1 if anything is stale
    python scripts/compile_messages.py --add KEY NB NN EN            # a new message in all three files
    python scripts/compile_messages.py --add KEY NB NN EN --plural   # texts as "one | other"

Needs Babel (in the test extra). The bokmål file (nb) is the source of the keys: in the
nynorsk and English files every entry carries the bokmål text as an extracted comment
(``#. nb: …``) for the translator, and this script keeps those notes in step with nb.
A ``.mo`` file is rewritten only when its messages differ from the ``.po`` file, so the
committed files do not change with the Babel version.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "tildeling" / "i18n" / "locale"
LANGUAGES = ("nb", "nn", "en")
SOURCE = "nb"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "tildeling.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def read_catalog(path: Path, lang: str) -> Catalog:
    with open(path, "rb") as fp:
        return read_po(fp, locale=lang, domain="tildeling")


def contents(catalog: Catalog) -> tuple:
    """What a compiled catalogue says: its plural rule and every translated message."""
    msgs = sorted((_key(m.id), m.string) for m in catalog
                  if m.id and m.string and not m.fuzzy and (not isinstance(m.string, tuple) or all(m.string)))
    return catalog.plural_forms, [(i, tuple(s) if isinstance(s, (tuple, list)) else s) for i, s in msgs]


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _note(source: Catalog, msgid) -> list[str]:
    m = source.get(msgid)
    if m is None or not m.string:
        return []
    text = " | ".join(m.string) if isinstance(m.string, (tuple, list)) else m.string
    return [f"nb: {line}" for line in text.split("\n")]


def run(check: bool = False) -> list[str]:
    """Bring notes and .mo files up to date (or, with ``check``, only report); returns what was stale."""
    stale: list[str] = []
    source = read_catalog(po_path(SOURCE), SOURCE)
    for lang in LANGUAGES:
        po = po_path(lang)
        catalog = source if lang == SOURCE else read_catalog(po, lang)
        if lang != SOURCE:
            changed = False
            for m in catalog:
                if m.id and " ".join(m.auto_comments).split() != " ".join(_note(source, m.id)).split():
                    m.auto_comments = _note(source, m.id)
                    changed = True
            if changed:
                stale.append(f"{po.relative_to(LOCALE_DIR.parent)}: the «nb:» notes differ from the bokmål texts")
                if not check:
                    with open(po, "wb") as fp:
                        write_po(fp, catalog, width=76, include_previous=False)
        mo = mo_path(lang)
        current = None
        if mo.exists():
            with open(mo, "rb") as fp:
                current = contents(read_mo(fp))
        if current != contents(catalog):
            stale.append(f"{mo.relative_to(LOCALE_DIR.parent)}: not compiled from the current .po file")
            if not check:
                mo.write_bytes(mo_bytes(catalog))
    return stale


def add_message(key: str, texts: dict[str, str], plural: bool = False) -> None:
    """Add (or replace) ``key`` in every language's .po file; with ``plural`` each text is
    ``"one | other"``. Run :func:`run` afterwards to compile."""
    from babel.messages.catalog import Message
    for lang in LANGUAGES:
        catalog = read_catalog(po_path(lang), lang)
        text = texts[lang]
        string = tuple(t.strip() for t in text.split(" | ")) if plural else text
        if plural and len(string) != catalog.num_plurals:
            raise SystemExit(f"{lang}: {catalog.num_plurals} plural forms needed, got {len(string)}")
        old = catalog.get(key)
        comments = old.user_comments if old is not None else []
        if old is not None:
            del catalog[key]
        msgid = (key, key) if plural else key
        catalog[msgid] = Message(msgid, string, user_comments=comments)
        with open(po_path(lang), "wb") as fp:
            write_po(fp, catalog, width=76, include_previous=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 when a file is stale")
    ap.add_argument("--add", nargs=4, metavar=("KEY", "NB", "NN", "EN"), help="add a message in all three languages")
    ap.add_argument("--plural", action="store_true", help="with --add: each text is «one | other»")
    args = ap.parse_args(argv)
    if args.add:
        key, *texts = args.add
        add_message(key, dict(zip(LANGUAGES, texts)), args.plural)
    stale = run(check=args.check)
    for s in stale:
        print(("stale: " if args.check else "updated: ") + s)
    if not stale:
        print("up to date")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
