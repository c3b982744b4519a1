"""Read a checked call: mypy expressions and types in, the records of records.py out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import compress
from typing import Final

from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    LDEF,
    ArgKind,
    CallExpr,
    ClassDef,
    ConditionalExpr,
    Decorator,
    Expression,
    FloatExpr,
    FuncDef,
    IntExpr,
    LambdaExpr,
    MemberExpr,
    NameExpr,
    OverloadedFuncDef,
    RefExpr,
    ReturnStmt,
    Statement,
    StrExpr,
    TypeInfo,
    UnaryExpr,
    Var,
)
from mypy.plugin import CheckerPluginInterface, FunctionContext
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    LiteralType,
    NoneType,
    Type,
    TypedDictType,
    TypeOfAny,
    TypeVarType,
    UninhabitedType,
    UnionType,
    get_proper_type,
)

from mypy_uvicorn import mypy_internals, resolve
from mypy_uvicorn.import_strings import format_problem
from mypy_uvicorn.records import (
    AppFacts,
    AppKind,
    ConfigCall,
    RunCall,
    Truth,
    Unpicklable,
    combine,
    flag_truth,
    workers_truth,
)
from mypy_uvicorn.state import State

ValueTruth = Callable[[object], Truth]

_BUILTIN_CONSTANTS: Final = {"builtins.True": True, "builtins.False": False, "builtins.None": None}
_NO_LITERAL: Final = object()


class Actual:
    """One argument of the call, as mypy matched it to a parameter."""

    __slots__ = ("expr", "kind", "type")

    def __init__(self, kind: ArgKind, expr: Expression, type: Type) -> None:
        self.kind = kind
        self.expr = expr
        self.type = type


RELOAD_OPTIONS: Final = ("reload_dirs", "reload_includes", "reload_excludes", "reload_delay")


def read_run_call(ctx: FunctionContext, state: State, given: Actuals) -> RunCall:
    app = app_facts(ctx, state, given)
    reload = given.get("reload", [])
    workers = given.get("workers", [])
    reload_on = _truth_of(ctx.api, state, reload, "reload", flag_truth)
    workers_on = _truth_of(ctx.api, state, workers, "workers", workers_truth)
    spawns = {reload_on, workers_on} & {Truth.YES, Truth.MAYBE}
    # Each read below only when the rules can use it: mypy calls this for every uvicorn.run.
    return RunCall(
        app,
        reload_on,
        workers_on,
        workers_from_env=_reads_web_concurrency(workers),
        reload_options=_given(given, RELOAD_OPTIONS) if reload_on is Truth.NO else (),
        unpicklable=_unpicklable(given) if spawns else (),
        runs_at_import=bool(spawns) and _runs_at_import(ctx, state),
        app_follows_reload=app.is_object
        and _app_follows_reload(ctx.api, given.get("app", []), reload),
    )


def read_config_call(ctx: FunctionContext, state: State, given: Actuals) -> ConfigCall:
    """`uvicorn.Config(...)`; its parameters are positional-or-keyword, as mypy matched them."""
    workers = given.get("workers", [])
    single = _single(workers)
    value = None if single is None else static_value(ctx.api, state, single.expr)
    return ConfigCall(
        app_facts(ctx, state, given),
        _truth_of(ctx.api, state, given.get("reload", []), "reload", flag_truth),
        _truth_of(ctx.api, state, workers, "workers", workers_truth),
        workers_value=value if isinstance(value, int) and not isinstance(value, bool) else None,
        reload_options=_given(given, RELOAD_OPTIONS),
        supervised=_imports_supervisors(ctx, state),
    )


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


def _imports_supervisors(ctx: FunctionContext, state: State) -> bool:
    values = state.module(ctx.api)
    if values.supervised is None:
        values.supervised = any(
            name == "uvicorn.supervisors" or name.startswith("uvicorn.supervisors.")
            for name in resolve.module_imports(ctx.api, state)
        )
    return values.supervised


def app_facts(ctx: FunctionContext, state: State, given: Actuals) -> AppFacts:
    """What the application is: its kind, the literal import string or the object's type, what
    the string names, and the import string to suggest for an object."""
    app = given.get("app", [])
    kind = _app_kind_of(app)
    factory = _truth_of(ctx.api, state, given.get("factory", []), "factory", flag_truth)
    actual = _single(app)
    if actual is None:
        return AppFacts(kind, factory=factory)
    if kind is AppKind.UNKNOWN and isinstance(actual.expr, CallExpr):
        # `run(serve(agent))` with `def serve(agent): return App()`: no suggestion (the call has
        # arguments) and no target.
        return AppFacts(_unannotated_returns(ctx.api, state, actual), factory=factory)
    string = _literal_string(app)
    if string is None:
        if kind is AppKind.UNKNOWN or kind is AppKind.STRING:
            return AppFacts(kind, factory=factory)
        suggestion = resolve.suggestion(ctx.api, state, actual.expr)
        if kind is AppKind.MAYBE_OBJECT:
            return AppFacts(kind, suggestion=suggestion, factory=factory)
        target = resolve.target_of_type(actual.type, _describe(actual.expr))
        return AppFacts(kind, suggestion=suggestion, factory=factory, target=target)
    flag = {Truth.YES: True, Truth.NO: False}.get(factory)
    app_dir = bool(_given(given, ("app_dir",)))
    problem = format_problem(string)
    if problem is not None:
        module = string.partition(":")[0]
        if problem.names and not app_dir and resolve.file_exists(ctx.api, state, module):
            return AppFacts(kind, string=string, factory=factory, accepted=True)
        # "main:create_app()" means a factory: its correction is judged as one.
        fix_flag = True if string.endswith("()") else flag
        fix = _form_fix(ctx.api, state, problem.fix, fix_flag, app_dir)
        return AppFacts(kind, string=string, factory=factory, form_fix=(fix,))
    found = resolve.import_string_target(ctx.api, state, string, factory=flag, app_dir=app_dir)
    if isinstance(found, resolve.Unresolved):
        return AppFacts(kind, string=string, factory=factory, unresolved=(found.reason, found.fix))
    return AppFacts(kind, string=string, factory=factory, target=found)


def _unannotated_returns(api: CheckerPluginInterface, state: State, actual: Actual) -> AppKind:
    """The kind of what an unannotated function of this module returns, when mypy types its call
    `Any` only for want of annotations: read from its `return` statements when each one certainly
    gives an instance of a known class, or a name bound once to one; else UNKNOWN.

    Only functions of the module being checked: another module's body may come from mypy's cache
    without its statements, and a warm run must agree with a cold one."""
    callee = actual.expr.callee if isinstance(actual.expr, CallExpr) else None
    func = callee.node if isinstance(callee, RefExpr) else None
    tree = mypy_internals.current_tree(api)
    if (
        not isinstance(get_proper_type(actual.type), AnyType)
        or not isinstance(func, FuncDef)
        or tree is None
        or tree.names.get(func.name) is None
        or tree.names[func.name].node is not func
    ):
        return AppKind.UNKNOWN
    known = state.module(api).returns
    if func not in known:
        known[func] = _returns_kind(api, state, func)
    return known[func]


def _returns_kind(api: CheckerPluginInterface, state: State, func: FuncDef) -> AppKind:
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
            value = resolve.bound_value(api, state, returned)
        info = _instantiated(value)
        if info is None:
            return AppKind.UNKNOWN
        kinds.add(AppKind.STRING if info.has_base("builtins.str") else AppKind.OBJECT)
    return kinds.pop() if len(kinds) == 1 else AppKind.UNKNOWN


def _returned(statements: Sequence[Statement | None]) -> Iterator[Expression | None]:
    """The value of each `return` of a function body, not of the functions and classes in it."""
    # Imported here: only an unannotated function is read (the import is paid once).
    from mypy_uvicorn.bindings import children

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


def _form_fix(
    api: CheckerPluginInterface,
    state: State,
    fix: str | None,
    factory: bool | None,
    app_dir: bool,
) -> str | None:
    """The correction of a malformed string, combined with the correction of a name in it
    (" main:ap" -> "main:app"), when the result resolves to something uvicorn can start."""
    if fix is None:
        return None
    found = resolve.import_string_target(api, state, fix, factory=factory, app_dir=app_dir)
    if isinstance(found, resolve.Unresolved):
        return found.fix
    if found is None or not resolve.usable(found, factory):
        return None
    return fix


def _describe(expr: Expression) -> str:
    """How a message names the application argument: `"create_app"`, `"service.asgi"`."""
    parts: list[str] = []
    while isinstance(expr, MemberExpr):
        parts.append(expr.name)
        expr = expr.expr
    if not isinstance(expr, NameExpr):
        return "the application"
    return '"' + ".".join([expr.name, *reversed(parts)]) + '"'


def _runs_at_import(ctx: FunctionContext, state: State) -> bool:
    if mypy_internals.in_def(ctx.api):
        return False  # a function body runs when called (the walk below would say the same)
    values = state.module(ctx.api)
    if values.import_time is None:
        tree = mypy_internals.current_tree(ctx.api)
        if tree is None:
            return False
        if tree.fullname == "__main__" or tree.fullname.endswith(".__main__"):
            # A package's __main__ (`python -m pkg`): multiprocessing's spawn never runs a main
            # module of that name again in the child processes.
            return False
        # Imported here: most calls are inside a def, and their modules never need the walk.
        from mypy_uvicorn.import_time import ImportTime

        values.import_time = ImportTime(tree)
    return values.import_time.runs_at_import(ctx.context.line)


def _reads_web_concurrency(workers: list[Actual]) -> bool:
    """No `workers`, or `workers=None`: uvicorn then takes WEB_CONCURRENCY from the environment."""
    if not workers:
        return True
    actual = _single(workers)
    return actual is not None and isinstance(get_proper_type(actual.type), NoneType)


def _given(given: Actuals, names: tuple[str, ...]) -> tuple[str, ...]:
    """The options among `names` passed one by one with a value that is not None."""
    found: list[str] = []
    for name in names:
        actual = _single(given.get(name, []))
        if actual is not None and not isinstance(get_proper_type(actual.type), NoneType):
            found.append(name)
    return tuple(found)


def _unpicklable(given: Actuals) -> tuple[tuple[str, Unpicklable], ...]:
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


# --- the application -------------------------------------------------------------------------


def _app_kind_of(actuals: list[Actual]) -> AppKind:
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


def _single(actuals: list[Actual]) -> Actual | None:
    """The one argument given for a parameter, unless it comes from `*args` or `**kwargs`."""
    if len(actuals) != 1 or actuals[0].kind in (ARG_STAR, ARG_STAR2):
        return None
    return actuals[0]


def _literal_string(actuals: list[Actual]) -> str | None:
    actual = _single(actuals)
    if actual is None:
        return None
    t = get_proper_type(actual.type)
    if isinstance(t, Instance) and t.last_known_value is not None:
        t = t.last_known_value
    return t.value if isinstance(t, LiteralType) and isinstance(t.value, str) else None


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


def _app_follows_reload(
    api: CheckerPluginInterface, app: list[Actual], reload: list[Actual]
) -> bool:
    """`run("m:app" if reload else app, reload=reload)`: reload is on only with the string."""
    app_actual, reload_actual = _single(app), _single(reload)
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


# --- reload and workers -------------------------------------------------------------------


def _truth_of(
    api: CheckerPluginInterface,
    state: State,
    actuals: list[Actual],
    name: str,
    of_value: ValueTruth,
) -> Truth:
    if not actuals:
        return of_value(None)  # the parameter's default: reload=False, workers=None
    if len(actuals) == 1:  # what combine() would give, without a generator
        return _actual_truth(api, state, actuals[0], name, of_value)
    return combine(_actual_truth(api, state, actual, name, of_value) for actual in actuals)


def _actual_truth(
    api: CheckerPluginInterface,
    state: State,
    actual: Actual,
    name: str,
    of_value: ValueTruth,
) -> Truth:
    if actual.kind == ARG_STAR:
        return Truth.ANY
    if actual.kind == ARG_STAR2:
        return _typed_dict_truth(actual.type, name, of_value)
    truth = type_truth(actual.type, of_value)
    if truth is Truth.MAYBE:
        value = static_value(api, state, actual.expr)
        if value is not _NO_LITERAL:
            return of_value(value)
    return truth


def _typed_dict_truth(typ: Type, name: str, of_value: ValueTruth) -> Truth:
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


def static_value(api: CheckerPluginInterface, state: State, expr: Expression) -> object:
    """The value of a literal, or of a name bound exactly once to a literal in this module.

    mypy widens `do_reload = False` to `bool`; pyright keeps the literal.
    """
    value = literal_value(expr)
    if value is not _NO_LITERAL:
        return value
    bound = resolve.bound_value(api, state, expr)
    return _NO_LITERAL if bound is None else literal_value(bound)


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
    return _NO_LITERAL
