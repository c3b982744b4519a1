"""The module a value typed `Any` is missing from.

On an `Any` that comes from an import it could not follow, mypy records the name the import
bound (`main.FastAPI` for `from fastapi import FastAPI` in main.py), not the module it names.
The importing module's import statements tell that module: mypy's own when it analysed the
module in this run, else the module's source (a module read from the cache has none). Asked
only for a call the plugin reports as not checked.
"""

from __future__ import annotations

import ast

from mypy.nodes import Import, ImportFrom, MypyFile
from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import mypy_internals


def missing_module(api: CheckerPluginInterface, bound: str) -> str:
    """The module imported as `bound` (a fully qualified name), or `bound` itself when no
    import statement of its module says."""
    modules = mypy_internals.all_modules(api)
    module_name, _, name = bound.rpartition(".")
    while module_name and module_name not in modules:
        module_name, _, name = module_name.rpartition(".")  # a name bound in a class body
    tree = modules.get(module_name)
    if tree is None or not name:
        return bound
    found = _in_statements(tree, name)
    if found is None and tree.path and tree.path.endswith(".py"):
        found = _in_source(tree.path, name)
    return found or bound


def _in_statements(tree: MypyFile, name: str) -> str | None:
    for statement in tree.imports:
        if isinstance(statement, ImportFrom):
            for imported, alias in statement.names:
                if (alias or imported) == name:
                    return "." * statement.relative + statement.id
        elif isinstance(statement, Import):
            for module, alias in statement.ids:
                if alias == name or (alias is None and module.partition(".")[0] == name):
                    return module
    return None


def _in_source(path: str, name: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            module = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return "." * node.level + (node.module or "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == name or (
                    alias.asname is None and alias.name.partition(".")[0] == name
                ):
                    return alias.name
    return None
