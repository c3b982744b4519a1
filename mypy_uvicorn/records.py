"""The plain records a uvicorn call is read into, and the findings the rules make of them.

The readers (call_reader.py and what it asks) fill these in, the rule book (rules.py) decides on
them.
Imports nothing from mypy, so the rule book can be tested on hand-made records.

The kinds below are classes with a few constant instances, and the records plain classes with
__slots__: mypy imports these while it checks, and creating an enum.Enum or NamedTuple class
costs more than checking a few uvicorn calls (benchmarks/overhead.py measures the import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, Final

from mypy_uvicorn.constants import Code


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
    # The value is typed Any: nothing is known, and nothing is reported on it (unlike MAYBE,
    # which a declared type such as `bool` gives, and which is reported).
    ANY: ClassVar[Truth]


Truth.NO, Truth.MAYBE, Truth.YES, Truth.ANY = map(Truth, ("NO", "MAYBE", "YES", "ANY"))


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
    # a factory that needs arguments: a required keyword-only parameter, or required positional
    # ones and it returns an application
    NEEDS_ARGUMENTS: ClassVar[Callability]
    UNKNOWN: ClassVar[Callability]


(
    Callability.APP,
    Callability.FACTORY,
    Callability.NOT_CALLABLE,
    Callability.NEEDS_ARGUMENTS,
    Callability.UNKNOWN,
) = map(Callability, ("APP", "FACTORY", "NOT_CALLABLE", "NEEDS_ARGUMENTS", "UNKNOWN"))


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


class Whereabouts:
    """Where a module mypy could not import is all the same: it decides what to do about it."""

    __slots__ = ("file", "not_followed", "searched")

    def __init__(
        self,
        *,
        not_followed: bool = False,
        file: str | None = None,
        searched: tuple[str, ...] = (),
    ) -> None:
        # Installed without type information, or left out by follow_imports: installing it
        # would not help.
        self.not_followed = not_followed
        # A file of the program (as a message shows it) that mypy does not find where it looks
        # for modules: a root of the program is missing from mypy's search.
        self.file = file
        # Found nowhere: the roots of the program it was looked for in, as a message shows them.
        self.searched = searched


NOWHERE: Final = Whereabouts()


class AppFacts:
    """What the application argument is: the same facts for uvicorn.run and uvicorn.Config."""

    __slots__ = (
        "_suggest",
        "_suggestion",
        "accepted",
        "factory",
        "form_fix",
        "kind",
        "missing",
        "missing_where",
        "searched",
        "string",
        "target",
        "unresolved",
    )

    def __init__(
        self,
        kind: AppKind,
        *,
        string: str | None = None,
        suggestion: Suggestion | None = None,
        suggest: Callable[[], Suggestion | None] | None = None,
        factory: Truth = Truth.NO,
        target: Target | None = None,
        unresolved: tuple[str, str | None] | None = None,
        form_fix: tuple[str | None] | None = None,
        accepted: bool = False,
        missing: str | None = None,
        missing_where: Whereabouts = NOWHERE,
        searched: tuple[str, ...] = (),
    ) -> None:
        self.kind = kind
        self.string = string  # the import string, when it is a literal
        # For an application object: the string to pass instead, or how to find it (`suggest`,
        # asked once, when a rule reports: most calls never need it).
        self._suggestion = suggestion
        self._suggest = suggest
        self.factory = factory  # what factory= says
        self.target = target  # what the application is, when known
        # A literal import string uvicorn cannot import: (reason, a corrected string or None).
        self.unresolved = unresolved
        # For a malformed string: the correction the readers checked resolves (a 1-tuple, its
        # item None when none does); None when unchecked (the rule book then corrects the form).
        self.form_fix = form_fix
        # A string of a form uvicorn still imports: a module file name that is not a Python
        # name ("my-app:app" and my-app.py; importlib imports any file name).
        self.accepted = accepted
        # What mypy could not read that decides the application: for a value typed `Any`, the
        # name whose module is missing (`fastapi.FastAPI`); for a literal import string, its
        # package, which neither the program nor the environment has.
        self.missing = missing
        # For a value: where that module is all the same.
        self.missing_where = missing_where
        # For such a string: the roots it was looked for in, as a message shows them.
        self.searched = searched

    @property
    def suggestion(self) -> Suggestion | None:
        if self._suggest is not None:
            self._suggestion = self._suggest()
            self._suggest = None
        return self._suggestion

    @property
    def is_object(self) -> bool:
        return self.kind is AppKind.OBJECT or self.kind is AppKind.MAYBE_OBJECT


class RunCall:
    """Facts about one call of uvicorn.run."""

    __slots__ = (
        "app",
        "app_follows_reload",
        "called_at_import",
        "missing_flag",
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
        called_at_import: tuple[str, int] | None = None,
        missing_flag: tuple[str, str, Whereabouts] | None = None,
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
        # The call is in a module-level function that the module calls at import: (its name,
        # the line of that call).
        self.called_at_import = called_at_import
        # `reload` or `workers` typed `Any` because a module is missing: (parameter, the module
        # mypy could not import, where it is all the same).
        self.missing_flag = missing_flag


class ConfigCall:
    """Facts about one `uvicorn.Config(...)`: a Config only ever runs through Server.run() or
    Server.serve() (uvicorn.run builds its own), and those never reload or start workers."""

    __slots__ = (
        "app",
        "missing_flag",
        "reload",
        "reload_options",
        "supervised",
        "workers",
        "workers_value",
    )

    def __init__(
        self,
        app: AppFacts,
        reload: Truth = Truth.NO,
        workers: Truth = Truth.NO,
        *,
        workers_value: int | None = None,
        reload_options: tuple[str, ...] = (),
        supervised: bool = False,
        missing_flag: tuple[str, str, Whereabouts] | None = None,
    ) -> None:
        self.app = app
        self.reload = reload
        self.workers = workers
        self.workers_value = workers_value  # the literal, when known
        self.reload_options = reload_options
        # The module imports uvicorn.supervisors: it runs Configs through ChangeReload or
        # Multiprocess itself (as uvicorn.run does), which do read reload and workers.
        self.supervised = supervised
        self.missing_flag = missing_flag  # as RunCall.missing_flag


class Finding:
    """One report on a call: an error, or a note (uvicorn goes on, with a warning)."""

    __slots__ = ("code", "message", "note")

    def __init__(self, code: Code, message: str, note: bool = False) -> None:
        self.code = code
        self.message = message
        self.note = note

    def __repr__(self) -> str:
        return f"Finding({self.code.name!r}, {self.message!r}, note={self.note})"


def combine(truths: Iterable[Truth]) -> Truth:
    """The truth of a value that may be any one of several (the members of a union)."""
    combined: Truth | None = None
    for truth in truths:
        if truth is Truth.ANY:
            return Truth.ANY
        if combined is None:
            combined = truth
        elif truth is not combined:
            combined = Truth.MAYBE
    return Truth.NO if combined is None else combined


# How uvicorn reads one value of an option: the readers apply these to literals and to the
# values a type allows.


def spawns_processes(reload: Truth, workers: Truth) -> bool:
    """Whether reload or workers may start new processes (Any counts as not known: no
    report)."""
    return reload in (Truth.YES, Truth.MAYBE) or workers in (Truth.YES, Truth.MAYBE)


def flag_truth(value: object) -> Truth:
    """uvicorn tests `reload` and `factory` for truthiness: any truthy value turns them on."""
    return Truth.YES if value else Truth.NO


def workers_truth(value: object) -> Truth:
    """uvicorn computes `workers or 1` and forks when that is above 1."""
    if value is None or isinstance(value, bool):
        return Truth.NO
    if isinstance(value, int):
        return Truth.YES if value > 1 else Truth.NO
    return Truth.MAYBE
