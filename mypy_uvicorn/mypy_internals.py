"""The mypy internals the plugin reads, in one place.

The stable plugin interface gives hooks the call and its types, but not the module being
checked, the table of modules, the definitions the call is inside, mypy's module search, nor
which error codes the module reports. Each is read here, with a fallback when it cannot be:
without it the plugin only loses suggestions, narrowing, import-string resolution and speed,
and never reports more.

- `api.tree` and `api.modules`: mypy's TypeChecker (what `ctx.api` is at run time) has carried
  them since mypy 0.600; django-stubs and pydantic's plugin read them the same way.
- `api.scope.stack`: the module, then each class and function being checked; the same shape in
  every supported mypy. The scope object itself is made anew with each checker (and, since mypy
  1.16, each reset of one), which is how a new check of a module shows (checker_scope).
- `api.tree.plugin_deps` and `api.tscope`: the fine-grained dependencies the daemon reads after
  checking a module, and the target (function or module) being checked.
- `api.msg.errors.is_error_code_enabled`: what mypy itself asks before it shows an error.
- mypy.modulefinder: what mypy itself resolves imports with.
- `Options.clone_for_module`: a module's own options (ignore_missing_imports, follow_imports).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mypy.errorcodes import ErrorCode
from mypy.nodes import FuncDef, MypyFile
from mypy.plugin import CheckerPluginInterface

if TYPE_CHECKING:
    from mypy.modulefinder import FindModuleCache, SearchPaths, StdlibVersions
    from mypy.options import Options


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


def module_level_function(api: CheckerPluginInterface) -> FuncDef | None:
    """The function being checked when it is a function of the module itself (not a method,
    not nested in another function); else None."""
    stack = getattr(getattr(api, "scope", None), "stack", None)
    if not isinstance(stack, list) or len(stack) != 2:
        return None
    func = stack[1]
    return func if isinstance(func, FuncDef) and isinstance(stack[0], MypyFile) else None


def checker_scope(api: CheckerPluginInterface) -> object:
    """mypy's scope object of the module being checked: it stays the same while mypy checks a
    module once. The daemon re-checks a changed module in the same tree object (it merges the
    new tree into the old one to keep node identities), and an unchanged one with the same tree
    when a module it depends on changed, each time with a new or reset checker, and so a new
    scope object. None when it cannot be read (then only a new tree starts a new check)."""
    return getattr(api, "scope", None)


def keeps_plugin_deps(api: CheckerPluginInterface) -> bool:
    """Whether mypy keeps fine-grained dependencies (the daemon, `--cache-fine-grained`)."""
    return bool(api.options.fine_grained_incremental or api.options.cache_fine_grained)


def add_plugin_dependency(api: CheckerPluginInterface, trigger: str) -> None:
    """Record `trigger` (such as `<settings.RELOAD>`) as a fine-grained dependency of the target
    being checked, as a semantic-analysis plugin's `add_plugin_dependency` does: when the daemon
    sees the trigger fire it re-checks that target. Does nothing when it cannot, and when no
    fine-grained dependencies are kept (only the daemon and `--cache-fine-grained` keep them)."""
    if not keeps_plugin_deps(api):
        return
    tree = current_tree(api)
    deps = getattr(tree, "plugin_deps", None)
    current_target = getattr(getattr(api, "tscope", None), "current_target", None)
    if not isinstance(deps, dict) or current_target is None:
        return
    try:
        target = current_target()
    except Exception:  # an internal: on any change, register nothing
        return
    if isinstance(target, str):
        deps.setdefault(trigger, set()).add(target)


def reopen_errors_of_checked_file(api: CheckerPluginInterface) -> None:
    """Under the daemon: let errors be reported again for the module being checked.

    mypy hands out a module's errors once per update and then refuses more for it (an assertion
    in its errors module). One of its updates breaks that: when the modules an update removes are
    all of the standard library (those that only a deleted module imported), it re-checks the
    targets that had errors without starting a new round of errors, and the first error reported
    there stops the daemon ("Daemon crashed!"). A string's module deleted is such a case: the
    call's module had errors (the finding, and mypy's missing-module error on the dependency),
    and the module's imports go with it. Re-opening the file (the errors of the re-checked
    targets were cleared before, so nothing is reported twice) makes that update hand out its
    errors again. Nothing happens outside the daemon, or when mypy's objects have changed."""
    if not api.options.fine_grained_incremental:
        return
    errors = getattr(api.msg, "errors", None)
    flushed = getattr(errors, "flushed_files", None)
    file = getattr(errors, "file", None)
    if isinstance(flushed, set) and file in flushed:
        flushed.discard(file)


