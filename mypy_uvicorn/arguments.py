"""What a call's arguments say on their own: the arguments by parameter name, and what their
types and literals tell (the kind of application, whether `reload` or `workers` is on). This
part reads no module but the call's own expressions and types: call_reader.py adds what the
module says.

And what uvicorn can do with an application value, read from mypy's node or type of it (also
for what an import string names, import_strings/verdict.py): call it as an application, call
it with no arguments as a factory, or neither (`callability_of_node`, `callability_of_type`,
`usable`). Here, not in a module of its own: each module file costs every mypy run that reads
a uvicorn call its import (about 0.4 million instructions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import compress
from typing import Final

from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    ARG_STAR,
    ARG_STAR2,
    LDEF,
    ArgKind,
    CallExpr,
    ConditionalExpr,
    Decorator,
    Expression,
    FakeInfo,
    FloatExpr,
    FuncDef,
    IntExpr,
    LambdaExpr,
    MemberExpr,
    NameExpr,
    OverloadedFuncDef,
    RefExpr,
    StrExpr,
    SymbolNode,
    TypeInfo,
    UnaryExpr,
    Var,
)
from mypy.plugin import CheckerPluginInterface, FunctionContext
from mypy.subtypes import find_member
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    LiteralType,
    NoneType,
    ProperType,
    Type,
    TypedDictType,
    TypeVarType,
    UninhabitedType,
    UnionType,
    get_proper_type,
)

from mypy_uvicorn.records import AppKind, Callability, Target, Truth, Unpicklable, combine

ValueTruth = Callable[[object], Truth]

_BUILTIN_CONSTANTS: Final = {"builtins.True": True, "builtins.False": False, "builtins.None": None}
NO_LITERAL: Final = object()
RELOAD_OPTIONS: Final = ("reload_dirs", "reload_includes", "reload_excludes", "reload_delay")


class Actual:
    """One argument of the call, as mypy matched it to a parameter."""

    __slots__ = ("expr", "kind", "type")

    def __init__(self, kind: ArgKind, expr: Expression, type: Type) -> None:
        self.kind = kind
        self.expr = expr
        self.type = type


Actuals = dict[str, list[Actual]]


def actuals_of(ctx: FunctionContext) -> Actuals:
    """The arguments of the call by parameter name, for the parameters it gives (most of the
    callee's 50-odd are not: `compress` skips them without a Python-level loop)."""
    given: Actuals = {}
    names, kinds, args, types = ctx.callee_arg_names, ctx.arg_kinds, ctx.args, ctx.arg_types
    for i in compress(range(len(args)), args):
        name = names[i]
        if name is not None:
            exprs = args[i]
            if len(exprs) == 1:  # the usual case, without a comprehension
                given[name] = [Actual(kinds[i][0], exprs[0], types[i][0])]
            else:
                given[name] = [Actual(*a) for a in zip(kinds[i], exprs, types[i], strict=True)]
    return given


def given_types(given: Actuals, name: str) -> list[Type]:
    """The types given for one parameter: by keyword, or as an item of a `**TypedDict`."""
    types: list[Type] = []
    for actual in given.get(name, []):
        if actual.kind == ARG_STAR2:
            typed_dict = get_proper_type(actual.type)
            if isinstance(typed_dict, TypedDictType) and name in typed_dict.items:
                types.append(typed_dict.items[name])
        elif actual.kind != ARG_STAR:
            types.append(actual.type)
    return types


def names_read(given: Actuals) -> set[str]:
    """The fullnames of what the plugin may read beyond the call's own types: names bound to a
    literal, a function whose returns are read, a TypedDict given as `**kwargs`. The daemon
    re-checks the call when one of them changes (hooks.py registers them)."""
    names: set[str] = set()
    for actuals in given.values():
        for actual in actuals:
            expr = actual.expr.callee if isinstance(actual.expr, CallExpr) else actual.expr
            if isinstance(expr, RefExpr) and expr.kind != LDEF and expr.fullname:
                names.add(expr.fullname)
            if actual.kind == ARG_STAR2:
                typed_dict = get_proper_type(actual.type)
                if isinstance(typed_dict, TypedDictType):
                    names.add(typed_dict.fallback.type.fullname)
    return names


def single(actuals: list[Actual]) -> Actual | None:
    """The one argument given for a parameter, unless it comes from `*args` or `**kwargs`."""
    if len(actuals) != 1 or actuals[0].kind in (ARG_STAR, ARG_STAR2):
        return None
    return actuals[0]


def given_options(given: Actuals, names: tuple[str, ...]) -> tuple[str, ...]:
    """The options among `names` passed one by one with a value that is not None."""
    found: list[str] = []
    for name in names:
        actual = single(given.get(name, []))
        if actual is not None and not isinstance(get_proper_type(actual.type), NoneType):
            found.append(name)
    return tuple(found)


def reads_web_concurrency(workers: list[Actual]) -> bool:
    """No `workers`, or `workers=None`: uvicorn then takes WEB_CONCURRENCY from the environment."""
    if not workers:
        return True
    actual = single(workers)
    return actual is not None and isinstance(get_proper_type(actual.type), NoneType)


def unpicklable(given: Actuals) -> tuple[tuple[str, Unpicklable], ...]:
    """Options (not the app) given a lambda, or a function or class defined inside a function."""
    found: list[tuple[str, Unpicklable]] = []
    for name, actuals in given.items():
        if len(actuals) != 1 or name == "app" or actuals[0].kind in (ARG_STAR, ARG_STAR2):
            continue
        what = _unpicklable_kind(actuals[0].expr)
        if what is not None:
            found.append((name, what))
    return tuple(found)


def _unpicklable_kind(expr: Expression) -> Unpicklable | None:
    if isinstance(expr, LambdaExpr):
        return Unpicklable.LAMBDA
    if isinstance(expr, NameExpr) and expr.kind == LDEF:
        if isinstance(expr.node, FuncDef | Decorator | OverloadedFuncDef):
            return Unpicklable.NESTED_FUNCTION
        if isinstance(expr.node, TypeInfo):
            return Unpicklable.LOCAL_CLASS
    return None


def describe(expr: Expression) -> str:
    """How a message names the application argument: `"create_app"`, `"service.asgi"`."""
    parts: list[str] = []
    while isinstance(expr, MemberExpr):
        parts.append(expr.name)
        expr = expr.expr
    if not isinstance(expr, NameExpr):
        return "the application"
    return '"' + ".".join([expr.name, *reversed(parts)]) + '"'


def literal_string(actuals: list[Actual]) -> str | None:
    actual = single(actuals)
    if actual is None:
        return None
    t = get_proper_type(actual.type)
    if isinstance(t, Instance) and t.last_known_value is not None:
        t = t.last_known_value
    return t.value if isinstance(t, LiteralType) and isinstance(t.value, str) else None


def app_kind_of(actuals: list[Actual]) -> AppKind:
    if not actuals:
        return AppKind.UNKNOWN
    actual = actuals[0]
    if actual.kind == ARG_STAR:
        return AppKind.UNKNOWN
    if actual.kind == ARG_STAR2:
        typed_dict = get_proper_type(actual.type)
        if isinstance(typed_dict, TypedDictType) and "app" in typed_dict.items:
            return app_kind(typed_dict.items["app"])
        return AppKind.UNKNOWN
    return app_kind(actual.type)


def app_kind(typ: Type) -> AppKind:
    t = get_proper_type(typ)
    if isinstance(t, AnyType | UninhabitedType):
        return AppKind.UNKNOWN
    if isinstance(t, LiteralType):
        t = t.fallback
    if isinstance(t, TypeVarType):
        return app_kind(t.upper_bound)
    if isinstance(t, Instance):
        return AppKind.STRING if t.type.has_base("builtins.str") else AppKind.OBJECT
    if isinstance(t, UnionType):
        kinds = {app_kind(item) for item in t.items}
        if kinds == {AppKind.OBJECT}:
            return AppKind.OBJECT
        if kinds & {AppKind.OBJECT, AppKind.MAYBE_OBJECT}:
            return AppKind.MAYBE_OBJECT
        return AppKind.UNKNOWN if AppKind.UNKNOWN in kinds else AppKind.STRING
    return AppKind.OBJECT


def missing_import(typ: Type | None) -> str | None:
    """The name mypy could not import that a value typed `Any` comes from (its module is not
    installed, or not followed), for `Any` itself or a member of a union; else None."""
    t = get_proper_type(typ) if typ is not None else None
    if isinstance(t, AnyType):
        return t.missing_import_name
    if isinstance(t, UnionType):
        for item in t.items:
            name = missing_import(item)
            if name is not None:
                return name
    return None


def app_follows_reload(
    api: CheckerPluginInterface, app: list[Actual], reload: list[Actual]
) -> bool:
    """`run("m:app" if reload else app, reload=reload)`: reload is on only with the string."""
    app_actual, reload_actual = single(app), single(reload)
    if app_actual is None or reload_actual is None:
        return False
    choice, flag = app_actual.expr, reload_actual.expr
    if not isinstance(choice, ConditionalExpr):
        return False
    if same_reference(choice.cond, flag):
        when_on = choice.if_expr
    elif (
        isinstance(choice.cond, UnaryExpr)
        and choice.cond.op == "not"
        and same_reference(choice.cond.expr, flag)
    ):
        when_on = choice.else_expr
    else:
        return False
    return app_kind(api.get_expression_type(when_on)) is AppKind.STRING


def same_reference(a: Expression, b: Expression) -> bool:
    """Two spellings of the same name or attribute chain (`reload`, `args.reload`)."""
    if isinstance(a, NameExpr) and isinstance(b, NameExpr):
        return a.node is not None and a.node is b.node
    if isinstance(a, MemberExpr) and isinstance(b, MemberExpr):
        return a.name == b.name and same_reference(a.expr, b.expr)
    return False


def typed_dict_truth(typ: Type, name: str, of_value: ValueTruth) -> Truth:
    t = get_proper_type(typ)
    if not isinstance(t, TypedDictType):
        return Truth.ANY  # **dict[str, Any] and friends: the keys are not known
    if name not in t.items:
        return of_value(None)
    truth = type_truth(t.items[name], of_value)
    return truth if name in t.required_keys else combine([truth, of_value(None)])


def type_truth(typ: Type, of_value: ValueTruth) -> Truth:
    t = get_proper_type(typ)
    if isinstance(t, AnyType):
        return Truth.ANY
    if isinstance(t, NoneType):
        return of_value(None)
    if isinstance(t, UninhabitedType):
        return Truth.NO
    if isinstance(t, LiteralType):
        return _literal_truth(t, of_value)
    if isinstance(t, Instance):
        if t.last_known_value is not None:
            return _literal_truth(t.last_known_value, of_value)
        if t.type.fullname == "builtins.bool":
            return combine([of_value(True), of_value(False)])
        return Truth.MAYBE
    if isinstance(t, UnionType):
        return combine(type_truth(item, of_value) for item in t.items)
    if isinstance(t, TypeVarType):
        return type_truth(t.upper_bound, of_value)
    return Truth.MAYBE


def _literal_truth(t: LiteralType, of_value: ValueTruth) -> Truth:
    """A literal type by its value. An enum member's literal is its name: a member of an `int`
    enum (IntEnum, IntFlag, `class E(int, Enum)`) is read by the value it was given, as uvicorn
    compares it; a plain enum member is truthy, as its non-empty name is."""
    if not t.is_enum_literal():
        return of_value(t.value)
    info = t.fallback.type
    if not info.has_base("builtins.int"):
        return of_value(t.value)
    member = info.names.get(str(t.value))
    typ = get_proper_type(member.node.type) if member and isinstance(member.node, Var) else None
    if isinstance(typ, Instance) and typ.last_known_value is not None:
        typ = typ.last_known_value
    if isinstance(typ, LiteralType) and isinstance(typ.value, int):
        return of_value(typ.value)
    return Truth.MAYBE  # a member whose value is not a literal


def literal_value(expr: Expression) -> object:
    if isinstance(expr, NameExpr) and expr.fullname in _BUILTIN_CONSTANTS:
        return _BUILTIN_CONSTANTS[expr.fullname]
    if isinstance(expr, IntExpr | StrExpr | FloatExpr):
        return expr.value
    if (
        isinstance(expr, UnaryExpr)
        and expr.op == "-"
        and isinstance(expr.expr, IntExpr | FloatExpr)
    ):
        return -expr.expr.value
    return NO_LITERAL


# --- what uvicorn can do with an application value


def callability_of_node(node: SymbolNode, what: str, owner: str = "module") -> Target:
    """How uvicorn can use what an import string names: an application, a factory, or
    neither. `owner` is what the name was looked up in (verdict.owner_kind): "module",
    "class" or "instance"."""
    if owner != "module" and isinstance(node, FuncDef | Decorator):
        return _of_member(node, what, owner)
    if isinstance(node, FuncDef):
        if node.type is not None:
            return callability_of_type(node.type, what)
        return Target(what, _by_arguments(node.arg_kinds), Callability.UNKNOWN)
    if isinstance(node, Decorator):
        return callability_of_type(node.var.type, what)
    if isinstance(node, Var):
        return callability_of_type(node.type, what)
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
            return callability_of_type(getter.ret_type, what)
        if owner == "class" and isinstance(node, Decorator) and not _in_enum(func):
            return Target(what, Callability.NOT_CALLABLE, Callability.UNKNOWN)
        return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)
    bound = func.is_class or (owner == "instance" and not func.is_static)
    if not bound:
        return callability_of_node(node, what)
    proper = get_proper_type(typ)
    if isinstance(proper, CallableType):
        if not proper.arg_kinds or proper.arg_kinds[0] != ARG_POS:
            return Target(what, Callability.UNKNOWN, Callability.UNKNOWN)
        return callability_of_type(
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


def callability_of_type(typ: Type | None, what: str) -> Target:
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
