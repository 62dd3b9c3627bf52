"""app/export sits on app/records: it reads the vault only through `Binder` (whose file
store decrypts originals in memory) and writes files with the vault's atomic helpers, and
never imports Qt, the ingest layer or the CLI."""

from __future__ import annotations

import ast

from tests.conftest import ROOT


def _imports(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_export_uses_the_records_and_only_the_binder_of_the_vault() -> None:
    modules = sorted((ROOT / "app" / "export").glob("*.py"))
    assert len(modules) > 5
    for path in modules:
        names = _imports(path.read_text("utf-8"))
        assert not {n for n in names if n.startswith(("PySide6", "app.ui", "app.cli"))}, path
        assert not {n for n in names if n.startswith("app.ingest")}, path
        vault = {n for n in names if n.startswith("app.vault")}
        # The binder, and the atomic writes the vault owns for every layer.
        assert vault <= {"app.vault.binder", "app.vault.atomic"}, (path, vault)
