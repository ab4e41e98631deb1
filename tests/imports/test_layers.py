"""Imports go one way: app/imports uses the record domains and app/core; nothing but the
API router and the models' registry imports app/imports."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ALLOWED_IMPORTERS = {"api.py", "models.py"}
# What app/imports may use: the core, the records it pushes, and what they stand on.
ALLOWED_DOMAINS = {
    "core",
    "auth",
    "imports",
    "agencies",
    "broadcasts",
    "media_products",
    "training_sessions",
    "figures",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "app" or name.startswith("app.")}


def test_nothing_imports_the_intake_but_the_api_and_the_models() -> None:
    offenders = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if "imports" not in path.relative_to(APP).parts[:1]
        and str(path.relative_to(APP)) not in ALLOWED_IMPORTERS
        and any(name.startswith("app.imports") for name in _imports(path))
    ]
    assert offenders == []


def test_the_intake_imports_only_downwards() -> None:
    used = {
        name.split(".")[1]
        for path in (APP / "imports").glob("*.py")
        for name in _imports(path)
        if name.count(".") >= 1
    }
    assert used <= ALLOWED_DOMAINS, used - ALLOWED_DOMAINS
