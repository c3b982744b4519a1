"""The few mypy internals the plugin reads, in one place.

The stable plugin interface gives hooks the call and its types, but not the module being
checked, the table of modules, nor mypy's module search. mypy's TypeChecker (what `ctx.api` is
at run time) has carried `tree` and `modules` since mypy 0.600; django-stubs and pydantic's
plugin read them the same way. mypy.modulefinder is what mypy itself resolves imports with.
Each is read with a fallback: without it the plugin only loses suggestions, narrowing and
import-string resolution, and never reports more.
"""

from __future__ import annotations

from mypy.nodes import MypyFile
from mypy.plugin import CheckerPluginInterface


def current_tree(api: CheckerPluginInterface) -> MypyFile | None:
    tree = getattr(api, "tree", None)
    return tree if isinstance(tree, MypyFile) else None


def get_module(api: CheckerPluginInterface, name: str) -> MypyFile | None:
    module = all_modules(api).get(name)
    return module if isinstance(module, MypyFile) else None


def all_modules(api: CheckerPluginInterface) -> dict[str, MypyFile]:
    modules = getattr(api, "modules", None)
    return modules if isinstance(modules, dict) else {}
