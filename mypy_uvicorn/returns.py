"""What an unannotated function of the program returns, when mypy types its call `Any` only
for want of annotations: read from its `return` statements (imported on first use: only such a
call needs it). A function of the module being checked is read from mypy's tree; one of another
module it imports from that module's source (mypy's cache keeps no statements), with the names
resolved in that module's symbol table, so a warm run agrees with a cold one (and the calling
module's cache entry follows that source: factory_files.py).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator, Sequence

from mypy.nodes import (
    CallExpr,
    ClassDef,
    Decorator,
    Expression,
    FuncDef,
    MypyFile,
    NameExpr,
    OverloadedFuncDef,
    RefExpr,
    ReturnStmt,
    Statement,
    SymbolNode,
    TypeInfo,
    Var,
)
from mypy.types import AnyType, CallableType, TypeOfAny, get_proper_type

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.arguments import Actual
from mypy_uvicorn.bindings import children
from mypy_uvicorn.checked_module import CheckedModule
from mypy_uvicorn.constants import outside_program
from mypy_uvicorn.records import AppKind


def unannotated_returns(module: CheckedModule, actual: Actual) -> AppKind | str:
    """The kind of what an unannotated function returns, for its call (`run(serve(agent))`) or a
    name of this module bound once to its call (`app = create_app()`), when mypy types it `Any`
    only for want of annotations: read from its `return` statements when each one certainly
    gives an instance of a known class, or a name bound once to one; else UNKNOWN. A `str`: the
    name mypy could not import that a returned class comes from (`return FastAPI()` without
    fastapi installed).

    A function of this module, or of a module it imports (mypy has analysed that one first),
    bound once at the module level of its source (`create_app = other` after the `def` would
    make the call something else)."""
    call: Expression | None = actual.expr
    if isinstance(call, NameExpr):
        call = module.bound_value(call)
    callee = call.callee if isinstance(call, CallExpr) else None
    func = callee.node if isinstance(callee, RefExpr) else None
    tree = module.tree
    if not isinstance(get_proper_type(actual.type), AnyType) or not isinstance(func, FuncDef):
        return AppKind.UNKNOWN
    if tree is None:
        return AppKind.UNKNOWN
    known = module.values.returns
    if func in known:
        return known[func]
    if func.type is not None and not _unannotated_return(func):
        known[func] = AppKind.UNKNOWN  # annotated in part: unannotated only if its return is
        return known[func]
    owner_name, _, name = func.fullname.rpartition(".")
    entry = tree.names.get(name)
    owner = mypy_internals.get_module(module.api, owner_name)
    source = _parsed(owner.path) if owner is not None and owner.path else None
    if owner is None or source is None or not _bound_once(source, name):
        known[func] = AppKind.UNKNOWN
        if source is not None:
            _record(module, {owner_name})  # an edit of that file may bind it once
    elif owner_name == tree.fullname and entry is not None and entry.node is func:
        known[func] = _returns_kind(module, func)
    elif not module.is_readable(owner_name):
        known[func] = AppKind.UNKNOWN  # a module mypy may not have analysed yet
    else:
        classes = _source_returned_classes(
            owner, source, name, mypy_internals.all_modules(module.api)
        )
        known[func] = _kind_of(classes)
        # What the call gets depends on those files, which mypy's cache entry of this module
        # does not cover: the factory's module, and the classes it returns with their bases.
        infos = [info for info in classes if isinstance(info, TypeInfo)]
        _record(module, {owner_name, *(base.module_name for i in infos for base in i.mro)})
    return known[func]


def _record(module: CheckedModule, names: set[str]) -> None:
    """Note the program's files of `names` for the calling module's cache entry, once each."""
    tree = module.tree
    if tree is None:
        return
    modules = mypy_internals.all_modules(module.api)
    noted = module.state.factory_files.setdefault(tree.fullname, {})
    files = {}
    for name in names:
        found = modules.get(name)
        path = found.path if found is not None else None
        if name != tree.fullname and path and not outside_program(path):
            files[name] = os.path.abspath(path)
    if any(noted.get(name) != path for name, path in files.items()):
        from mypy_uvicorn import factory_files

        factory_files.record(module.api.options, tree.fullname, files)
        noted.update(files)


def _parsed(path: str) -> ast.Module | None:
    try:
        with open(path, "rb") as handle:
            return ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return None


def _bound_once(source: ast.Module, name: str) -> bool:
    """Whether the module's source binds `name` once at module level (a `def`, an assignment, an
    import...; any `from x import *`, or a `global name` in a function, may bind it again)."""
    count = 0
    pending: list[ast.AST] = list(source.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            count += node.name == name
            for inner in ast.walk(node):
                if isinstance(inner, ast.Global) and name in inner.names:
                    return False
            continue
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return False
        if isinstance(node, ast.Import | ast.ImportFrom):
            count += sum(
                (alias.asname or alias.name.partition(".")[0]) == name for alias in node.names
            )
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            count += node.id == name
        elif isinstance(node, ast.ExceptHandler) and node.name == name:
            count += 1
        pending.extend(ast.iter_child_nodes(node))
    return count == 1


def _unannotated_return(func: FuncDef) -> bool:
    signature = func.type  # a FunctionLike: proper already
    ret = get_proper_type(signature.ret_type) if isinstance(signature, CallableType) else None
    return isinstance(ret, AnyType) and ret.type_of_any == TypeOfAny.unannotated


def _returns_kind(module: CheckedModule, func: FuncDef) -> AppKind | str:
    body = func.body.body
    if (
        func.is_generator
        or func.is_coroutine
        or not body
        or not isinstance(body[-1], ReturnStmt)  # else it may fall through to None
    ):
        return AppKind.UNKNOWN
    return _kind_of(
        _instantiated(
            returned
            if returned is None or isinstance(returned, CallExpr)
            else module.bound_value(returned)
        )
        for returned in _returned(body)
    )


def _kind_of(classes: Iterable[TypeInfo | str | None]) -> AppKind | str:
    """The kind of what every `return` gives, from the class each makes an instance of (None:
    not known; a str: the name of a missing import it comes from, which decides)."""
    kinds: set[AppKind] = set()
    for info in classes:
        if info is None or isinstance(info, str):
            return AppKind.UNKNOWN if info is None else info
        kinds.add(AppKind.STRING if info.has_base("builtins.str") else AppKind.OBJECT)
    return kinds.pop() if len(kinds) == 1 else AppKind.UNKNOWN


def _returned(statements: Sequence[Statement | None]) -> Iterator[Expression | None]:
    """The value of each `return` of a function body, not of the functions and classes in it."""
    for s in statements:
        if s is None or isinstance(s, FuncDef | Decorator | OverloadedFuncDef | ClassDef):
            continue
        if isinstance(s, ReturnStmt):
            yield s.expr
        else:
            yield from _returned(children(s))


def _instantiated(expr: Expression | None) -> TypeInfo | str | None:
    """The class `expr` certainly makes an instance of: `App(...)` of a class that neither a
    `__new__` nor its metaclass's `__call__` may turn into something else; or the name mypy
    could not import that the callee comes from."""
    if not isinstance(expr, CallExpr) or not isinstance(expr.callee, RefExpr):
        return None
    return _class_of(expr.callee.node)


def _class_of(node: SymbolNode | None) -> TypeInfo | str | None:
    if isinstance(node, Var):
        typ = get_proper_type(node.type) if node.type is not None else None
        return typ.missing_import_name if isinstance(typ, AnyType) else None
    return node if isinstance(node, TypeInfo) and _plain_class(node) else None


def _plain_class(info: TypeInfo) -> bool:
    """A class whose call certainly makes an instance of it."""
    if info.is_protocol or info.fallback_to_any:
        return False
    if any("__new__" in base.names for base in info.mro[:-1]):  # object's own is the usual one
        return False
    meta = info.metaclass_type
    # [..., type, object]: type's own __call__ is the usual one.
    return meta is None or not any("__call__" in base.names for base in meta.type.mro[:-2])


def _source_returned_classes(
    owner: MypyFile, source: ast.Module, name: str, modules: dict[str, MypyFile]
) -> list[TypeInfo | str | None]:
    """The class each `return` of the module-level function `name` of `owner` makes an instance
    of (for _kind_of), read from the module's source: a call of a class (`App()`,
    `fastapi.FastAPI()`), or a name the function binds once to one; the class resolved in the
    module's symbol table, unless the function binds that name itself (a parameter, a local).
    [None]: not known."""
    defs = [node for node in source.body if isinstance(node, ast.FunctionDef) and node.name == name]
    if len(defs) != 1:
        return [None]  # not there, or bound more than once
    func = defs[0]
    if not func.body or not isinstance(func.body[-1], ast.Return):
        return [None]  # it may fall through to None
    inner = list(_own_nodes(func))
    if any(isinstance(node, ast.Yield | ast.YieldFrom) for node in inner):
        return [None]
    arguments = func.args
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    parameters += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    stores: dict[str, int] = {a.arg: 2 for a in parameters}  # how often each name is bound
    values: dict[str, ast.expr] = {}  # the value of `name = value`
    for node in inner:
        names: list[str] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names = [node.id]
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names = [node.name]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [(alias.asname or alias.name).partition(".")[0] for alias in node.names]
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names = node.names * 2  # bound elsewhere too
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                values[target.id] = node.value
        for bound in names:
            stores[bound] = stores.get(bound, 0) + 1

    def returned(value: ast.expr | None) -> ast.expr | None:
        if isinstance(value, ast.Name) and stores.get(value.id) == 1:
            return values.get(value.id)
        return value

    return [
        _class_called(owner, returned(node.value), modules, stores)
        for node in inner
        if isinstance(node, ast.Return)
    ]


def _own_nodes(func: ast.FunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body, not of the functions, classes and lambdas in it."""
    pending: list[ast.AST] = list(func.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))


def _class_called(
    owner: MypyFile, value: ast.expr | None, modules: dict[str, MypyFile], local: dict[str, int]
) -> TypeInfo | str | None:
    """The class a call expression makes an instance of, as `owner`'s names resolve it (`App()`,
    `kinds.App()`, `pkg.kinds.App()`: a submodule is looked up in `modules`), under the same
    conditions as `_instantiated`."""
    if not isinstance(value, ast.Call):
        return None
    path: list[str] = []
    callee = value.func
    while isinstance(callee, ast.Attribute):
        path.insert(0, callee.attr)
        callee = callee.value
    if not isinstance(callee, ast.Name) or callee.id in local:
        return None  # not a name of the module: the function's own
    entry = owner.names.get(callee.id)
    node = entry.node if entry is not None else None
    for name in path:
        if not isinstance(node, MypyFile | TypeInfo):
            return None
        entry = node.names.get(name)
        if entry is None and isinstance(node, MypyFile):
            node = modules.get(f"{node.fullname}.{name}")
        else:
            node = entry.node if entry is not None else None
    return _class_of(node)
