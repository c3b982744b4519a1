"""What an import string or an application argument refers to, read from mypy's symbol tables.

uvicorn imports `"pkg.module:attr.path"` with importlib (the part before ":") and getattr (each
part after it). mypy holds the symbol table of the modules it has analysed: the module being
checked and everything it imports (mypy analyses modules in dependency order). A missing
attribute of such a module, or a module that is certainly absent, is known before start-up.
Anything else (an installed package, a file outside the checked paths, a module of the program
that this one does not import) is unknown, and unknown is never reported.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping

from mypy.nodes import (
    ARG_POS,
    ARG_STAR,
    Decorator,
    FuncDef,
    MypyFile,
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

from mypy_uvicorn import _compat
from mypy_uvicorn.rules import Callability, Target
from mypy_uvicorn.state import State


class Unresolved:
    __slots__ = ("fix", "reason")

    def __init__(self, reason: str, fix: str | None) -> None:
        self.reason = reason
        self.fix = fix  # a corrected import string that itself resolves, if there is one


def resolve(
    api: CheckerPluginInterface,
    target: str,
    *,
    factory: bool | None,
    app_dir: bool,
    state: State,
) -> Unresolved | Target | None:
    """`Unresolved` when the string certainly fails, its `Target` when mypy knows it, else None.

    `factory` (True, False, or None when not known) picks suggestions that fit; with `app_dir`
    the module search root is not known, so only modules of the program are looked into.
    """
    module_name, _, path = target.partition(":")
    attributes = path.split(".")
    module = _compat.get_module(api, module_name)
    if module is None:
        if app_dir or module_exists(api, module_name, state):
            return None
        fix = _closest_module(api, module_name, path, factory, state)
        return Unresolved(f'uvicorn cannot import module "{module_name}"', fix)
    if not is_readable(api, module_name, state):
        return None
    found = _walk(module, attributes)
    if isinstance(found, _Missing):
        fix = _closest_attribute(api, module_name, found, factory, state)
        return Unresolved(f'{found.owner} has no attribute "{found.name}"', fix)
    if found is None:
        return None
    return target_of(found, f'"{target}"')


class _Missing:
    __slots__ = ("candidates", "name", "owner", "prefix")

    def __init__(self, owner: str, prefix: list[str], name: str, candidates: list[str]) -> None:
        self.owner = owner  # 'module "main"' or '"Api"'
        self.prefix = prefix  # the attributes that resolved
        self.name = name
        self.candidates = candidates


def is_readable(api: CheckerPluginInterface, module_name: str, state: State) -> bool:
    """Whether `module_name` is the module being checked or one it imports: mypy has always
    analysed these before it checks this one, from source or from its cache. Other modules of the
    program may not be analysed yet (mypy works through them in dependency order), so reading
    them would make a finding depend on the order of work and on a warm cache."""
    tree = _compat.current_tree(api)
    if tree is None:
        return False
    if module_name == tree.fullname or module_name in state.imports(api):
        return True
    return module_name in state.per_module(api, "bound_modules", lambda: _bound_modules(tree))


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


def _walk(module: MypyFile, attributes: list[str]) -> SymbolNode | _Missing | None:
    if "__name__" not in module.names:
        return None  # parsed, not analysed: nothing is known of its names
    if "__getattr__" in module.names:
        return None  # a module __getattr__ answers any name
    names: Mapping[str, SymbolTableNode] = module.names
    owner = f'module "{module.fullname}"'
    node: SymbolNode | None = None
    for i, attribute in enumerate(attributes):
        symbol = names.get(attribute)
        if symbol is None:
            public = [name for name in names if not name.startswith("_")]
            return _Missing(owner, attributes[:i], attribute, public)
        node = symbol.node
        if i == len(attributes) - 1:
            return node
        members = node.names if isinstance(node, MypyFile) else _members(node)
        if members is None:
            return None  # not a module or a class we can read: unknown
        owner = f'"{".".join(attributes[: i + 1])}"'
        names = members
    return node


def _members(node: SymbolNode | None) -> dict[str, SymbolTableNode] | None:
    info: TypeInfo | None = None
    if isinstance(node, TypeInfo):
        info = node
    elif isinstance(node, Var) and node.type is not None:
        proper = get_proper_type(node.type)
        if isinstance(proper, Instance):
            info = proper.type
    if info is None or any(base.fallback_to_any for base in info.mro):
        return None
    members: dict[str, SymbolTableNode] = {}
    for base in reversed(info.mro):
        members.update(base.names)
    return members


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
    return Callability.APP if kinds.count(ARG_POS) else Callability.FACTORY


def usable(target: Target, factory: bool | None) -> bool:
    """Whether a suggested string names something uvicorn can start as asked."""
    if factory:
        return target.kind in (Callability.FACTORY, Callability.UNKNOWN)
    return target.kind in (Callability.APP, Callability.UNKNOWN)


def _closest_attribute(
    api: CheckerPluginInterface,
    module_name: str,
    missing: _Missing,
    factory: bool | None,
    state: State,
) -> str | None:
    for name in difflib.get_close_matches(missing.name, missing.candidates, n=5, cutoff=0.6):
        candidate = f"{module_name}:{'.'.join([*missing.prefix, name])}"
        if _resolves_usably(api, candidate, factory, state):
            return candidate
    return None


def _closest_module(
    api: CheckerPluginInterface,
    module_name: str,
    path: str,
    factory: bool | None,
    state: State,
) -> str | None:
    # A typo is matched against whole module names and against their last part
    # ("mian" -> "pkg.main" when the program has no top-level "main").
    by_key: dict[str, str] = {}
    for name in _program(api, state):
        by_key.setdefault(name, name)
        by_key.setdefault(name.rpartition(".")[2], name)
    for key in difflib.get_close_matches(module_name, list(by_key), n=5, cutoff=0.6):
        candidate = f"{by_key[key]}:{path}"
        if _resolves_usably(api, candidate, factory, state):
            return candidate
    return None


def _resolves_usably(
    api: CheckerPluginInterface, candidate: str, factory: bool | None, state: State
) -> bool:
    module_name, _, path = candidate.partition(":")
    module = _compat.get_module(api, module_name)
    if module is None or not is_readable(api, module_name, state):
        return False
    found = _walk(module, path.split("."))
    if found is None or isinstance(found, _Missing):
        return False
    return usable(target_of(found, candidate), factory)


def program_modules(api: CheckerPluginInterface) -> list[str]:
    """The modules mypy read from the checked program (not typeshed, not installed packages)."""
    modules = _compat.all_modules(api)
    return sorted(
        name
        for name, module in modules.items()
        if module.path
        and not module.is_stub
        and not any(part in module.path.split(os.sep) for part in _NOT_PROGRAM)
    )


_NOT_PROGRAM = ("typeshed", "site-packages", "dist-packages")


def module_exists(api: CheckerPluginInterface, module_name: str, state: State) -> bool:
    """Whether uvicorn's import could find the module: when unsure, True.

    A submodule of a package of the program is looked for on disk beside the package; any other
    module with mypy's own module search over the program's roots, the working directory
    (uvicorn's default app_dir) and the installed packages.
    """
    parent_name, _, last = module_name.rpartition(".")
    if parent_name:
        parent = _compat.get_module(api, parent_name)
        if parent is not None and parent.path and parent.is_package_init_file():
            directory = os.path.dirname(parent.path)
            return _on_disk(directory, last)
    roots = state.per_module(api, "roots", lambda: _program_roots(api, _program(api, state)))
    return state.module_exists(api, module_name, roots)


def _on_disk(directory: str, name: str) -> bool:
    if os.path.isdir(os.path.join(directory, name)):
        return True
    try:
        entries = os.listdir(directory)
    except OSError:
        return True
    return any(entry.split(".", 1)[0] == name for entry in entries)


def _program(api: CheckerPluginInterface, state: State) -> list[str]:
    return state.per_module(api, "program", lambda: program_modules(api))


def _program_roots(api: CheckerPluginInterface, program: list[str]) -> list[str]:
    roots = {os.getcwd()}
    modules = _compat.all_modules(api)
    for name in program:
        module = modules[name]
        if module.path:
            depth = name.count(".") + (1 if module.is_package_init_file() else 0)
            root = os.path.dirname(os.path.abspath(module.path))
            for _ in range(depth):
                root = os.path.dirname(root)
            roots.add(root)
    return sorted(roots)
