"""The module a value typed `Any` is missing from.

On an `Any` that comes from an import it could not follow, mypy records the name the import
bound (`main.FastAPI` for `from fastapi import FastAPI` in main.py; `FastAPI` alone inside a
function; `main.C.FastAPI` in a class body), not the module it names. The importing module's
import statements tell that module: mypy's own when it analysed the module in this run (they
include the imports inside functions), else the module's source (a module read from the cache
has none). A relative import is named absolutely, and a name imported from a module mypy did
read is that module's missing submodule (`from backend import gone`: `backend.gone`). Asked only
for a call the plugin reports as not checked.
"""

from __future__ import annotations

import ast

from mypy.nodes import Import, ImportAll, ImportFrom, MypyFile
from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import mypy_internals


def missing_module(api: CheckerPluginInterface, bound: str) -> str:
    """The module imported as `bound`, or `bound` itself when no import statement says."""
    modules = mypy_internals.all_modules(api)
    name = bound.rpartition(".")[2]
    module_name = bound.rpartition(".")[0]
    while module_name and module_name not in modules:
        module_name = module_name.rpartition(".")[0]  # a name bound in a class body
    tree = modules.get(module_name) if module_name else mypy_internals.current_tree(api)
    if tree is None:
        return bound
    found = _in_statements(tree, name, modules)
    if found is None and tree.path and tree.path.endswith(".py"):
        found = _in_source(tree, name, modules)
    return found or bound


def _absolute(tree: MypyFile, relative: int, module: str) -> str:
    """The absolute name of `from <relative dots><module> import ...` in `tree`."""
    if not relative:
        return module
    parts = tree.fullname.split(".")
    if not tree.is_package_init_file():
        parts = parts[:-1]
    parts = parts[: len(parts) - (relative - 1)] if relative > 1 else parts
    return ".".join([*parts, module] if module else parts)


def _from(base: str, imported: str, modules: dict[str, MypyFile]) -> str:
    """What `from base import imported` is missing: `base`, or its submodule `imported` when
    mypy read `base` (or `base` is the package of a relative import)."""
    return f"{base}.{imported}" if base in modules or not base else base


def _in_statements(tree: MypyFile, name: str, modules: dict[str, MypyFile]) -> str | None:
    for statement in tree.imports:
        if isinstance(statement, ImportFrom):
            for imported, alias in statement.names:
                if (alias or imported) == name:
                    base = _absolute(tree, statement.relative, statement.id)
                    return _from(base, imported, modules)
        elif isinstance(statement, Import):
            for module, alias in statement.ids:
                if alias == name or (alias is None and module.partition(".")[0] == name):
                    return module
    return None


def _in_source(tree: MypyFile, name: str, modules: dict[str, MypyFile]) -> str | None:
    try:
        with open(tree.path, "rb") as handle:
            source = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(source):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    base = _absolute(tree, node.level, node.module or "")
                    return _from(base, alias.name, modules)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == name or (
                    alias.asname is None and alias.name.partition(".")[0] == name
                ):
                    return alias.name
    return None


def missing_star_import(api: CheckerPluginInterface) -> str | None:
    """A module the checked module imports with `from X import *` that mypy did not read: a
    name the module uses is then undefined to mypy (an error, not a missing import), and may
    come from it."""
    tree = mypy_internals.current_tree(api)
    if tree is None:
        return None
    modules = mypy_internals.all_modules(api)
    for statement in tree.imports:
        if isinstance(statement, ImportAll):
            module = _absolute(tree, statement.relative, statement.id)
            if module not in modules:
                return module
    return None
