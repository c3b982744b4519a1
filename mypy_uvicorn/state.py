"""What the plugin keeps between hook calls, in one place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from mypy.nodes import MypyFile
from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import _compat
from mypy_uvicorn.bindings import Bindings, imported_modules

T = TypeVar("T")


class State:
    """Values of the module being checked, computed on first use and dropped when mypy moves to
    another module (so that a daemon, which re-analyses changed modules into new objects, never
    sees stale ones); and mypy's module search paths, computed once (that may start the target
    Python in a subprocess). One per plugin instance: per process in mypy's parallel mode."""

    def __init__(self) -> None:
        self._tree: MypyFile | None = None
        self._values: dict[str, object] = {}
        self._search_paths: dict[tuple[str, ...], object] = {}

    def per_module(self, api: CheckerPluginInterface, key: str, compute: Callable[[], T]) -> T:
        tree = _compat.current_tree(api)
        if tree is not self._tree:
            self._tree, self._values = tree, {}
        if key not in self._values:
            self._values[key] = compute()
        return cast(T, self._values[key])

    def bindings(self, api: CheckerPluginInterface) -> Bindings | None:
        tree = _compat.current_tree(api)
        if tree is None:
            return None
        return self.per_module(api, "bindings", lambda: Bindings(tree))

    def imports(self, api: CheckerPluginInterface) -> set[str]:
        """The modules the module being checked imports (bindings.imported_modules)."""
        tree = _compat.current_tree(api)
        if tree is None:
            return set()
        return self.per_module(api, "imports", lambda: imported_modules(tree))

    def module_exists(self, api: CheckerPluginInterface, name: str, roots: Sequence[str]) -> bool:
        """Whether mypy's own module search (mypy.modulefinder) finds `name` from `roots` and the
        installed packages; True when the search cannot run. Its finder caches directory
        listings, so it is kept only while one module is checked."""
        try:
            from mypy.build import default_data_dir
            from mypy.modulefinder import (
                FindModuleCache,
                ModuleNotFoundReason,
                SearchPaths,
                compute_search_paths,
            )

            key = (str(api.options.python_executable), *roots)
            paths = self._search_paths.get(key)
            if not isinstance(paths, SearchPaths):
                found = compute_search_paths([], api.options, default_data_dir())
                paths = SearchPaths(
                    python_path=(*roots, *found.python_path),
                    mypy_path=found.mypy_path,
                    package_path=found.package_path,
                    typeshed_path=found.typeshed_path,
                )
                self._search_paths[key] = paths
            finders: dict[tuple[str, ...], FindModuleCache] = self.per_module(api, "finders", dict)
            if key not in finders:
                finders[key] = FindModuleCache(paths, None, api.options)
            result = finders[key].find_module(name)
        except Exception:  # an internal API: on any change, say nothing rather than guess
            return True
        return result is not ModuleNotFoundReason.NOT_FOUND
