"""The clinical picture's package loads its builder when first asked for a name of it
(app/records/picture/__init__.py). A submodule named like one of those names would take the
name's place once it is loaded: `from app.records.picture import prefill` gave a module
instead of the function in the full suite's order. No name may be shared."""

from __future__ import annotations

import pkgutil
import types

import app.records.picture as picture


def test_no_submodule_shares_a_name_the_package_gives() -> None:
    submodules = {m.name for m in pkgutil.iter_modules(picture.__path__)}
    assert submodules >= {"build", "decisions", "model"}
    assert not submodules & set(picture.__all__)


def test_every_name_the_package_gives_is_what_its_module_defines() -> None:
    for name in picture.__all__:
        value = getattr(picture, name)
        assert not isinstance(value, types.ModuleType), name
