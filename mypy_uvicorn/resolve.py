"""What a name, an import string or an application argument refers to, read from mypy's symbol
tables: the value a name is bound to, the import string that names an object, and what a
literal import string names.

uvicorn imports `"pkg.module:attr.path"` with importlib (the part before ":") and getattr (each
part after it). mypy holds the symbol table of the modules it has analysed before the module
being checked: everything it imports, and the modules of the program its literal import strings
name (the plugin makes them dependencies: targets.py). A missing attribute of such a module, or
a module that no root uvicorn may import from has, is known before start-up. Anything else (an
installed package, a module that means different files from different roots) is unknown, and
unknown is never reported.
"""

from __future__ import annotations

import ast
import difflib
import importlib.machinery
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    ARG_STAR,
    VAR_NO_INFO,
    CallExpr,
    Decorator,
    Expression,
    FuncDef,
    Import,
    ImportAll,
    ImportFrom,
    MemberExpr,
    MypyFile,
    NameExpr,
    OverloadedFuncDef,
    RefExpr,
    SymbolNode,
    SymbolTableNode,
    TypeInfo,
    Var,
)
from mypy.plugin import CheckerPluginInterface
from mypy.subtypes import find_member
from mypy.types import (
    CallableType,
    Instance,
    ProperType,
    Type,
    get_proper_type,
)

from mypy_uvicorn import mypy_internals, targets
from mypy_uvicorn.plugin import outside_program
from mypy_uvicorn.records import Callability, Suggestion, Target
from mypy_uvicorn.state import ModuleValues, ProgramValues, State

if TYPE_CHECKING:
    from mypy.modulefinder import SearchPaths

    from mypy_uvicorn.bindings import Bindings

# --- the module being checked ----------------------------------------------------------------


def module_bindings(api: CheckerPluginInterface, state: State) -> Bindings | None:
    """The statements that bind each variable of the module being checked (bindings.py: imported
    here, as only a call whose arguments are names of this module needs it)."""
    from mypy_uvicorn.bindings import Bindings

    values = state.module(api)
    if values.bindings is None:
        tree = mypy_internals.current_tree(api)
        if tree is None:
            return None
        values.bindings = Bindings(tree, mypy_internals.all_modules(api))
    return values.bindings


def module_imports(api: CheckerPluginInterface, state: State) -> set[str]:
    """The modules the module being checked imports (imported_modules)."""
    values = state.module(api)
    if values.imports is None:
        tree = mypy_internals.current_tree(api)
        if tree is None:
            return set()
        values.imports = imported_modules(tree)
    return values.imports


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


def bound_value(api: CheckerPluginInterface, state: State, expr: Expression) -> Expression | None:
    """`value` when `expr` names a variable of this module whose only binding is `name = value`.

    Only names of the module being checked qualify (its locals and module-level names): other
    modules may come from mypy's cache without their statements, and a finding must not depend on
    whether the cache was warm (across modules, `Final` carries the value in the type).
    """
    tree = mypy_internals.current_tree(api)
    if tree is None or not isinstance(expr, NameExpr) or not isinstance(expr.node, Var):
        return None
    var = expr.node
    if "." in var.fullname and var.fullname != f"{tree.fullname}.{var.name}":
        return None  # a module-level name of another module, or a class attribute
    bindings = module_bindings(api, state)
    return None if bindings is None else bindings.single(var)


# --- the import string that names an application object -------------------------------------


def suggestion(api: CheckerPluginInterface, state: State, expr: Expression) -> Suggestion | None:
    """The import string to pass instead of the application object `expr`: the object's own
    module-level name, or the factory a local variable was made with."""
    target = module_level_target(api, expr)
    if target is not None:
        return Suggestion(target)
    value = bound_value(api, state, expr)  # `app = create_app()` inside a function
    if isinstance(value, CallExpr) and not value.args:
        factory = module_level_target(api, value.callee, functions_only=True)
        if factory is not None:
            return Suggestion(factory, add_factory=True)
    return None


