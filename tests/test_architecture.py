"""The layers of app/ and the one direction of its imports (docs/architecture.md).

Every import counts, at the top of a module or inside a function: an import placed in a
function to dodge a cycle is still an arrow. Four rules:
- app/core imports nothing else from app;
- a package imports only from its own layer or the layers below it;
- no module reaches itself again through its imports (no cycle);
- no package does either: within a layer the packages are ordered too.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# Top to bottom; a top-level module of app/ is named by its file's stem.
LAYERS: list[set[str]] = [
    {"main", "cli", "first_run", "listeners", "api", "models", "seed"},
    {"reports", "budget", "pages", "feeds", "imports"},
    {"status"},
    # The plan and its catalogue: a task's progress cites records as its evidence; section
    # V duties sit beside the tasks, their progress citing the same evidence.
    {"plans", "indicators", "duties"},
    {"broadcasts", "media_products", "channels", "training_sessions", "figures"},
    {"agencies", "auth", "audit", "vocabularies"},
    {"core"},
]
LAYER_OF = {name: depth for depth, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in APP.rglob("*.py")}


def _imported(path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """The app modules a file imports (``from app.x import y`` names the module app.x.y
    when y is a module, else app.x)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in modules
                else node.module
                for alias in node.names
            ]
        else:
            continue
        yield from (name for name in names if name in modules)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: set(_imported(path, modules)) - {name} for name, path in modules.items()}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "app"


def test_every_package_has_a_layer() -> None:
    packages = {_package(module) for module in _modules()} - {"app"}
    assert packages - LAYER_OF.keys() == set(), "add the new package to LAYERS"


def test_core_imports_no_domain_and_no_entry_point() -> None:
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if _package(module) == "core"
        for target in targets
        if _package(target) != "core"
    )
    assert offenders == []


def test_imports_go_down_the_layers() -> None:
    offenders = sorted(
        f"{module} (layer {LAYER_OF[_package(module)]}) imports {target} "
        f"(layer {LAYER_OF[_package(target)]})"
        for module, targets in _graph().items()
        if _package(module) in LAYER_OF
        for target in targets
        if _package(target) in LAYER_OF and LAYER_OF[_package(target)] < LAYER_OF[_package(module)]
    )
    assert offenders == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_no_cycle_between_packages() -> None:
    """Within a layer too, two packages never import each other, even through others."""
    packages: dict[str, set[str]] = {}
    for module, targets in _graph().items():
        packages.setdefault(_package(module), set()).update(
            _package(target) for target in targets if _package(target) != _package(module)
        )
    assert _cycles(packages) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert _cycles(graph) == expected
