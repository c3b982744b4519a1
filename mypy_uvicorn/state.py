"""What the plugin keeps between hook calls, in one place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import _compat
from mypy_uvicorn.bindings import Bindings, imported_modules

T = TypeVar("T")


class _Scoped:
    """Values computed on first use and kept while one object (their owner) stays the same."""

    __slots__ = ("_owner", "_values")

    def __init__(self) -> None:
        self._owner: object = None
        self._values: dict[str, object] = {}

    def get(self, owner: object, key: str, compute: Callable[[], T]) -> T:
        if owner is not self._owner:
            self._owner, self._values = owner, {}
        if key not in self._values:
            self._values[key] = compute()
        return cast(T, self._values[key])


class State:
    """What the plugin keeps between hook calls, in two scopes. One per plugin instance: per
    process in mypy's parallel mode.

    - Per module: values of the module being checked, dropped when mypy moves to another module
      (a daemon re-analyses changed modules into new objects, so it never sees stale ones).
    - Per run: values built from the builtins module (types such as `bool`, the widened
      signature) or from the options (mypy's module search paths, whose computation may start
      the target Python in a subprocess); dropped only if mypy analyses builtins anew.
    """

    def __init__(self) -> None:
        self._module = _Scoped()
        self._run = _Scoped()

    def per_module(self, api: CheckerPluginInterface, key: str, compute: Callable[[], T]) -> T:
        return self._module.get(_compat.current_tree(api), key, compute)

    def per_run(self, api: CheckerPluginInterface, key: str, compute: Callable[[], T]) -> T:
        return self._run.get(_compat.get_module(api, "builtins"), key, compute)

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
            search_paths: dict[tuple[str, ...], SearchPaths] = self.per_run(api, "paths", dict)
            paths = search_paths.get(key)
            if paths is None:
                found = compute_search_paths([], api.options, default_data_dir())
                paths = search_paths[key] = SearchPaths(
                    python_path=(*roots, *found.python_path),
                    mypy_path=found.mypy_path,
                    package_path=found.package_path,
                    typeshed_path=found.typeshed_path,
                )
            finders: dict[tuple[str, ...], FindModuleCache] = self.per_module(api, "finders", dict)
            if key not in finders:
                finders[key] = FindModuleCache(paths, None, api.options)
            result = finders[key].find_module(name)
        except Exception:  # an internal API: on any change, say nothing rather than guess
            return True
        return result is not ModuleNotFoundReason.NOT_FOUND
