import gettext
import shutil

import pytest

from luoshi.core import messages


def test_it_has_english_for_every_translatable_string():
    if not shutil.which("xgettext"):
        pytest.fail("gettext (xgettext) is needed to check the catalogue: apt-get install gettext")
    missing = messages.missing_translations()
    assert missing == [], "run `make messages` and translate: " + "、".join(missing[:20])


def test_it_compiled_the_catalogue_it_ships():
    po = messages.parse_po(messages.PO.read_text())
    with open(messages.PO.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in po.items() if msgstr and compiled.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` to recompile: " + "、".join(stale[:10])


def test_it_parses_po_entries():
    text = 'msgid ""\nmsgstr "header"\n\nmsgid "甲"\nmsgstr "A"\n\n#, fuzzy\nmsgid "乙"\nmsgstr "B"\n\nmsgid "丙"\nmsgstr ""\n'
    assert messages.parse_po(text) == {"甲": "A", "乙": "", "丙": ""}
