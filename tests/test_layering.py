"""Dependencies point one way: adapters -> bot -> storage. The core never imports a chat SDK, the adapters
never reach the database themselves, and no module imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("bot", "adapters", "storage")
CHAT_SDKS = {"slack_sdk", "slack_bolt", "discord"}


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("bot", CHAT_SDKS | {"adapters"}),
        ("storage", CHAT_SDKS | {"adapters", "bot"}),
        ("adapters", {"storage", "sqlalchemy"}),
    ],
)
def test_no_import_against_the_direction(package: str, forbidden: set[str]):
    offenders = {
        path: names & forbidden for path, names in imported_modules(package).items() if names & forbidden
    }
    assert not offenders


def module_files() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package's __init__)."""
    modules: dict[str, tuple[Path, bool]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


def import_graph() -> dict[str, set[str]]:
    """Which of our modules each module imports, at any depth of its code (module level, inside functions,
    under TYPE_CHECKING), relative imports resolved; `from a import b` counts `a.b` when that is a module."""
    modules = module_files()

    def ours(name: str) -> str | None:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in modules:
                return ".".join(parts[:end])
        return None

    graph: dict[str, set[str]] = {}
    for module, (path, is_package) in modules.items():
        package = module if is_package else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                names = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            targets |= {found for name in names if (found := ours(name)) and found != module}
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert "bot.config" in graph["bot.desk.service"]
    assert "adapters.serve" in graph["adapters.cli"]  # imported inside `cmd_serve`
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert cycles(import_graph()) == []


# Inside the core the rooms are layered too: the card renderer knows nothing of the desk, and the desk
# (which stores and changes what a triage produced) knows nothing of the pipeline, the queue or the wiring.
ABOVE = {
    "bot.render": ("bot.desk", "bot.jobs", "bot.triage", "bot.core"),
    "bot.desk": ("bot.jobs", "bot.triage", "bot.core", "bot.health"),
}


@pytest.mark.parametrize("room", sorted(ABOVE))
def test_no_upward_arrow_inside_the_core(room: str):
    upward = {
        module: sorted(t for t in targets if t.startswith(ABOVE[room]))
        for module, targets in import_graph().items()
        if module.startswith(room)
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}
