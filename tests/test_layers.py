"""The layers (docs/architecture.md). `lint-imports` (run by `make test`) checks which app imports
which; this test closes its loophole: an import of a luoshi module inside a function hides a cycle
instead of removing it, so there is none anywhere in src/. The one exception is Django's place for
wiring signals, `AppConfig.ready()` in an app's apps.py."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "luoshi"


def _is_luoshi(node) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "luoshi"
    return any(alias.name.split(".")[0] == "luoshi" for alias in node.names)


def _hidden_imports(path: Path, root: Path = SRC.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if path.name == "apps.py" and func.name == "ready":
            continue
        for node in ast.walk(func):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and _is_luoshi(node):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_it_finds_no_luoshi_import_inside_a_function():
    hidden = sorted({place for path in SRC.rglob("*.py") for place in _hidden_imports(path)})
    assert hidden == []


def test_it_sees_an_import_hidden_in_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import os\n\ndef f():\n    from luoshi.tasks import models\n    from . import sibling\n    import json\n")
    assert _hidden_imports(module, root=tmp_path) == ["module.py:4", "module.py:5"]
