"""The house's structure, read from the source with `ast` (imports inside functions too): no
import cycle between the modules of `app/`, and no module reaching into another's private
names. Beside the layer test (test_layers.py), which checks the direction of the arrows."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.e2e.test_layers import APP, ROOT, _module_name, _sources

MODULES = {_module_name(p): p for p in _sources()}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1] if node.level else []
    return ".".join([*base, *(node.module.split(".") if node.module else [])])


def _owner(name: str) -> str | None:
    """The app module a dotted name lives in (its longest prefix that is a module)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return None


def edges(path: Path) -> set[str]:
    """The app modules `path` imports: `from app.cli import backup` is an arrow to
    app.cli.backup, not to the package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(m for alias in node.names if (m := _owner(alias.name)))
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(path, node)
            for alias in node.names:
                target = _owner(f"{module}.{alias.name}") or _owner(module)
                if target:
                    found.add(target)
    found.discard(_module_name(path))
    return found


def private_imports(path: Path) -> list[str]:
    """`from app.x import _name`, and `module._name` on a module imported from app."""
    here = _module_name(path)
    bad: list[str] = []
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    aliases: dict[str, str] = {}  # local name -> app module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _resolve(path, node)
            for alias in node.names:
                if f"{module}.{alias.name}" in MODULES:
                    aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
                elif _is_private(alias.name) and _owner(module) not in (None, here):
                    bad.append(f"{module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in MODULES:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and _is_private(node.attr)
        ):
            bad.append(f"{aliases[node.value.id]}.{node.attr}")
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checks_see_a_cycle_and_a_private_import(tmp_path: Path) -> None:
    # Guards the guard: a graph with a loop, and a module reaching into another's privates.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert "app.records.documents" in edges(APP / "records" / "importer.py")
    assert "app.cli.common" in edges(APP / "cli" / "care.py")
    fake = APP / "records" / "_structure_probe.py"
    try:
        fake.write_text(
            "from app.records.documents import _row\nfrom app.vault import binder as b\nb._secret\n"
        )
        MODULES[_module_name(fake)] = fake
        assert private_imports(fake) == ["app.records.documents._row", "app.vault.binder._secret"]
    finally:
        MODULES.pop(_module_name(fake), None)
        fake.unlink(missing_ok=True)


def test_no_import_cycle_between_the_modules_of_app() -> None:
    graph = {name: edges(path) for name, path in MODULES.items()}
    assert sum(len(e) for e in graph.values()) > 200  # the walk saw the imports
    assert cycles(graph) == []


def test_no_module_imports_another_modules_private_names() -> None:
    bad = {str(p.relative_to(ROOT)): found for p in _sources() if (found := private_imports(p))}
    assert bad == {}


LONG = 500  # lines: past this, a module says in its opening comment why it is one room


def test_a_long_module_says_why_it_is_one_room() -> None:
    silent = []
    for path in _sources():
        source = path.read_text()
        if source.count("\n") > LONG:
            opening = ast.get_docstring(ast.parse(source)) or ""
            if "one room" not in opening.lower():
                silent.append(str(path.relative_to(ROOT)))
    assert not silent, f"long modules that do not say why they are one room: {silent}"
