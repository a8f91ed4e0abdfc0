"""Keep the English catalogue complete.

`python -m luoshi.core.messages` (behind `make messages`) extracts every translatable string into
src/luoshi/locale/en/LC_MESSAGES/django.po, keeping the translations already there, and compiles it.
`missing_translations()` extracts into a scratch copy and names the strings that have no English
yet; the test suite fails on any.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PO = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
IGNORE = ["static/*", "*/static/*", "tests/*", "*/management/commands/makemessages.py"]


def _run_makemessages(root: Path) -> None:
    args = [sys.executable, "-m", "luoshi", "makemessages", "-l", "en", "--no-obsolete", "--no-location", "--no-wrap"]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    env = {**os.environ, "DEBUG": "1", "LUOSHI_MESSAGES_ROOT": str(root)}
    subprocess.run(args, cwd=root, env=env, check=True, capture_output=True, text=True)


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file's text (plural entries keyed by their singular, with the first
    plural form; a fuzzy entry counts as untranslated)."""
    entries: dict[str, str] = {}
    for entry in polib.pofile(text):
        if entry.obsolete or not entry.msgid:
            continue
        translated = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        entries[entry.msgid] = "" if entry.fuzzy else translated
    return entries


def missing_translations() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "luoshi"
        shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
        _run_makemessages(copy)
        fresh = parse_po((copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    committed = parse_po(PO.read_text()) if PO.exists() else {}
    return sorted(msgid for msgid in fresh if not committed.get(msgid))


def main() -> None:
    _run_makemessages(PACKAGE_DIR)
    subprocess.run(
        [sys.executable, "-m", "luoshi", "compilemessages", "-l", "en"],
        cwd=PACKAGE_DIR, env={**os.environ, "DEBUG": "1"}, check=True,
    )
    missing = [m for m, s in parse_po(PO.read_text()).items() if not s]
    print(f"{PO}: {len(missing)} strings without English")
    for msgid in missing:
        print("  ", msgid.replace("\n", "\\n"))


if __name__ == "__main__":
    main()
