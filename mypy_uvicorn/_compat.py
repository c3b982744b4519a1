"""The few mypy internals the plugin reads, in one place.

The stable plugin interface gives hooks the call and its types, but not the module being
checked, the table of modules, nor mypy's module search. mypy's TypeChecker (what `ctx.api` is
at run time) has carried `tree` and `modules` since mypy 0.600; django-stubs and pydantic's
plugin read them the same way. mypy.modulefinder is what mypy itself resolves imports with.
Each is read with a fallback: without it the plugin only loses suggestions, narrowing and
import-string resolution, and never reports more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from mypy.nodes import MypyFile
from mypy.plugin import CheckerPluginInterface

T = TypeVar("T")


def current_tree(api: CheckerPluginInterface) -> MypyFile | None:
    tree = getattr(api, "tree", None)
    return tree if isinstance(tree, MypyFile) else None


def get_module(api: CheckerPluginInterface, name: str) -> MypyFile | None:
    module = all_modules(api).get(name)
    return module if isinstance(module, MypyFile) else None


def all_modules(api: CheckerPluginInterface) -> dict[str, MypyFile]:
    modules = getattr(api, "modules", None)
    return modules if isinstance(modules, dict) else {}


class ModuleSearch:
    """mypy's own module search (mypy.modulefinder). Its search paths are computed once (that may
    start the target Python in a subprocess); its finder, which caches directory listings, lives
    while one module is checked, so a daemon that checks again sees files added since."""

    def __init__(self) -> None:
        self._paths: dict[tuple[str, ...], object] = {}
        self._tree: MypyFile | None = None
        self._finders: dict[tuple[str, ...], object] = {}
        self._memo: dict[str, object] = {}

    def per_module(self, api: CheckerPluginInterface, key: str, compute: Callable[[], T]) -> T:
        """`compute()`, once per checked module (program-wide lists the resolver needs)."""
        tree = current_tree(api)
        if tree is not self._tree:
            self._tree, self._finders, self._memo = tree, {}, {}
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def exists(self, api: CheckerPluginInterface, name: str, roots: Sequence[str]) -> bool:
        """Whether `name` is found from `roots` and the installed packages; True when the search
        cannot run."""
        try:
            from mypy.build import default_data_dir
            from mypy.modulefinder import (
                FindModuleCache,
                ModuleNotFoundReason,
                SearchPaths,
                compute_search_paths,
            )

            tree = current_tree(api)
            if tree is not self._tree:
                self._tree, self._finders, self._memo = tree, {}, {}
            key = (str(api.options.python_executable), *roots)
            finder = self._finders.get(key)
            if not isinstance(finder, FindModuleCache):
                paths = self._paths.get(key)
                if not isinstance(paths, SearchPaths):
                    found = compute_search_paths([], api.options, default_data_dir())
                    paths = SearchPaths(
                        python_path=(*roots, *found.python_path),
                        mypy_path=found.mypy_path,
                        package_path=found.package_path,
                        typeshed_path=found.typeshed_path,
                    )
                    self._paths[key] = paths
                finder = FindModuleCache(paths, None, api.options)
                self._finders[key] = finder
            result = finder.find_module(name)
        except Exception:  # an internal API: on any change, say nothing rather than guess
            return True
        return result is not ModuleNotFoundReason.NOT_FOUND
