"""What the plugin keeps between hook calls: named, typed values in two scopes.

Only the cache lives here; the code that computes each value is beside the code that reads it,
and fills the value in on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mypy.nodes import Context, FuncDef, MypyFile
from mypy.plugin import CheckerPluginInterface
from mypy.types import CallableType, FunctionLike, Type

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.records import AppKind, Finding

if TYPE_CHECKING:
    from mypy.modulefinder import FindModuleCache, SearchPaths, StdlibVersions
    from mypy.options import Options

    from mypy_uvicorn.bindings import Bindings
    from mypy_uvicorn.import_strings.dependencies import RootFinders
    from mypy_uvicorn.import_time import ImportTime


class ModuleValues:
    """Values of the module being checked, for one check of it. mypy checks one module at a
    time; the daemon re-checks a changed module in the same tree object, and an unchanged one
    when a module it depends on changed, each time with a new checker scope (State.module), so
    these never outlive what they describe."""

    __slots__ = (
        "bindings",
        "bound_modules",
        "finders",
        "first_bound",
        "import_time",
        "imports",
        "module_files",
        "reports",
        "returns",
        "root_finders",
        "source_names",
        "string_modules",
        "supervised",
        "unbound",
    )

    def __init__(self) -> None:
        self.bindings: Bindings | None = None
        self.import_time: ImportTime | None = None
        # The modules this module imports, and the modules of what its names are bound to
        # (checked_module.py).
        self.imports: set[str] | None = None
        self.bound_modules: set[str] | None = None
        self.supervised: bool | None = None  # it imports uvicorn.supervisors (checked_module.py)
        # mypy's module finders, by (target Python, *roots): they cache directory listings.
        self.finders: dict[tuple[str, ...], FindModuleCache] = {}
        # The findings of each call, by id() of its CallExpr (hooks.py). mypy nodes hash by
        # identity already; the id() key with the node kept beside it spares a hash call and
        # is checked with `is`, so a node made at the same address later is not confused.
        self.reports: dict[int, tuple[Context, list[list[Type]], list[Finding]]] = {}
        # What each unannotated function of the module returns, when read (returns.py).
        # (An import name: the returned class comes from a module mypy could not read.)
        self.returns: dict[FuncDef, AppKind | str] = {}
        # Import strings (import_strings/): the modules of the program a string module may name,
        # as mypy names them (dependencies.dependency_names), by the string's module name
        # (verdict.py); the files it imports from each root (roots.py); mypy's finders over one
        # root each; the names each source file binds at module level or in a class body, by
        # "path:class" ("path:" for the module level; None: any name) (verdict.py).
        self.string_modules: dict[str, list[str]] = {}
        self.module_files: dict[str, set[str]] = {}
        self.root_finders: RootFinders | None = None
        self.source_names: dict[str, frozenset[str] | None] = {}
        # The module-level names mypy knows that a source does not bind when it is imported,
        # with the reason, by path (text.unbound_at_import).
        self.unbound: dict[str, dict[str, str]] = {}
        # The first line binding each module-level name at import, by path (None: not known;
        # text.first_bound_at_import), for a call of the module that names the module itself.
        self.first_bound: dict[str, dict[str, int] | None] = {}


class ProgramValues:
    """What the checked program's files are (import_strings/roots.py): its modules, the
    directories they are imported from, directory listings and real paths. Kept for the run
    while mypy's table of modules keeps its size (a worker of mypy's parallel mode loads modules
    as it goes); under the daemon, where files come and go, for one check of a module."""

    __slots__ = ("listings", "modules", "real_paths", "roots", "size")

    def __init__(self, size: int) -> None:
        self.size = size  # how many modules mypy had loaded
        self.modules: list[str] | None = None  # the program's modules
        self.roots: list[str] | None = None  # the directories they are imported from
        self.listings: dict[str, list[str]] = {}  # by directory
        self.real_paths: dict[str, str] = {}  # os.path.realpath, by path


class SessionValues:
    """Values for the whole mypy session: built from the builtins module (types such as `bool`,
    the widened signature) or from the options (mypy's module search paths)."""

    __slots__ = ("declared", "search_paths", "widened")

    def __init__(self) -> None:
        # The widened signature of each overload item of uvicorn.run, by id() of the item (the
        # item kept beside it and compared with `is`, as for ModuleValues.reports).
        self.widened: dict[int, tuple[CallableType, FunctionLike]] = {}
        # uvicorn's declared types of `reload` and `workers` (hooks.py).
        self.declared: dict[str, Type] | None = None
        # mypy's search paths, by (target Python, *roots): computing them may start that Python.
        self.search_paths: dict[tuple[str, ...], SearchPaths] = {}


class State:
    """One per plugin instance: per process in mypy's parallel mode.

    The session's values are kept while mypy's builtins module stays the same object: every
    type they hold is built from it, and a daemon that analyses builtins anew makes new types.
    """

    __slots__ = (
        "_module",
        "_module_scope",
        "_module_tree",
        "_program",
        "_program_module",
        "_session",
        "_session_builtins",
        "_versions",
        "factory_files",
        "root_finders",
    )

    def __init__(self, root_finders: Callable[[], RootFinders]) -> None:
        # typeshed's table of the standard library, for mypy's full module search (a 1-tuple
        # once read): read at most once for the process, and only when that search runs.
        self._versions: tuple[StdlibVersions | None] | None = None
        # The plugin's module search for the modules import strings name: the one
        # get_additional_deps used, with what it listed and found (a new one each time under
        # the daemon).
        self.root_finders = root_finders
        self._module_tree: MypyFile | None = None
        self._module_scope: object = None
        self._module = ModuleValues()
        self._program = ProgramValues(0)
        self._program_module: ModuleValues | None = None
        self._session_builtins: MypyFile | None = None
        self._session = SessionValues()
        # The files of other modules that decided what an unannotated factory of another
        # module returns ({module: path}), by calling module (returns.py): what its note beside
        # mypy's cache already holds (factory_files.py), kept for the process.
        self.factory_files: dict[str, dict[str, str]] = {}

    def module(self, api: CheckerPluginInterface) -> ModuleValues:
        """The values of the module being checked: new ones for another tree, and for the same
        tree checked anew. The daemon re-checks an edited module in its old tree object, whose
        statements it has replaced (mypy/server/astmerge.py keeps node identities), and an
        unchanged one when a module it depends on changed, each time with a new or reset
        checker, whose scope object is new: that object tells a re-check apart. In one run it
        stays the same while the module is checked, deferred passes included."""
        tree = mypy_internals.current_tree(api)
        scope = mypy_internals.checker_scope(api)
        if tree is not self._module_tree or scope is not self._module_scope:
            self._module_tree, self._module_scope = tree, scope
            self._module = ModuleValues()
        return self._module

    def program(self, api: CheckerPluginInterface) -> ProgramValues:
        size = len(mypy_internals.all_modules(api))
        if api.options.fine_grained_incremental:
            module = self.module(api)
            if module is not self._program_module or size != self._program.size:
                self._program_module, self._program = module, ProgramValues(size)
        elif size != self._program.size:
            self._program = ProgramValues(size)
        return self._program

    def stdlib_versions(self, options: Options) -> StdlibVersions | None:
        if self._versions is None:
            self._versions = (mypy_internals.stdlib_versions(options),)
        return self._versions[0]

    def session(self, api: CheckerPluginInterface) -> SessionValues:
        builtins = mypy_internals.get_module(api, "builtins")
        if builtins is not self._session_builtins:
            self._session_builtins, self._session = builtins, SessionValues()
        return self._session
