"""The code's shape, checked: every module names its concern, model modules import only those
before them, no view imports another view module, migrations never import live code."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "negotiations"
# The order of models/__init__.py's docstring: each may import only those before it.
MODEL_ORDER = [
    "base",
    "facets",
    "sources",
    "retrievals",
    "people",
    "issues",
    "rounds",
    "citations",
    "quotes",
    "claims",
    "changes",
    "reviews",
    "checks",
]


def modules(folder=PACKAGE):
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def relative_imports(path):
    """The sibling modules ``path`` imports with ``from .x import`` or ``from . import x``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_opens_with_a_docstring_naming_its_concern(path):
    if path.name == "__init__.py" and not path.read_text().strip():
        return  # an empty package marker
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring and len(docstring.split()) >= 3, f"{path} has no opening docstring"


def test_model_modules_import_only_the_ones_before_them():
    assert set(MODEL_ORDER) == {p.stem for p in (PACKAGE / "models").glob("*.py")} - {"__init__"}
    for position, name in enumerate(MODEL_ORDER):
        imported = relative_imports(PACKAGE / "models" / f"{name}.py")
        later = imported & set(MODEL_ORDER[position:])
        assert not later, f"models/{name}.py imports {sorted(later)}, which come after it"


def test_no_view_module_imports_another():
    for path in (PACKAGE / "views").glob("*.py"):
        if path.name != "__init__.py":
            assert not relative_imports(path), f"{path.name} imports another view module"


def test_migrations_hold_literal_data_not_live_code():
    for path in (PACKAGE / "migrations").glob("0*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("negotiations"), path.name
                assert node.level == 0, path.name
