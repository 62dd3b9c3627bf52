"""The layers of DESIGN.md section 1, checked on the source: Qt only in app/ui, ingest pure,
vault at the bottom. Every import is read with `ast`, including those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository


APP = ROOT / "app"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def _sources(under: str = "") -> list[Path]:
    return sorted((APP / under).rglob("*.py"))


def _offenders(paths: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path in paths:
        hits = sorted(
            name
            for name in _imports(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)
        )
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def test_the_layer_check_sees_imports_of_every_kind() -> None:
    # Guards the guard: a check that saw no imports would pass everything.
    assert "app.vault.binder" in _imports(APP / "records" / "documents.py")
    assert "app.records.people" in _imports(APP / "cli" / "people.py")  # imported inside a function
    ui_imports = {name for p in _sources("ui") for name in _imports(p)}
    assert any(name.startswith("PySide6") for name in ui_imports)


def test_no_module_outside_app_ui_imports_pyside6() -> None:
    outside_ui = [p for p in _sources() if not p.is_relative_to(APP / "ui")]
    assert outside_ui
    assert _offenders(outside_ui, ("PySide6", "shiboken6")) == {}


def test_app_ingest_imports_neither_the_vault_nor_the_records() -> None:
    assert _sources("ingest")
    assert (
        _offenders(_sources("ingest"), ("app.vault", "app.records", "app.export", "app.ui")) == {}
    )


def test_the_vault_imports_nothing_from_the_layers_above_it() -> None:
    above = ("app.records", "app.ingest", "app.export", "app.ui", "app.cli", "app.demo")
    assert _offenders(_sources("vault"), above) == {}


def test_the_records_import_nothing_from_the_window_or_the_command_line() -> None:
    assert _offenders(_sources("records"), ("app.ui", "app.cli", "app.export")) == {}