def module_level_target(
    api: CheckerPluginInterface, expr: Expression, *, functions_only: bool = False
) -> str | None:
    """`"pkg.main:app"` for a name or attribute chain that refers to a module-level object."""
    if not isinstance(expr, RefExpr):
        return None
    if isinstance(expr, MemberExpr) and not functions_only:
        # `server.asgi`: uvicorn walks the part after ":" with getattr, one name at a time.
        owner = module_level_target(api, expr.expr)
        if owner is not None:
            return f"{owner}.{expr.name}"
    node = expr.node
    is_function = isinstance(node, FuncDef | Decorator | OverloadedFuncDef)
    if node is None or not (
        is_function or (not functions_only and isinstance(node, Var | TypeInfo))
    ):
        return None
    module_name, _, name = node.fullname.rpartition(".")
    module = mypy_internals.get_module(api, module_name)
    if module is None or name not in module.names:
        return None
    symbol = module.names[name]
    if symbol.module_hidden or symbol.node is not node:
        return None
    return f"{module_name}:{name}"


# --- what a literal import string names ------------------------------------------------------


class Unresolved:
    __slots__ = ("fix", "reason")

    def __init__(self, reason: str, fix: str | None) -> None:
        self.reason = reason
        self.fix = fix  # a corrected import string that itself resolves, if there is one


def import_string_target(
    api: CheckerPluginInterface,
    state: State,
    target: str,
    *,
    factory: bool | None,
    app_dir: bool,
) -> Unresolved | Target | None:
    """`Unresolved` when the string certainly fails, its `Target` when mypy knows it, else None.

    `factory` (True, False, or None when not known) picks suggestions that fit; with `app_dir`
    the module search root is not known, so only the module itself and what it imports are
    looked into.
    """
    module_name, _, path = target.partition(":")
    attributes = path.split(".")
    if app_dir:
        module = mypy_internals.get_module(api, module_name)
        if module is None or not is_readable(api, state, module_name):
            return None
        return _judge(api, state, module_name, module_name, attributes, target, factory, ())
    names = string_modules(api, state, module_name)
    mypy_name = _module_named(api, state, module_name, names)
    if mypy_name is None:
        if not _missing(api, state, module_name):
            return None
        fix = _closest_module(api, state, module_name, path, factory, names)
        return Unresolved(f'uvicorn cannot import module "{module_name}"', fix)
    return _judge(api, state, module_name, mypy_name, attributes, target, factory, names)


def _judge(
    api: CheckerPluginInterface,
    state: State,
    module_name: str,
    mypy_name: str,
    attributes: list[str],
    target: str,
    factory: bool | None,
    names: Sequence[str],
) -> Unresolved | Target | None:
    module = mypy_internals.get_module(api, mypy_name)
    if module is None:
        return None
    touched: list[str] | None = [] if mypy_internals.keeps_plugin_deps(api) else None
    found = _walk(module, attributes, module_name, touched)
    for fullname in touched or ():
        # The daemon re-checks this module when what the string walks through changes: a name
        # of the module, or a member of a class (`"main:service.asgi"`: `main.Service.asgi`).
        mypy_internals.add_plugin_dependency(api, mypy_internals.name_trigger(fullname))
    if isinstance(found, _Missing):
        if _bound_unreachably(api, state.module(api), found):
            return None  # bound in code mypy skips (`else:` of `if TYPE_CHECKING:`)
        fix = _closest_attribute(api, state, module_name, found, factory, names)
        return Unresolved(f'{found.owner} has no attribute "{found.name}"', fix)
    if found is None:
        return None
    return target_of(found, f'"{target}"')


