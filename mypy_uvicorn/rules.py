"""The rule book: plain facts about one call in, findings out. Imports nothing from mypy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from mypy_uvicorn import messages
from mypy_uvicorn.import_strings import format_problem

# The kinds below are classes with a few constant instances, and the records plain classes with
# __slots__: mypy imports the rule book while it checks, and creating one enum.Enum or
# NamedTuple class costs as much as checking a few uvicorn calls (benchmarks/overhead.py).


class _Constant:
    """One named value of a kind; compared with `is`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class Truth(_Constant):
    """What the checker knows about a condition such as "reload is on"."""

    __slots__ = ()
    NO: ClassVar[Truth]
    MAYBE: ClassVar[Truth]
    YES: ClassVar[Truth]
    UNKNOWN: ClassVar[Truth]  # the value is typed Any: never report on it


Truth.NO, Truth.MAYBE, Truth.YES, Truth.UNKNOWN = map(Truth, ("NO", "MAYBE", "YES", "UNKNOWN"))


class AppKind(_Constant):
    __slots__ = ()
    STRING: ClassVar[AppKind]
    OBJECT: ClassVar[AppKind]
    MAYBE_OBJECT: ClassVar[AppKind]  # e.g. str | FastAPI
    UNKNOWN: ClassVar[AppKind]  # Any


AppKind.STRING, AppKind.OBJECT, AppKind.MAYBE_OBJECT, AppKind.UNKNOWN = map(
    AppKind, ("STRING", "OBJECT", "MAYBE_OBJECT", "UNKNOWN")
)


class Callability(_Constant):
    """How uvicorn can use a value: it calls it with no arguments first, as a factory."""

    __slots__ = ()
    APP: ClassVar[Callability]  # needs arguments (scope, receive, send): an ASGI application
    FACTORY: ClassVar[Callability]  # takes none
    NOT_CALLABLE: ClassVar[Callability]
    UNKNOWN: ClassVar[Callability]


Callability.APP, Callability.FACTORY, Callability.NOT_CALLABLE, Callability.UNKNOWN = map(
    Callability, ("APP", "FACTORY", "NOT_CALLABLE", "UNKNOWN")
)


class Unpicklable(_Constant):
    __slots__ = ()
    LAMBDA: ClassVar[Unpicklable]
    NESTED_FUNCTION: ClassVar[Unpicklable]
    LOCAL_CLASS: ClassVar[Unpicklable]


Unpicklable.LAMBDA, Unpicklable.NESTED_FUNCTION, Unpicklable.LOCAL_CLASS = map(
    Unpicklable, ("LAMBDA", "NESTED_FUNCTION", "LOCAL_CLASS")
)


class Target:
    """What the application (an object, or what an import string names) is."""

    __slots__ = ("kind", "returns", "what")

    def __init__(self, what: str, kind: Callability, returns: Callability) -> None:
        self.what = what  # how messages name it: '"main:app"' or '"create_app"'
        self.kind = kind
        self.returns = returns  # for a factory: what calling it gives


class Suggestion:
    __slots__ = ("add_factory", "import_string")

    def __init__(self, import_string: str, add_factory: bool = False) -> None:
        self.import_string = import_string
        self.add_factory = add_factory  # the fix also needs factory=True


class AppFacts:
    """What the application argument is: the same facts for uvicorn.run and uvicorn.Config."""

    __slots__ = ("factory", "kind", "string", "suggestion", "target", "unresolved")

    def __init__(
        self,
        kind: AppKind,
        *,
        string: str | None = None,
        suggestion: Suggestion | None = None,
        factory: Truth = Truth.NO,
        target: Target | None = None,
        unresolved: tuple[str, str | None] | None = None,
    ) -> None:
        self.kind = kind
        self.string = string  # the import string, when it is a literal
        self.suggestion = suggestion  # for an application object: the string to pass instead
        self.factory = factory  # what factory= says
        self.target = target  # what the application is, when known
        # A literal import string uvicorn cannot import: (reason, a corrected string or None).
        self.unresolved = unresolved

    @property
    def is_object(self) -> bool:
        return self.kind is AppKind.OBJECT or self.kind is AppKind.MAYBE_OBJECT