def name_trigger(fullname: str) -> str:
    """The trigger the daemon fires when what `fullname` names changes (mypy.server.trigger)."""
    return f"<{fullname}>"


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
    sends mypy down its slower fall-backs. True when mypy's Errors cannot tell.
    """
    enabled = getattr(getattr(api.msg, "errors", None), "is_error_code_enabled", None)
    return True if enabled is None else bool(enabled(code))


def module_search_paths(api: CheckerPluginInterface, roots: Sequence[str]) -> SearchPaths:
    """Where mypy's module search looks: `roots` first, then what mypy itself would search (the
    installed packages of the target Python: finding them may start that Python). Imported here
    and below, not at the top: a change of these internals must not stop the plugin loading."""
    from mypy.build import default_data_dir
    from mypy.modulefinder import SearchPaths, compute_search_paths

    found = compute_search_paths([], api.options, default_data_dir())
    return SearchPaths(
        python_path=(*roots, *found.python_path),
        mypy_path=found.mypy_path,
        package_path=found.package_path,
        typeshed_path=found.typeshed_path,
    )


def module_finder(
    api: CheckerPluginInterface, paths: SearchPaths, versions: StdlibVersions | None
) -> FindModuleCache:
    """mypy's module search over `paths`. It caches directory listings: keep one no longer than
    the files it saw may stay the same (the plugin keeps one while one module is checked)."""
    from mypy.modulefinder import FindModuleCache

    return FindModuleCache(paths, None, api.options, versions)


# --- import strings as dependencies (import_strings/dependencies.py) --------------------------

# The priority of a dependency that only orders the work, below mypy's own imports: mypy's
# PRI_LOW (the priority of an import inside a function).
DEPENDENCY_PRIORITY = 20


def stdlib_versions(options: Options) -> StdlibVersions | None:
    """typeshed's table of standard library modules, which every module search reads: read once
    and handed to each search (reading it is most of the cost of a new search)."""
    try:
        from mypy.modulefinder import load_stdlib_py_versions

        return load_stdlib_py_versions(options.custom_typeshed_dir)
    except Exception:
        return None


# The table of standard library modules a search over one directory is given: it never looks in
# typeshed, and the callers leave out standard library names. Not empty: an empty table makes
# FindModuleCache read typeshed's (most of the cost of a new search).
_NO_STDLIB: StdlibVersions = {"": ((0, 0), None)}


def root_finder(root: str, options: Options) -> FindModuleCache:
    """mypy's module search over one directory only (no installed packages, no typeshed)."""
    from mypy.modulefinder import FindModuleCache, SearchPaths

    return FindModuleCache(SearchPaths((root,), (), (), ()), None, options, _NO_STDLIB)


def found_path(finder: FindModuleCache, name: str, *, fast: bool = False) -> str | bool:
    """The file mypy finds for `name`; False only when mypy finds no module of that name. True
    when the module is there but mypy gives no file (an installed package without type hints,
    or whose stubs are not installed), or when the search cannot run: it may exist.

    `fast`: for a caller that only reads a file found; mypy then does not look into the parent
    directories of the working directory for a module it does not find (to explain it)."""
    from mypy.modulefinder import ModuleNotFoundReason

    try:
        found = finder.find_module(name, fast_path=fast)
    except Exception:  # an internal API: on any change, assume the module exists
        return True
    if isinstance(found, str):
        return found
    return found is not ModuleNotFoundReason.NOT_FOUND


def follows_imports_of(options: Options, name: str) -> bool:
    """Whether mypy follows an import of `name` silently: with follow_imports = skip or error a
    dependency would be ignored, or reported on the calling line."""
    try:
        return options.clone_for_module(name).follow_imports in ("normal", "silent")
    except Exception:
        return False


def ignores_missing_imports(options: Options, name: str) -> bool:
    """Whether mypy keeps quiet about an import of `name` it cannot find: ignore_missing_imports
    set globally or by a per-module section matching `name` (mypy's own test). True when the
    options cannot be read."""
    try:
        return bool(options.clone_for_module(name).ignore_missing_imports)
    except Exception:
        return True