def string_modules(api: CheckerPluginInterface, state: State, module_name: str) -> list[str]:
    """The modules of the program a string module may name from the module being checked, as
    mypy names them (targets.dependency_names: the plugin made mypy analyse them before this
    module). The daemon is told to re-check this module when any of them changes."""
    values = state.module(api)
    cached = values.string_modules.get(module_name)
    if cached is not None:
        return cached
    tree = mypy_internals.current_tree(api)
    names: list[str] = []
    if tree is not None and tree.path:
        if values.search is None:
            values.search = state.search()
        names = targets.dependency_names(
            tree.path, tree.fullname, tree.is_package_init_file(), module_name, values.search
        )
        package = tree.fullname if tree.is_package_init_file() else tree.fullname.rpartition(".")[0]
        watched = {*names, module_name, f"{package}.{module_name}" if package else module_name}
        for name in sorted(watched):
            mypy_internals.add_plugin_dependency(api, mypy_internals.name_trigger(name))
            mypy_internals.add_plugin_dependency(
                api, mypy_internals.name_trigger(f"{name}[wildcard]")
            )
    values.string_modules[module_name] = names
    return names


def _module_named(
    api: CheckerPluginInterface, state: State, module_name: str, names: Sequence[str]
) -> str | None:
    """The mypy module the string module names, when it is the same file from every root
    uvicorn may import from and mypy has analysed it before this module; else None."""
    files = module_files(api, state, module_name)
    if len(files) != 1:
        return None
    (file,) = files
    for name in (module_name, *names):
        module = mypy_internals.get_module(api, name)
        if (
            module is not None
            and module.path
            and _real_path(state.program(api), module.path) == file
            and (name in names or is_readable(api, state, name))
        ):
            return name
    return None


def module_files(api: CheckerPluginInterface, state: State, module_name: str) -> set[str]:
    """The files (real paths) `module_name` imports from each root a launch could give uvicorn:
    the calling file's own directory (`python path/to/file.py`), the working directory
    (`python -m`), the program's roots, and mypy's own search (installed packages)."""
    values = state.module(api)
    cached = values.module_files.get(module_name)
    if cached is not None:
        return cached
    tree = mypy_internals.current_tree(api)
    roots = list(_roots(api, state))
    if tree is not None and tree.path:
        roots.insert(0, os.path.dirname(os.path.abspath(tree.path)))
    files: set[str] = set()
    program = state.program(api)
    for root in roots:
        in_root = _module_file(program, root, module_name)
        if in_root is not None:
            files.add(_real_path(program, in_root))
    if all(part.isidentifier() for part in module_name.split(".")):
        found = _installed_file(api, state, module_name, program)
        if found is True:
            files.add(_UNKNOWN_FILE)  # the search could not run: somewhere, not known where
        elif found:
            files.add(_real_path(program, found))
    values.module_files[module_name] = files
    return files


def _installed_file(
    api: CheckerPluginInterface, state: State, module_name: str, program: ProgramValues
) -> str | bool:
    """The file an import of `module_name` finds beyond the program's roots, where mypy's own
    search looks (mypy_path, then the installed packages of the target Python); False when none
    has it, True when the search cannot run. The working directory is one of the roots: a
    module there does not hide an installed one of the same name (a script started from
    another directory imports the installed one).

    A standard library name is left to mypy's own search (typeshed), which is what mypy
    resolves it to; any other name is looked up in the directory listings, as Python's path
    finder would: mypy's full search would list typeshed for every name (most of the plugin's
    cost in a program with one uvicorn call)."""
    if module_name.partition(".")[0] in targets.STDLIB:
        return _found_by_mypy(api, state, module_name, ())
    try:
        paths = _search_paths(api, state, ())
    except Exception:  # an internal API: on any change, say nothing rather than guess
        return True
    for directory in (*paths.mypy_path, *paths.package_path):
        found = _module_file(program, directory, module_name)
        if found is not None:
            return found
    return False


_UNKNOWN_FILE = "<unknown>"


def _real_path(values: ProgramValues, path: str) -> str:
    real = values.real_paths.get(path)
    if real is None:
        real = values.real_paths[path] = os.path.realpath(path)
    return real


