"""Update the site catalogues from the templates: python scripts/catalogues.py [--check]

Extracts every interface text of handbook/templates/ into handbook/locale/site.pot, then brings each
language's handbook/locale/<lang>/LC_MESSAGES/site.po up to date: new texts are added (untranslated),
texts no template uses any more are marked obsolete, translations are kept. With --check, changes
nothing and exits 1 if a catalogue is out of date (the tests run the same check).
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook import catalogues  # noqa: E402


def main(argv: list[str]) -> int:
    stale = catalogues.update(write="--check" not in argv)
    if stale and "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python scripts/catalogues.py", file=sys.stderr)
        return 1
    for path in stale:
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