class RunCall:
    """Facts about one call of uvicorn.run."""

    __slots__ = (
        "app",
        "app_follows_reload",
        "reload",
        "reload_options",
        "runs_at_import",
        "unpicklable",
        "workers",
        "workers_from_env",
    )

    def __init__(
        self,
        app: AppFacts,
        reload: Truth = Truth.NO,
        workers: Truth = Truth.NO,
        *,
        app_follows_reload: bool = False,
        workers_from_env: bool = False,
        reload_options: tuple[str, ...] = (),
        unpicklable: tuple[tuple[str, Unpicklable], ...] = (),
        runs_at_import: bool = False,
    ) -> None:
        self.app = app
        self.reload = reload
        self.workers = workers
        # The app argument is `"m:app" if <reload> else app` with the same expression as
        # reload=: whenever reload is on, the application is a string.
        self.app_follows_reload = app_follows_reload
        # `workers` is absent or None: uvicorn then reads WEB_CONCURRENCY from the environment.
        self.workers_from_env = workers_from_env
        # reload_dirs / reload_includes / reload_excludes / reload_delay given a value.
        self.reload_options = reload_options
        # Options whose value cannot be pickled into a new process: (option, what it is).
        self.unpicklable = unpicklable
        # The call runs whenever its module is imported (not under `if __name__ == "__main__":`).
        self.runs_at_import = runs_at_import


class ConfigCall:
    """Facts about one `uvicorn.Config(...)`: a Config only ever runs through Server.run() or
    Server.serve() (uvicorn.run builds its own), and those never reload or start workers."""

    __slots__ = ("app", "reload", "reload_options", "supervised", "workers", "workers_value")

    def __init__(
        self,
        app: AppFacts,
        reload: Truth = Truth.NO,
        workers: Truth = Truth.NO,
        *,
        workers_value: int | None = None,
        reload_options: tuple[str, ...] = (),
        supervised: bool = False,
    ) -> None:
        self.app = app
        self.reload = reload
        self.workers = workers
        self.workers_value = workers_value  # the literal, when known
        self.reload_options = reload_options
        # The module imports uvicorn.supervisors: it runs Configs through ChangeReload or
        # Multiprocess itself (as uvicorn.run does), which do read reload and workers.
        self.supervised = supervised


class Finding:
    __slots__ = ("code", "message", "note")

    def __init__(self, code: str, message: str, note: bool = False) -> None:
        self.code = code
        self.message = message
        self.note = note  # reported as a note: uvicorn goes on, with a warning

    def __repr__(self) -> str:
        return f"Finding({self.code!r}, {self.message!r}, note={self.note})"


def combine(truths: Iterable[Truth]) -> Truth:
    """The truth of a value that may be any one of several (the members of a union)."""
    combined: Truth | None = None
    for truth in truths:
        if truth is Truth.UNKNOWN:
            return Truth.UNKNOWN
        if combined is None:
            combined = truth
        elif truth is not combined:
            combined = Truth.MAYBE
    return Truth.NO if combined is None else combined


def reload_truth(value: object) -> Truth:
    """uvicorn tests `config.reload` for truthiness: any truthy value turns reload on."""
    return Truth.YES if value else Truth.NO


def workers_truth(value: object) -> Truth:
    """uvicorn computes `workers or 1` and forks when that is above 1."""
    if value is None or isinstance(value, bool):
        return Truth.NO
    if isinstance(value, int):
        return Truth.YES if value > 1 else Truth.NO
    return Truth.MAYBE


def check_run(call: RunCall) -> list[Finding]:
    findings: list[Finding] = []
    app = call.app
    triggers = _triggers(call)
    if app.is_object and triggers:
        findings.append(Finding("uvicorn-import-string", _import_string_message(call, triggers)))
    findings.extend(_app_findings(app))
    if call.reload is Truth.YES and call.workers is Truth.YES:
        findings.append(Finding("uvicorn-reload-workers", messages.RELOAD_WORKERS))
    if app.is_object and not triggers and call.workers_from_env:
        fix = _fix(app.suggestion)
        findings.append(Finding("uvicorn-web-concurrency", messages.web_concurrency(fix)))
    findings.extend(_reload_options_findings(call.reload, call.reload_options))
    if _spawns(call.reload, call.workers) and call.runs_at_import:
        findings.append(Finding("uvicorn-main-guard", messages.MAIN_GUARD))
    if _spawns(call.reload, call.workers):
        for option, what in call.unpicklable:
            message = messages.unpicklable(option, _UNPICKLABLE_WORDS[what])
            findings.append(Finding("uvicorn-unpicklable", message))
    return findings