def _module_file(values: ProgramValues, root: str, module_name: str) -> str | None:
    """What Python's path finder imports `module_name` from under `root`: a package, a
    namespace directory, or a file of any suffix it loads (extension modules, source,
    bytecode), whatever its name (importlib imports "my-app" from my-app.py)."""
    *packages, last = module_name.split(".")
    directory = os.path.join(root, *packages)
    entries = values.listings.get(directory)
    if entries is None:
        try:
            entries = values.listings[directory] = os.listdir(directory)
        except OSError:
            entries = values.listings[directory] = []
    if last in entries and os.path.isdir(os.path.join(directory, last)):
        init = os.path.join(directory, last, "__init__.py")
        return init if os.path.exists(init) else os.path.join(directory, last)
    for suffix in _SUFFIXES:
        if last + suffix in entries:
            return os.path.join(directory, last + suffix)
    # An extension module built for another platform or Python ("app.cp312-win_amd64.pyd")
    # where the program is deployed.
    prefix = last + "."
    for entry in entries:
        if entry.startswith(prefix) and entry.endswith(_EXTENSIONS):
            return os.path.join(directory, entry)
    return None


# What Python's path finder loads, in its order, and extension modules of every platform.
_SUFFIXES = tuple(importlib.machinery.all_suffixes())
_EXTENSIONS = (".so", ".pyd")


def _missing(api: CheckerPluginInterface, state: State, module_name: str) -> bool:
    """Whether uvicorn certainly cannot import the module, from any root.

    A submodule of a package of the program is looked for beside the package: certain. Any
    other module is missing when no root has it and mypy's own search does not find it either,
    and is reported only where mypy would report an import of it (ignore_missing_imports)."""
    if module_files(api, state, module_name):
        return False
    parent_name, _, last = module_name.rpartition(".")
    if parent_name:
        parent = mypy_internals.get_module(api, parent_name)
        if (
            parent is not None
            and parent.path
            and parent.is_package_init_file()
            and not outside_program(parent.path)
        ):
            return not _on_disk(os.path.dirname(parent.path), last)
    if mypy_internals.ignores_missing_imports(api.options, module_name):
        return False
    return not _found_by_mypy(api, state, module_name, _roots(api, state))


def file_exists(api: CheckerPluginInterface, state: State, module_name: str) -> bool:
    """Whether some root has a file Python imports as `module_name` (any file name)."""
    return bool(module_files(api, state, module_name))


def _roots(api: CheckerPluginInterface, state: State) -> list[str]:
    values = state.program(api)
    if values.roots is None:
        values.roots = _program_roots(api)
    return values.roots


def _bound_unreachably(
    api: CheckerPluginInterface, values: ModuleValues, missing: _Missing
) -> bool:
    """Whether the source binds the missing name where mypy looked for it (at module level, or
    in the body of the class or of one of its bases) in code mypy does not analyse (the `else:`
    of `if TYPE_CHECKING:`, a platform check): read from the files, so that the answer is the
    same when mypy loads the modules from its cache."""
    for scope in missing.scopes:
        if isinstance(scope, MypyFile):
            module, qualname = scope, ""
        else:
            module_or_none = mypy_internals.get_module(api, scope.module_name)
            if module_or_none is None:
                return True  # its source is not known: any name
            module, qualname = module_or_none, scope.fullname[len(scope.module_name) + 1 :]
        if not module.path or not module.path.endswith(".py"):
            continue
        key = f"{module.path}:{qualname}"
        if key not in values.source_names:
            values.source_names[key] = _source_names(module.path, qualname)
        bound = values.source_names[key]
        if bound is None or missing.name in bound:  # a source that cannot be read: any name
            return True
    return False


