"""Write what ``tildeling evaluate`` prints for every case under ``cases/`` — text and JSON,
bokmål and nynorsk, stdout, stderr and exit code — into a folder, so that two versions (or
the rule-set cache off, cold and warm) can be compared byte for byte with ``diff -r``.

    python scripts/evaluate_outputs.py out/before --src /tmp/old/src      # another checkout
    python scripts/evaluate_outputs.py out/after --cache off|cold|warm    # this one
    diff -r out/before out/after

``--cache cold`` empties a fresh cache folder first; ``warm`` runs everything once to fill
it and then writes what the second run prints; ``off`` sets ``TILDELING_CACHE=0``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_all(out: Path, env: dict[str, str]) -> None:
    folders = sorted(p for p in (ROOT / "cases").iterdir() if p.is_dir())
    for folder in folders:
        for fmt in ("text", "json"):
            for lang in ("nb", "nn"):
                cmd = [sys.executable, "-m", "tildeling", "evaluate", str(folder.relative_to(ROOT)),
                       "--format", fmt, "--lang", lang]
                done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
                stem = out / f"{folder.name}.{fmt}.{lang}"
                stem.with_suffix(stem.suffix + ".out").write_bytes(done.stdout)
                stem.with_suffix(stem.suffix + ".err").write_bytes(done.stderr)
                stem.with_suffix(stem.suffix + ".rc").write_text(f"{done.returncode}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--src", help="import tildeling from this folder (another checkout's src/)")
    ap.add_argument("--cache", choices=("off", "cold", "warm"), default="cold")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(Path(args.src).resolve())
    folder = Path(tempfile.mkdtemp(prefix="tildeling-outputs-cache-"))
    env["TILDELING_CACHE_DIR"] = str(folder)
    if args.cache == "off":
        env["TILDELING_CACHE"] = "0"
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        if args.cache == "warm":
            run_all(args.out, env)  # fills the cache
        run_all(args.out, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