def check_config(call: ConfigCall) -> list[Finding]:
    findings: list[Finding] = []
    app = call.app
    ignored = [
        name
        for name, truth in (("reload", call.reload), ("workers", call.workers))
        if truth in (Truth.YES, Truth.MAYBE) and not call.supervised
    ]
    if ignored:
        if app.string is not None:
            fix = f'"{app.string}"'
        elif app.suggestion is not None:
            fix = _fix(app.suggestion)
        else:
            fix = messages.PLACEHOLDER
        if "reload" in ignored:
            option = "reload=True"
        else:
            option = f"workers={call.workers_value if call.workers_value else '<n>'}"
        findings.append(
            Finding("uvicorn-config-ignored", messages.config_ignored(ignored, fix, option))
        )
    findings.extend(_app_findings(app))
    findings.extend(_reload_options_findings(call.reload, call.reload_options))
    return findings


def _app_findings(app: AppFacts) -> list[Finding]:
    """The import string's form, what it names, and factory= against the application."""
    problem = None if app.string is None else format_problem(app.string)
    if app.string is not None and problem is not None:
        message = messages.invalid_import_string(app.string, problem.reason, problem.fix)
        return [Finding("uvicorn-import-string-invalid", message)]
    if app.string is not None and app.unresolved is not None:
        message = messages.invalid_import_string(app.string, *app.unresolved)
        return [Finding("uvicorn-import-string-invalid", message)]
    return _factory_findings(app.factory, app.target)


def _reload_options_findings(reload: Truth, options: tuple[str, ...]) -> list[Finding]:
    if reload is Truth.NO and options:
        return [Finding("uvicorn-reload-options", messages.reload_options(options))]
    return []


def _factory_findings(factory: Truth, target: Target | None) -> list[Finding]:
    """uvicorn first calls the application with no arguments: a factory must allow that and
    return an application; anything else must not (uvicorn then only warns)."""
    if target is None or factory in (Truth.MAYBE, Truth.UNKNOWN):
        return []
    if factory is Truth.YES:
        if target.kind in (Callability.APP, Callability.NOT_CALLABLE):
            return [Finding("uvicorn-factory", messages.not_a_factory(target.what))]
        if target.kind is Callability.FACTORY and target.returns is Callability.NOT_CALLABLE:
            return [Finding("uvicorn-factory", messages.factory_returns_no_app(target.what))]
        return []
    if target.kind is Callability.NOT_CALLABLE:
        return [Finding("uvicorn-factory", messages.not_an_app(target.what))]
    if target.kind is Callability.FACTORY:
        return [Finding("uvicorn-factory", messages.factory_without_flag(target.what), note=True)]
    return []


_UNPICKLABLE_WORDS = {
    Unpicklable.LAMBDA: messages.LAMBDA,
    Unpicklable.NESTED_FUNCTION: messages.NESTED_FUNCTION,
    Unpicklable.LOCAL_CLASS: messages.LOCAL_CLASS,
}


def _spawns(reload: Truth, workers: Truth) -> bool:
    """reload or workers may start new processes (Any counts as not known: no report)."""
    return reload in (Truth.YES, Truth.MAYBE) or workers in (Truth.YES, Truth.MAYBE)


def _fix(suggestion: Suggestion | None) -> str:
    if suggestion is None:
        return messages.GENERIC_FIX
    return messages.suggested_fix(suggestion.import_string, suggestion.add_factory)


def _triggers(call: RunCall) -> list[str]:
    triggers: list[str] = []
    if not call.app_follows_reload:
        if call.reload is Truth.YES:
            triggers.append(messages.RELOAD_ON)
        elif call.reload is Truth.MAYBE:
            triggers.append(messages.RELOAD_MAYBE)
    if call.workers is Truth.YES:
        triggers.append(messages.WORKERS_ON)
    elif call.workers is Truth.MAYBE:
        triggers.append(messages.WORKERS_MAYBE)
    return triggers


def _import_string_message(call: RunCall, triggers: list[str]) -> str:
    return messages.import_string(
        triggers, call.app.kind is AppKind.MAYBE_OBJECT, _fix(call.app.suggestion)
    )
