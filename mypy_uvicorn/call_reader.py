"""Read one checked call of `uvicorn.run` or `uvicorn.Config`: mypy's expressions and types in,
the records of records.py out (`RunCall`, `ConfigCall`), for the rule book to decide on."""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING, Final

from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    Block,
    CallExpr,
    Expression,
    ExpressionStmt,
    ForStmt,
    IfStmt,
    MatchStmt,
    NameExpr,
    Statement,
    TryStmt,
    Var,
    WhileStmt,
    WithStmt,
)
from mypy.plugin import CheckerPluginInterface, FunctionContext
from mypy.types import AnyType, Type, TypeOfAny, get_proper_type

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.arguments import (
    NO_LITERAL,
    RELOAD_OPTIONS,
    Actual,
    Actuals,
    ValueTruth,
    app_follows_reload,
    app_kind_of,
    callability_of_type,
    describe,
    given_options,
    literal_string,
    literal_value,
    missing_import,
    reads_web_concurrency,
    single,
    type_truth,
    typed_dict_truth,
    unpicklable,
    usable,
)
from mypy_uvicorn.checked_module import CheckedModule
from mypy_uvicorn.constants import outside_program
from mypy_uvicorn.import_strings.text import format_problem
from mypy_uvicorn.import_strings.verdict import NotFound, StringResolver, Unresolved
from mypy_uvicorn.records import (
    AppFacts,
    AppKind,
    ConfigCall,
    RunCall,
    Truth,
    Whereabouts,
    combine,
    flag_truth,
    spawns_processes,
    workers_truth,
)
from mypy_uvicorn.state import State

if TYPE_CHECKING:
    from mypy_uvicorn.import_time import ImportTime
    from mypy_uvicorn.records import Suggestion

# Module-level statements that may hold a call of a function as a statement of its own
# (import_time.ImportTime.line_calling): a call, and the blocks that may hold one.
_BLOCKS: Final = (IfStmt, TryStmt, WithStmt, ForStmt, WhileStmt, MatchStmt, Block)


def _may_call(s: Statement) -> bool:
    return isinstance(s, _BLOCKS) or (
        isinstance(s, ExpressionStmt) and isinstance(s.expr, CallExpr)
    )


def _suggestion(module: CheckedModule, expr: Expression) -> Suggestion | None:
    # Imported here: only a call a rule reports on needs the string to suggest.
    from mypy_uvicorn.suggestion import suggestion

    return suggestion(module, expr)


def _from_error(typ: Type) -> bool:
    """An `Any` mypy gives an expression it reported an error on (an undefined name)."""
    t = get_proper_type(typ)
    if not isinstance(t, AnyType):
        return False
    source = t.source_any or t
    return source.type_of_any == TypeOfAny.from_error


def _missing_star_import(api: CheckerPluginInterface) -> str | None:
    from mypy_uvicorn.missing import missing_star_import

    return missing_star_import(api)


def _missing_module(api: CheckerPluginInterface, bound: str) -> str:
    # Imported here: only a value typed Any from a missing import needs it.
    from mypy_uvicorn.missing import missing_module

    return missing_module(api, bound)


