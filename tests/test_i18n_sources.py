"""Source checks for translatable strings that the catalogue would silently lose.

xgettext reads no f-string: a `gettext("…")` inside one, or a `gettext(f"…")`, never reaches the
catalogue, so the English page shows Chinese and the completeness test cannot notice.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "luoshi"
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop", "_lazy"}


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def hidden_messages(source: str) -> list[int]:
    """Line numbers of gettext calls that xgettext cannot see."""
    tree = ast.parse(source)
    lines: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in GETTEXT and any(isinstance(a, ast.JoinedStr) for a in node.args):
            lines.append(node.lineno)
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _name(inner) in GETTEXT:
                    lines.append(inner.lineno)
    return sorted(set(lines))


def test_it_finds_gettext_inside_and_around_f_strings():
    assert hidden_messages('x = f"{_(\'空\')} {n}"\n') == [1]
    assert hidden_messages('x = gettext(f"第{n}项")\n') == [1]
    assert hidden_messages('x = _("第%(n)s项") % {"n": n}\ny = f"{label}"\n') == []


def test_it_keeps_every_translatable_string_visible_to_the_catalogue():
    found = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if (lines := hidden_messages(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "gettext in or on an f-string (file: lines)"
