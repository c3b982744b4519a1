"""What uvicorn can do with an application value: call it as an application, call it with no
arguments as a factory, or neither; read from mypy's node or type of it."""

from __future__ import annotations

from collections.abc import Iterable

from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    ARG_STAR,
    Decorator,
    FakeInfo,
    FuncDef,
    SymbolNode,
    Var,
)
from mypy.subtypes import find_member
from mypy.types import CallableType, Instance, ProperType, Type, get_proper_type

from mypy_uvicorn.records import Callability, Target


def of_node(node: SymbolNode, what: str, owner: str = "module") -> Target:
    """How uvicorn can use what an import string names: an application, a factory, or
    neither. `owner` is what the name was looked up in (attributes.owner_kind): "module",
    "class" or "instance"."""
    if owner != "module" and isinstance(node, FuncDef | Decorator):
        return _of_member(node, what, owner)
    if isinstance(node, FuncDef):
        if node.type is not None:
            return of_type(node.type, what)
        return Target(what, _by_arguments(node.arg_kinds), Callability.UNKNOWN)
    if isinstance(node, Decorator):
        return of_type(node.var.type, what)
    if isinstance(node, Var):
        return of_type(node.type, what)
    return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)  # classes, modules, overloads


def _in_enum(func: FuncDef) -> bool:
    """Whether the method is defined in an enum (or its class is not known): an enum's
    descriptors answer lookups through the class in their own ways."""
    return isinstance(func.info, FakeInfo) or func.info.is_enum


def _of_member(node: FuncDef | Decorator, what: str, owner: str) -> Target:
    """A function defined in a class, looked up in the class or in an instance: getattr binds
    `self` through an instance and `cls` for a classmethod, and a property reached through an
    instance is its getter's value (through the class it is the property object, which is not
    callable; a property of an enum is not followed)."""
    func = node.func if isinstance(node, Decorator) else node
    typ = node.var.type if isinstance(node, Decorator) else node.type
    if func.is_property:
        getter = get_proper_type(typ)
        if owner == "instance" and isinstance(getter, CallableType):
            return of_type(getter.ret_type, what)
        if owner == "class" and isinstance(node, Decorator) and not _in_enum(func):
            return Target(what, Callability.NOT_CALLABLE, Callability.UNKNOWN)
        return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)
    bound = func.is_class or (owner == "instance" and not func.is_static)
    if not bound:
        return of_node(node, what)
    proper = get_proper_type(typ)
    if isinstance(proper, CallableType):
        if not proper.arg_kinds or proper.arg_kinds[0] != ARG_POS:
            return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)
        return of_type(
            proper.copy_modified(
                arg_types=proper.arg_types[1:],
                arg_kinds=proper.arg_kinds[1:],
                arg_names=proper.arg_names[1:],
            ),
            what,
        )
    if typ is None and isinstance(node, FuncDef) and node.arg_kinds[:1] == [ARG_POS]:
        return Target(what, _by_arguments(node.arg_kinds[1:]), Callability.UNKNOWN)
    return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)


def of_type(typ: Type | None, what: str) -> Target:
    """How uvicorn can use a value of type `typ` (`what` is how a message names it)."""
    kind, returns = _callability(typ)
    return Target(what, kind, returns)


def usable(target: Target, factory: bool | None) -> bool:
    """Whether a suggested string names something uvicorn can start as asked."""
    if factory:
        return target.kind in (Callability.FACTORY, Callability.UNKNOWN)
    return target.kind in (Callability.APP, Callability.UNKNOWN)


def _callability(typ: Type | None) -> tuple[Callability, Callability]:
    """(what calling looks like, what the call returns) for a value of type `typ`."""
    proper = get_proper_type(typ) if typ is not None else None
    call = _call_signature(proper)
    if call is None:
        # A declared class without __call__ (`object` itself says nothing, nor does a class
        # with a base mypy could not read: `class API(FastAPI)` without fastapi installed).
        if (
            isinstance(proper, Instance)
            and proper.type.fullname != "builtins.object"
            and not any(info.fallback_to_any for info in proper.type.mro)
        ):
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