_UNREAD_BINDINGS: tuple[type[ast.AST], ...] = (
    ast.Match,
    ast.NamedExpr,
    *((ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ()),  # Python 3.12+
)


def _source_names(path: str, qualname: str) -> frozenset[str] | None:
    """The names the source binds at module level (`qualname` "") or in the body of the class
    `qualname` ("Api", "Api.Inner"; every definition of it); None for any name (a source that
    cannot be read, or that binds names in ways the walk below does not read)."""
    try:
        with open(path, encoding="utf-8") as source:
            body = ast.parse(source.read()).body
    except (OSError, SyntaxError, ValueError):
        return None
    for name in qualname.split(".") if qualname else ():
        classes = [c for c in _statements(body) if isinstance(c, ast.ClassDef) and c.name == name]
        body = [statement for c in classes for statement in c.body]
    # Bindings the walk below does not read (match captures, `:=`, `type X = ...`): any name.
    if any(isinstance(node, _UNREAD_BINDINGS) for s in body for node in ast.walk(s)):
        return None
    names: set[str] = set()
    for statement in _statements(body):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).partition(".")[0] for a in statement.names)
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(statement, ast.With | ast.AsyncWith):
            for item in statement.items:
                if item.optional_vars is not None:
                    names.update(
                        n.id for n in ast.walk(item.optional_vars) if isinstance(n, ast.Name)
                    )
    return frozenset(names)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a body and of the blocks inside it (if, try, with, loops, match), not
    the bodies of the functions and classes it defines."""
    pending: list[ast.stmt] = list(body)
    while pending:
        statement = pending.pop()
        yield statement
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.iter_child_nodes(statement):
            if isinstance(node, ast.stmt):
                pending.append(node)
            elif isinstance(node, ast.ExceptHandler):
                pending.extend(node.body)


class _Missing:
    __slots__ = ("candidates", "name", "owner", "prefix", "rest", "scopes")

    def __init__(
        self,
        owner: str,
        prefix: list[str],
        name: str,
        rest: list[str],
        candidates: list[str],
        scopes: Sequence[MypyFile | TypeInfo],
    ) -> None:
        self.owner = owner  # 'module "main"' or '"Api"'
        self.prefix = prefix  # the attributes that resolved
        self.name = name
        self.rest = rest  # the attributes after the missing one
        self.candidates = candidates
        # Where the name was looked up: the module, or the class and its bases.
        self.scopes = scopes


def is_readable(api: CheckerPluginInterface, state: State, module_name: str) -> bool:
    """Whether `module_name` is the module being checked or one it imports: mypy has always
    analysed these before it checks this one, from source or from its cache. Other modules of the
    program may not be analysed yet (mypy works through them in dependency order), so reading
    them would make a finding depend on the order of work and on a warm cache."""
    tree = mypy_internals.current_tree(api)
    if tree is None:
        return False
    if module_name == tree.fullname or module_name in module_imports(api, state):
        return True
    values = state.module(api)
    if values.bound_modules is None:
        values.bound_modules = _bound_modules(tree)
    return module_name in values.bound_modules


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


def _walk(
    module: MypyFile, attributes: list[str], spelt: str, touched: list[str] | None = None
) -> SymbolNode | _Missing | None:
    """What `attributes` name in `module` (which the string spells `spelt`). `touched` gets the
    fullname of each name looked up (in each class of the MRO for a member)."""
    if "__name__" not in module.names:
        return None  # parsed, not analysed: nothing is known of its names
    if "__getattr__" in module.names:
        return None  # a module __getattr__ answers any name
    names: Mapping[str, SymbolTableNode] = module.names
    scopes: Sequence[MypyFile | TypeInfo] = (module,)
    owner = f'module "{spelt}"'
    node: SymbolNode | None = None
    for i, attribute in enumerate(attributes):
        if touched is not None:
            touched.extend(f"{scope.fullname}.{attribute}" for scope in scopes)
        symbol = names.get(attribute)
        if symbol is None:
            public = [name for name in names if not name.startswith("_")]
            rest = attributes[i + 1 :]
            return _Missing(owner, attributes[:i], attribute, rest, public, scopes)
        node = symbol.node
        if i == len(attributes) - 1:
            return node
        members: Mapping[str, SymbolTableNode]
        if isinstance(node, MypyFile):
            members, scopes = node.names, (node,)
        else:
            found = _members(node)
            if found is None:
                return None  # not a module or a class we can read: unknown
            members, scopes = found
        owner = f'"{".".join(attributes[: i + 1])}"'
        names = members
    return node


def _members(
    node: SymbolNode | None,
) -> tuple[dict[str, SymbolTableNode], tuple[TypeInfo, ...]] | None:
    """The members of a class, or of the class of an instance, and the classes of its MRO that
    define them (not `object`)."""
    info: TypeInfo | None = None
    if isinstance(node, TypeInfo):
        info = node
    elif isinstance(node, Var) and node.type is not None:
        if node.info is not VAR_NO_INFO and node.info.is_enum:
            return None  # an enum member: its type is its value's, not the member's
        proper = get_proper_type(node.type)
        if isinstance(proper, Instance):
            info = proper.type
    if info is None or any(base.fallback_to_any for base in info.mro):
        return None
    if any(
        "__getattr__" in base.names or "__getattribute__" in base.names
        for base in info.mro
        if base.fullname != "builtins.object"
    ):
        return None  # answers any name
    members: dict[str, SymbolTableNode] = {}
    for base in reversed(info.mro):
        members.update(base.names)
    return members, tuple(base for base in info.mro if base.fullname != "builtins.object")


def target_of(node: SymbolNode, what: str) -> Target:
    """How uvicorn can use what a string names: an application, a factory, or neither."""
    if isinstance(node, FuncDef):
        if node.type is not None:
            return target_of_type(node.type, what)
        return Target(what, _by_arguments(node.arg_kinds), Callability.UNKNOWN)
    if isinstance(node, Decorator):
        return target_of_type(node.var.type, what)
    if isinstance(node, Var):
        return target_of_type(node.type, what)
    return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)  # classes, modules, overloads


def target_of_type(typ: Type | None, what: str) -> Target:
    kind, returns = _callability(typ)
    return Target(what, kind, returns)


def _callability(typ: Type | None) -> tuple[Callability, Callability]:
    """(what calling looks like, what the call returns) for a value of type `typ`."""
    proper = get_proper_type(typ) if typ is not None else None
    call = _call_signature(proper)
    if call is None:
        # A declared class without __call__ (`object` itself says nothing).
        if isinstance(proper, Instance) and proper.type.fullname != "builtins.object":
            return Callability.NOT_CALLABLE, Callability.UNKNOWN
        return Callability.UNKNOWN, Callability.UNKNOWN
    if call.is_type_obj():
        return Callability.UNKNOWN, Callability.UNKNOWN  # a class (ASGI2 or a factory): unjudged
    kind = _by_arguments(call.arg_kinds)
    if kind is Callability.APP and _callability(call.ret_type)[0] is Callability.APP:
        # It takes arguments and returns an application: a factory that needs arguments.
        return Callability.NEEDS_ARGUMENTS, Callability.APP
    if kind is Callability.FACTORY:
        returns, _ = _callability(call.ret_type)
        if returns is Callability.FACTORY:
            returns = Callability.UNKNOWN  # an application object with an optional argument
        return kind, returns
    return kind, Callability.UNKNOWN


def _call_signature(proper: ProperType | None) -> CallableType | None:
    if isinstance(proper, CallableType):
        return proper
    if isinstance(proper, Instance):
        member = find_member("__call__", proper, proper, is_operator=True)
        member = get_proper_type(member) if member is not None else None
        if isinstance(member, CallableType):
            return member
    return None


def _by_arguments(kinds: Iterable[object]) -> Callability:
    kinds = list(kinds)
    if ARG_STAR in kinds:
        return Callability.UNKNOWN
    if ARG_NAMED in kinds:
        return Callability.NEEDS_ARGUMENTS  # a required keyword-only parameter
    return Callability.APP if kinds.count(ARG_POS) else Callability.FACTORY


def usable(target: Target, factory: bool | None) -> bool:
    """Whether a suggested string names something uvicorn can start as asked."""
    if factory:
        return target.kind in (Callability.FACTORY, Callability.UNKNOWN)
    return target.kind in (Callability.APP, Callability.UNKNOWN)


def _closest_attribute(
    api: CheckerPluginInterface,
    state: State,
    module_name: str,
    missing: _Missing,
    factory: bool | None,
    names: Sequence[str],
) -> str | None:
    # The rest of the path is kept: "main:servce.asgi" -> "main:service.asgi".
    for name in difflib.get_close_matches(missing.name, missing.candidates, n=5, cutoff=0.6):
        candidate = f"{module_name}:{'.'.join([*missing.prefix, name, *missing.rest])}"
        if resolves_usably(api, state, candidate, factory, names):
            return candidate
    return None


def _closest_module(
    api: CheckerPluginInterface,
    state: State,
    module_name: str,
    path: str,
    factory: bool | None,
    names: Sequence[str],
) -> str | None:
    # A typo is matched against whole module names and against their last part
    # ("mian" -> "pkg.main" when the program has no top-level "main").
    by_key: dict[str, str] = {}
    for name in _program(api, state):
        by_key.setdefault(name, name)
        by_key.setdefault(name.rpartition(".")[2], name)
    for key in difflib.get_close_matches(module_name, list(by_key), n=5, cutoff=0.6):
        candidate = f"{by_key[key]}:{path}"
        if resolves_usably(api, state, candidate, factory, names):
            return candidate
    return None


def resolves_usably(
    api: CheckerPluginInterface,
    state: State,
    candidate: str,
    factory: bool | None,
    names: Sequence[str] | None = None,
) -> bool:
    """Whether a suggested string names something uvicorn can start as asked (never a module
    or a class: what it makes is not known)."""
    module_name, _, path = candidate.partition(":")
    if names is None:
        names = string_modules(api, state, module_name)
    mypy_name = _module_named(api, state, module_name, names)
    module = None if mypy_name is None else mypy_internals.get_module(api, mypy_name)
    if module is None:
        return False
    found = _walk(module, path.split("."), module_name)
    if found is None or isinstance(found, _Missing | MypyFile | TypeInfo):
        return False
    return usable(target_of(found, candidate), factory)


def program_modules(api: CheckerPluginInterface) -> list[str]:
    """The modules mypy read from the checked program (not typeshed, not installed packages)."""
    modules = mypy_internals.all_modules(api)
    return sorted(
        name
        for name, module in modules.items()
        if module.path and not module.is_stub and not outside_program(module.path)
    )


def _found_by_mypy(
    api: CheckerPluginInterface, state: State, name: str, roots: Sequence[str]
) -> str | bool:
    """The file mypy's own module search finds for `name` from `roots` and the installed
    packages (False when none); True when the search cannot run (it is one of the internals
    the plugin reads)."""
    try:
        key = (str(api.options.python_executable), *roots)
        finders = state.module(api).finders
        finder = finders.get(key)
        if finder is None:
            paths = _search_paths(api, state, roots)
            versions = state.stdlib_versions(api.options)
            finder = finders[key] = mypy_internals.module_finder(api, paths, versions)
        return mypy_internals.found_path(finder, name)
    except Exception:  # an internal API: on any change, say nothing rather than guess
        return True


def _search_paths(api: CheckerPluginInterface, state: State, roots: Sequence[str]) -> SearchPaths:
    key = (str(api.options.python_executable), *roots)
    search_paths = state.session(api).search_paths
    paths = search_paths.get(key)
    if paths is None:
        paths = search_paths[key] = mypy_internals.module_search_paths(api, roots)
    return paths


def _on_disk(directory: str, name: str) -> bool:
    if os.path.isdir(os.path.join(directory, name)):
        return True
    try:
        entries = os.listdir(directory)
    except OSError:
        return True
    return any(entry.split(".", 1)[0] == name for entry in entries)


def _program(api: CheckerPluginInterface, state: State) -> list[str]:
    values = state.program(api)
    if values.program is None:
        values.program = program_modules(api)
    return values.program


def _program_roots(api: CheckerPluginInterface) -> list[str]:
    """The directories the program's modules are imported from (as program_modules tells them),
    and the working directory. One path computation per directory and package depth: a program
    has many modules in few directories."""
    roots = {os.getcwd()}
    seen: set[tuple[str, int]] = set()
    for name, module in mypy_internals.all_modules(api).items():
        path = module.path
        if not path or module.is_stub or outside_program(path):
            continue
        depth = name.count(".") + (1 if module.is_package_init_file() else 0)
        key = (path.rpartition(os.sep)[0], depth)
        if key in seen:
            continue
        seen.add(key)
        root = os.path.dirname(os.path.abspath(path))
        for _ in range(depth):
            root = os.path.dirname(root)
        roots.add(root)
    return sorted(roots)
