"""The module being checked: its bindings, its imports, and the value a name is bound to.

One `CheckedModule` is made for each call the hooks read; it holds mypy's checker (`api`) and
the plugin's caches (`state`), and keeps what it computes in the module's `ModuleValues`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mypy.nodes import Expression, Import, ImportAll, ImportFrom, MypyFile, NameExpr, Var
from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.constants import is_module_of
from mypy_uvicorn.state import ModuleValues, State

if TYPE_CHECKING:
    from mypy_uvicorn.bindings import Bindings


class CheckedModule:
    __slots__ = ("api", "state", "tree", "values")

    def __init__(self, api: CheckerPluginInterface, state: State) -> None:
        self.api = api
        self.state = state
        self.tree = mypy_internals.current_tree(api)
        self.values: ModuleValues = state.module(api)

    def bindings(self) -> Bindings | None:
        """The statements that bind each variable of the module (bindings.py: imported here, as
        only a call whose arguments are names of this module needs it)."""
        from mypy_uvicorn.bindings import Bindings

        values = self.values
        if values.bindings is None:
            if self.tree is None:
                return None
            values.bindings = Bindings(self.tree, mypy_internals.all_modules(self.api))
        return values.bindings

    def imports(self) -> set[str]:
        """The modules the module imports (imported_modules)."""
        values = self.values
        if values.imports is None:
            if self.tree is None:
                return set()
            values.imports = imported_modules(self.tree)
        return values.imports

    def imports_supervisors(self) -> bool:
        """Whether the module imports `uvicorn.supervisors` (it then hands Configs to them)."""
        values = self.values
        if values.supervised is None:
            values.supervised = any(
                is_module_of(name, "uvicorn.supervisors") for name in self.imports()
            )
        return values.supervised

    def bound_value(self, expr: Expression) -> Expression | None:
        """`value` when `expr` names a variable of this module whose only binding is
        `name = value`.

        Only names of the module being checked qualify (its locals and module-level names): other
        modules may come from mypy's cache without their statements, and a finding must not
        depend on whether the cache was warm (across modules, `Final` carries the value in the
        type).
        """
        tree = self.tree
        if tree is None or not isinstance(expr, NameExpr) or not isinstance(expr.node, Var):
            return None
        var = expr.node
        if "." in var.fullname and var.fullname != f"{tree.fullname}.{var.name}":
            return None  # a module-level name of another module, or a class attribute
        bindings = self.bindings()
        return None if bindings is None else bindings.single(var)

    def is_readable(self, module_name: str) -> bool:
        """Whether `module_name` is this module or one it imports: mypy has always analysed
        these before it checks this one, from source or from its cache. Other modules of the
        program may not be analysed yet (mypy works through them in dependency order), so
        reading them would make a finding depend on the order of work and on a warm cache."""
        tree = self.tree
        if tree is None:
            return False
        if module_name == tree.fullname or module_name in self.imports():
            return True
        values = self.values
        if values.bound_modules is None:
            values.bound_modules = _bound_modules(tree)
        return module_name in values.bound_modules


def imported_modules(tree: MypyFile) -> set[str]:
    """The absolute module names the module imports: `import pkg.web`, `from pkg import web`
    (`pkg` and, as it may be a submodule, `pkg.web`), `from pkg import *`."""
    found: set[str] = set()
    for imported in tree.imports:
        if isinstance(imported, Import):
            found.update(name for name, _ in imported.ids)
        elif isinstance(imported, ImportFrom) and not imported.relative:
            found.add(imported.id)
            found.update(f"{imported.id}.{name}" for name, _ in imported.names)
        elif isinstance(imported, ImportAll) and not imported.relative:
            found.add(imported.id)
    return found


def _bound_modules(tree: MypyFile) -> set[str]:
    """The modules of what the module's names are bound to: relative imports included."""
    bound: set[str] = set()
    for symbol in tree.names.values():
        node = symbol.node
        if isinstance(node, MypyFile):
            bound.add(node.fullname)
        elif node is not None:
            bound.add(node.fullname.rpartition(".")[0])
    return bound
