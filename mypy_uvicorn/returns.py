"""What an unannotated function of the module being checked returns, when mypy types its call
`Any` only for want of annotations: read from its `return` statements (imported on first use:
only such a call needs it)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mypy.nodes import (
    CallExpr,
    ClassDef,
    Decorator,
    Expression,
    FuncDef,
    OverloadedFuncDef,
    RefExpr,
    ReturnStmt,
    Statement,
    TypeInfo,
)
from mypy.types import AnyType, CallableType, TypeOfAny, get_proper_type

from mypy_uvicorn.arguments import Actual
from mypy_uvicorn.bindings import children
from mypy_uvicorn.checked_module import CheckedModule
from mypy_uvicorn.records import AppKind


def unannotated_returns(module: CheckedModule, actual: Actual) -> AppKind:
    """The kind of what an unannotated function of this module returns, when mypy types its call
    `Any` only for want of annotations: read from its `return` statements when each one certainly
    gives an instance of a known class, or a name bound once to one; else UNKNOWN.

    Only functions of the module being checked: another module's body may come from mypy's cache
    without its statements, and a warm run must agree with a cold one."""
    callee = actual.expr.callee if isinstance(actual.expr, CallExpr) else None
    func = callee.node if isinstance(callee, RefExpr) else None
    tree = module.tree
    if (
        not isinstance(get_proper_type(actual.type), AnyType)
        or not isinstance(func, FuncDef)
        or tree is None
        or tree.names.get(func.name) is None
        or tree.names[func.name].node is not func
    ):
        return AppKind.UNKNOWN
    known = module.values.returns
    if func not in known:
        known[func] = _returns_kind(module, func)
    return known[func]


def _returns_kind(module: CheckedModule, func: FuncDef) -> AppKind:
    if func.type is not None:  # annotated in part: unannotated only if its return is
        signature = func.type  # a FunctionLike: proper already
        ret = get_proper_type(signature.ret_type) if isinstance(signature, CallableType) else None
        if not (isinstance(ret, AnyType) and ret.type_of_any == TypeOfAny.unannotated):
            return AppKind.UNKNOWN
    body = func.body.body
    if (
        func.is_generator
        or func.is_coroutine
        or not body
        or not isinstance(body[-1], ReturnStmt)  # else it may fall through to None
    ):
        return AppKind.UNKNOWN
    kinds: set[AppKind] = set()
    for returned in _returned(body):
        value = returned
        if returned is not None and not isinstance(returned, CallExpr):
            value = module.bound_value(returned)
        info = _instantiated(value)
        if info is None:
            return AppKind.UNKNOWN
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


def _instantiated(expr: Expression | None) -> TypeInfo | None:
    """The class `expr` certainly makes an instance of: `App(...)` of a class that neither a
    `__new__` nor its metaclass's `__call__` may turn into something else."""
    if not isinstance(expr, CallExpr) or not isinstance(expr.callee, RefExpr):
        return None
    info = expr.callee.node
    if not isinstance(info, TypeInfo) or info.is_protocol or info.fallback_to_any:
        return None
    if any("__new__" in base.names for base in info.mro[:-1]):  # object's own is the usual one
        return None
    meta = info.metaclass_type
    if meta is not None and any("__call__" in base.names for base in meta.type.mro[:-2]):
        return None  # [..., type, object]: type's own __call__ is the usual one
    return info
