"""The rule book: plain facts about one call in, findings out. Imports nothing from mypy."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from mypy_uvicorn import messages
from mypy_uvicorn.import_strings import format_problem


class Truth(enum.Enum):
    """What the checker knows about a condition such as "reload is on"."""

    NO = "no"
    MAYBE = "maybe"
    YES = "yes"
    UNKNOWN = "unknown"  # the value is typed Any: never report on it


class AppKind(enum.Enum):
    STRING = "string"
    OBJECT = "object"
    MAYBE_OBJECT = "maybe-object"  # e.g. str | FastAPI
    UNKNOWN = "unknown"  # Any


@dataclass(frozen=True)
class Suggestion:
    import_string: str
    add_factory: bool = False  # the fix also needs factory=True


@dataclass(frozen=True)
class RunCall:
    """Facts about one call of uvicorn.run."""

    app: AppKind
    reload: Truth = Truth.NO
    workers: Truth = Truth.NO
    # The app argument is `"m:app" if <reload> else app` with the same expression as reload=:
    # whenever reload is on, the application is a string.
    app_follows_reload: bool = False
    suggestion: Suggestion | None = None
    # The application's import string, when it is a literal.
    app_string: str | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    message: str


def combine(truths: Iterable[Truth]) -> Truth:
    """The truth of a value that may be any one of several (the members of a union)."""
    seen = set(truths)
    if not seen:
        return Truth.NO
    if Truth.UNKNOWN in seen:
        return Truth.UNKNOWN
    if len(seen) == 1:
        return seen.pop()
    return Truth.MAYBE


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
    if call.app in (AppKind.OBJECT, AppKind.MAYBE_OBJECT):
        triggers = _triggers(call)
        if triggers:
            findings.append(
                Finding("uvicorn-import-string", _import_string_message(call, triggers))
            )
    problem = None if call.app_string is None else format_problem(call.app_string)
    if call.app_string is not None and problem is not None:
        message = messages.invalid_import_string(call.app_string, problem.reason, problem.fix)
        findings.append(Finding("uvicorn-import-string-invalid", message))
    if call.reload is Truth.YES and call.workers is Truth.YES:
        findings.append(Finding("uvicorn-reload-workers", messages.RELOAD_WORKERS))
    return findings


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
    if call.suggestion is None:
        fix = messages.GENERIC_FIX
    else:
        fix = messages.suggested_fix(call.suggestion.import_string, call.suggestion.add_factory)
    return messages.import_string(triggers, call.app is AppKind.MAYBE_OBJECT, fix)
