"""The few mypy internals the plugin reads, in one place.

The stable plugin interface gives hooks the call and its types but not the module being checked
nor the table of modules. mypy's TypeChecker (what `ctx.api` is at run time) has carried `tree`
and `modules` since mypy 0.600; django-stubs and pydantic's plugin read them the same way.
Both read with a fallback, so a checker without them only loses suggestions and narrowing.
"""

from __future__ import annotations

from mypy.nodes import MypyFile
from mypy.plugin import CheckerPluginInterface


def current_tree(api: CheckerPluginInterface) -> MypyFile | None:
    tree = getattr(api, "tree", None)
    return tree if isinstance(tree, MypyFile) else None


def get_module(api: CheckerPluginInterface, name: str) -> MypyFile | None:
    modules = getattr(api, "modules", None)
    module = modules.get(name) if isinstance(modules, dict) else None
    return module if isinstance(module, MypyFile) else None
