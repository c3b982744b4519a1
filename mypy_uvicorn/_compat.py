"""The few mypy internals the plugin reads, in one place.

The stable plugin interface gives hooks the call and its types, but not the module being
checked, the table of modules, the definitions the call is inside, mypy's module search, nor
which error codes the module reports. mypy's TypeChecker (what `ctx.api` is at run time) has
carried `tree` and `modules` since mypy 0.600; django-stubs and pydantic's plugin read them the
same way. Its `scope.stack` (the module, then each class and function being checked) has the
same shape in mypy 1.15 and 2.4. mypy.modulefinder is what mypy itself resolves imports with,
and `msg.errors.is_error_code_enabled` what mypy itself asks before it shows an error. Each is
read with a fallback: without it the plugin only loses suggestions, narrowing, import-string
resolution and speed, and never reports more.
"""

from __future__ import annotations

from mypy.errorcodes import ErrorCode
from mypy.nodes import FuncDef, MypyFile
from mypy.plugin import CheckerPluginInterface


def current_tree(api: CheckerPluginInterface) -> MypyFile | None:
    tree = getattr(api, "tree", None)
    return tree if isinstance(tree, MypyFile) else None


def in_def(api: CheckerPluginInterface) -> bool | None:
    """Whether the expression being checked is inside a `def` (at any depth; a lambda is not a
    def); None when mypy's scope cannot be read."""
    stack = getattr(getattr(api, "scope", None), "stack", None)
    if not isinstance(stack, list):
        return None
    return any(isinstance(entry, FuncDef) for entry in stack)


def get_module(api: CheckerPluginInterface, name: str) -> MypyFile | None:
    module = all_modules(api).get(name)
    return module if isinstance(module, MypyFile) else None


def all_modules(api: CheckerPluginInterface) -> dict[str, MypyFile]:
    modules = getattr(api, "modules", None)
    return modules if isinstance(modules, dict) else {}


def code_enabled(api: CheckerPluginInterface, code: ErrorCode) -> bool:
    """Whether mypy reports `code` in the module being checked (its per-module options).

    A report with a disabled code is dropped by mypy, but only after it has counted as an error:
    while mypy tries the overload items of uvicorn.run, that makes an item fail to match and
    sends mypy down its slower fall-backs (0.37 points of the benchmark's stress project, where
    30 calls had a disabled finding; benchmarks/overhead.py). True when mypy's Errors cannot
    tell.
    """
    enabled = getattr(getattr(api.msg, "errors", None), "is_error_code_enabled", None)
    return True if enabled is None else bool(enabled(code))
