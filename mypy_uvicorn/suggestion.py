"""The import string to pass instead of an application object: `"main:app"` for `app`."""

from __future__ import annotations

from mypy.nodes import (
    CallExpr,
    Decorator,
    Expression,
    FuncDef,
    MemberExpr,
    OverloadedFuncDef,
    RefExpr,
    TypeInfo,
    Var,
)
from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.checked_module import CheckedModule
from mypy_uvicorn.import_strings.text import unbound_at_import
from mypy_uvicorn.records import Suggestion


def suggestion(module: CheckedModule, expr: Expression) -> Suggestion | None:
    """The import string to pass instead of the application object `expr`: the object's own
    module-level name, or the factory a local variable was made with."""
    string = module_level_string(module.api, expr)
    if string is not None and not _unbound_at_import(module, string):
        return Suggestion(string)
    value = module.bound_value(expr)  # `app = create_app()` inside a function
    if isinstance(value, CallExpr) and not value.args:
        factory = module_level_string(module.api, value.callee, functions_only=True)
        if factory is not None:
            return Suggestion(factory, add_factory=True)
    return None


def module_level_string(
    api: CheckerPluginInterface, expr: Expression, *, functions_only: bool = False
) -> str | None:
    """`"pkg.main:app"` for a name or attribute chain that refers to a module-level object."""
    if not isinstance(expr, RefExpr):
        return None
    if isinstance(expr, MemberExpr) and not functions_only:
        # `server.asgi`: uvicorn walks the part after ":" with getattr, one name at a time.
        owner = module_level_string(api, expr.expr)
        if owner is not None:
            return f"{owner}.{expr.name}"
    node = expr.node
    is_function = isinstance(node, FuncDef | Decorator | OverloadedFuncDef)
    if node is None or not (
        is_function or (not functions_only and isinstance(node, Var | TypeInfo))
    ):
        return None
    module_name, _, name = node.fullname.rpartition(".")
    if ":" in module_name or module_name == "__main__" or module_name.endswith(".__main__"):
        # uvicorn splits the string at its first ":", and "__main__" is the new process's own
        # main module, not this one.
        return None
    module = mypy_internals.get_module(api, module_name)
    if module is None or name not in module.names:
        return None
    symbol = module.names[name]
    if symbol.module_hidden or symbol.node is not node:
        return None
    return f"{module_name}:{name}"


def _unbound_at_import(module: CheckedModule, string: str) -> bool:
    """Whether the object's module-level name is not bound when uvicorn imports its module (only
    under the `__main__` guard, ...): the string would not start (import_strings/text.py)."""
    module_name, _, path = string.partition(":")
    source = mypy_internals.get_module(module.api, module_name)
    if source is None or not source.path or not source.path.endswith(".py"):
        return False
    unbound = module.values.unbound
    reasons = unbound.get(source.path)
    if reasons is None:
        reasons = unbound[source.path] = unbound_at_import(source.path)
    return path.partition(".")[0] in reasons