class CallReader:
    """Reads one call: the hook's context, the plugin's caches and the call's arguments by
    parameter name, held once for every question asked about the call."""

    __slots__ = ("_strings", "api", "ctx", "debug_reloads", "given", "module")

    def __init__(
        self, ctx: FunctionContext, state: State, given: Actuals, *, debug_reloads: bool = False
    ) -> None:
        self.ctx = ctx
        # uvicorn before 0.19 is installed: its `Config.should_reload` is
        # `isinstance(app, str) and (debug or reload)`, while the exit for an application
        # object reads `reload` only (an object with debug=True is served without reload).
        self.debug_reloads = debug_reloads
        self.api = ctx.api
        self.given = given
        self.module = CheckedModule(ctx.api, state)
        self._strings: StringResolver | None = None

    def run_call(self) -> RunCall:
        given = self.given
        app = self.app_facts()
        reload = given.get("reload", [])
        workers = given.get("workers", [])
        reload_on = self._reload_on(app, reload)
        workers_on = self._truth(workers, "workers", workers_truth)
        spawns = spawns_processes(reload_on, workers_on)
        # Each read below only when the rules can use it: mypy calls this for every uvicorn.run.
        return RunCall(
            app,
            reload_on,
            workers_on,
            workers_from_env=reads_web_concurrency(workers),
            reload_options=given_options(given, RELOAD_OPTIONS) if reload_on is Truth.NO else (),
            unpicklable=unpicklable(given) if spawns else (),
            runs_at_import=spawns and self._runs_at_import(),
            called_at_import=self._called_at_import() if spawns else None,
            app_follows_reload=(app.is_object or app.missing is not None)
            and app_follows_reload(self.api, given.get("app", []), reload),
            missing_flag=self._missing_flag(reload_on, workers_on, reload, workers),
        )

    def config_call(self) -> ConfigCall:
        """`uvicorn.Config(...)`; its parameters are positional-or-keyword, as mypy matched
        them."""
        given = self.given
        workers = given.get("workers", [])
        one = single(workers)
        value = None if one is None else self.static_value(one.expr)
        reload = given.get("reload", [])
        reload_on = self._truth(reload, "reload", flag_truth)
        workers_on = self._truth(workers, "workers", workers_truth)
        # Not `debug=` of uvicorn before 0.19: a Config made with it for Server.run is asked for
        # debug logging, not reload.
        return ConfigCall(
            self.app_facts(),
            reload_on,
            workers_on,
            workers_value=value if isinstance(value, int) and not isinstance(value, bool) else None,
            reload_options=given_options(given, RELOAD_OPTIONS),
            supervised=self.module.imports_supervisors(),
            missing_flag=self._missing_flag(reload_on, workers_on, reload, workers),
        )

    def _reload_on(self, app: AppFacts, reload: list[Actual]) -> Truth:
        reload_on = self._truth(reload, "reload", flag_truth)
        if not self.debug_reloads or app.kind is not AppKind.STRING:
            return reload_on
        debug_on = self._truth(self.given.get("debug", []), "debug", flag_truth)
        for truth in (Truth.YES, Truth.MAYBE, Truth.ANY):
            if truth in (reload_on, debug_on):
                return truth
        return Truth.NO

    def app_facts(self) -> AppFacts:
        """What the application is: its kind, the literal import string or the object's type,
        what the string names, and the import string to suggest for an object."""
        given = self.given
        app = given.get("app", [])
        kind = app_kind_of(app)
        factory = self._truth(given.get("factory", []), "factory", flag_truth)
        actual = single(app)
        if actual is None:
            return AppFacts(kind, factory=factory)
        if kind is AppKind.UNKNOWN:
            missing = missing_import(actual.type)
            if missing is not None:
                return self._missing_app(kind, factory, missing)
            if _from_error(actual.type):
                star = _missing_star_import(self.api)
                if star is not None:
                    where = self._whereabouts(star)
                    return AppFacts(kind, factory=factory, missing=star, missing_where=where)
        if kind is AppKind.UNKNOWN and isinstance(actual.expr, CallExpr | NameExpr):
            # `run(serve(agent))` with `def serve(agent): return App()`, or `app = create_app()`:
            # the function unannotated, in this module or one it imports. Imported here: only
            # such a call reads returns.
            from mypy_uvicorn.returns import unannotated_returns

            returned = unannotated_returns(self.module, actual)
            if isinstance(returned, str):
                return self._missing_app(kind, factory, returned)
            if isinstance(actual.expr, CallExpr):
                return AppFacts(returned, factory=factory)  # no suggestion: a call, no target
            if returned is AppKind.OBJECT:
                suggest = partial(_suggestion, self.module, actual.expr)
                return AppFacts(AppKind.OBJECT, suggest=suggest, factory=factory)
        string = literal_string(app)
        if string is None:
            if kind is AppKind.UNKNOWN or kind is AppKind.STRING:
                return AppFacts(kind, factory=factory)
            suggest = partial(_suggestion, self.module, actual.expr)
            if kind is AppKind.MAYBE_OBJECT:
                return AppFacts(kind, suggest=suggest, factory=factory)
            target = callability_of_type(actual.type, describe(actual.expr))
            return AppFacts(kind, suggest=suggest, factory=factory, target=target)
        flag = {Truth.YES: True, Truth.NO: False}.get(factory)
        app_dir = bool(given_options(given, ("app_dir",)))
        problem = format_problem(string)
        if problem is not None:
            module = string.partition(":")[0]
            if problem.names and not app_dir and self.strings().file_exists(module):
                return AppFacts(kind, string=string, factory=factory, accepted=True)
            # "main:create_app()" means a factory: its correction is judged as one.
            fix_flag = True if string.endswith("()") else flag
            fix = self._form_fix(problem.fix, fix_flag, app_dir)
            return AppFacts(kind, string=string, factory=factory, form_fix=(fix,))
        found = self.strings().judge(string, factory=flag, app_dir=app_dir)
        if not isinstance(found, Unresolved) and not app_dir and self._runs_at_import():
            found = self.strings().runs_before_binding(string, self.ctx.context.line) or found
        if isinstance(found, Unresolved):
            return AppFacts(
                kind, string=string, factory=factory, unresolved=(found.reason, found.fix)
            )
        if isinstance(found, NotFound):
            return AppFacts(
                kind,
                string=string,
                factory=factory,
                missing=found.package,
                searched=tuple(found.roots),
            )
        return AppFacts(kind, string=string, factory=factory, target=found)

    def _missing(self, bound: str) -> tuple[str, Whereabouts]:
        """(the module mypy could not import as `bound`, where it is all the same: installed
        without type information or left out by follow_imports, a file of the program that
        mypy's search does not reach, or nowhere, with the roots looked in)."""
        module = _missing_module(self.api, bound)
        return module, self._whereabouts(module)

    def _whereabouts(self, module: str) -> Whereabouts:
        package = module.lstrip(".").partition(".")[0]
        roots = self.strings().roots
        if not package.isidentifier():
            return Whereabouts(searched=tuple(roots.shown_roots()))
        named = module if all(part.isidentifier() for part in module.split(".")) else package
        files = roots.module_files(named) or roots.module_files(package)
        program = sorted(
            path for path in files if os.path.isabs(path) and not outside_program(path)
        )
        if len(program) < len(files) or (
            files and not mypy_internals.follows_imports_of(self.api.options, module)
        ):
            return Whereabouts(not_followed=True)
        if program:
            return Whereabouts(file=os.path.relpath(program[0]))
        return Whereabouts(searched=tuple(roots.shown_roots()))

    def _missing_app(self, kind: AppKind, factory: Truth, bound: str) -> AppFacts:
        module, where = self._missing(bound)
        return AppFacts(kind, factory=factory, missing=module, missing_where=where)

    def _missing_flag(
        self, reload_on: Truth, workers_on: Truth, reload: list[Actual], workers: list[Actual]
    ) -> tuple[str, str, Whereabouts] | None:
        """(parameter, module, where it is) for `reload` or `workers` typed `Any` because mypy
        could not import the module."""
        for name, truth, actuals in (
            ("reload", reload_on, reload),
            ("workers", workers_on, workers),
        ):
            if truth is Truth.ANY:
                for actual in actuals:
                    bound = missing_import(actual.type)
                    if bound is not None:
                        return (name, *self._missing(bound))
        return None

    def strings(self) -> StringResolver:
        """The judge of this module's literal import strings, made with the first one."""
        if self._strings is None:
            self._strings = StringResolver(self.module)
        return self._strings

    def _form_fix(self, fix: str | None, factory: bool | None, app_dir: bool) -> str | None:
        """The correction of a malformed string, combined with the correction of a name in it
        (" main:ap" -> "main:app"), when the result resolves to something uvicorn can start."""
        if fix is None:
            return None
        found = self.strings().judge(fix, factory=factory, app_dir=app_dir)
        if isinstance(found, Unresolved):
            return found.fix
        if found is None or isinstance(found, NotFound) or not usable(found, factory):
            return None
        return fix

    def _runs_at_import(self) -> bool:
        if mypy_internals.in_def(self.api):
            return False  # a function body runs when called (the walk below would say the same)
        import_time = self._import_time()
        return import_time is not None and import_time.runs_at_import(self.ctx.context.line)

    def _called_at_import(self) -> tuple[str, int] | None:
        """(name, line) when the call is in a function of the module that the module calls at
        import (`main()` as the last line of a script)."""
        func = mypy_internals.module_level_function(self.api)
        tree = self.module.tree
        if func is None or tree is None or not any(_may_call(s) for s in tree.defs):
            return None  # no statement at module level that could call it
        import_time = self._import_time()
        if import_time is None:
            return None
        line = import_time.line_calling(func)
        return None if line is None else (func.name, line)

    def _import_time(self) -> ImportTime | None:
        """What of this module runs at import, made on first use; None for a module that
        multiprocessing's spawn never runs again (a package's `__main__`)."""
        values = self.module.values
        if values.import_time is None:
            tree = self.module.tree
            if tree is None:
                return None
            if tree.fullname == "__main__" or tree.fullname.endswith(".__main__"):
                # A package's __main__ (`python -m pkg`): multiprocessing's spawn never runs a
                # main module of that name again in the child processes.
                return None
            # Imported here: most calls are inside a def, and their modules never need the walk.
            from mypy_uvicorn.import_time import ImportTime

            values.import_time = ImportTime(tree, self._bound_guard)
        return values.import_time

    def _bound_guard(self, var: Var) -> Expression | None:
        """The value a module-level variable of this module is bound to once (for a main guard
        kept in a variable)."""
        bindings = self.module.bindings()
        return None if bindings is None else bindings.single(var)

    # --- reload, workers and factory -----------------------------------------------------

    def _truth(self, actuals: list[Actual], name: str, of_value: ValueTruth) -> Truth:
        if not actuals:
            return of_value(None)  # the parameter's default: reload=False, workers=None
        if len(actuals) == 1:  # what combine() would give, without a generator
            return self._actual_truth(actuals[0], name, of_value)
        return combine(self._actual_truth(actual, name, of_value) for actual in actuals)

    def _actual_truth(self, actual: Actual, name: str, of_value: ValueTruth) -> Truth:
        if actual.kind == ARG_STAR:
            return Truth.ANY
        if actual.kind == ARG_STAR2:
            return typed_dict_truth(actual.type, name, of_value)
        truth = type_truth(actual.type, of_value)
        if truth is Truth.MAYBE:
            value = self.static_value(actual.expr)
            if value is not NO_LITERAL:
                return of_value(value)
        return truth

    def static_value(self, expr: Expression) -> object:
        """The value of a literal, or of a name bound exactly once to a literal in this module.

        mypy widens `do_reload = False` to `bool`; pyright keeps the literal.
        """
        value = literal_value(expr)
        if value is not NO_LITERAL:
            return value
        bound = self.module.bound_value(expr)
        return NO_LITERAL if bound is None else literal_value(bound)
