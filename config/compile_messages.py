"""Compile every French/English catalogue (.po to .mo) without GNU gettext.

`make` runs it at install, so a fresh machine needs no msgfmt. The .mo files are
build products and are not committed.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIRS = ["config", "carte", "participation", "budget", "cms"]


def compile_all(root: Path = ROOT) -> list[Path]:
    compiled = []
    for folder in CATALOGUE_DIRS:
        for po_path in sorted((root / folder).glob("**/locale/*/LC_MESSAGES/*.po")):
            catalogue = polib.pofile(str(po_path))
            mo_path = po_path.with_suffix(".mo")
            catalogue.save_as_mofile(str(mo_path))
            compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    paths = compile_all()
    sys.stdout.write(f"{len(paths)} catalogue(s) compiled.\n")
