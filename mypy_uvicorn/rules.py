"""The rule book: the records of one call in, findings out. Imports nothing from mypy.

Each rule is written against what uvicorn does at start-up (tests/test_rules.py checks the value
rules against uvicorn itself); call_reader.py reads the records from mypy's view of the call.
The texts (messages.py) are imported where a finding is made: a clean call never loads them.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy_uvicorn import constants
from mypy_uvicorn.import_strings.text import format_problem
from mypy_uvicorn.records import (
    AppFacts,
    AppKind,
    Callability,
    ConfigCall,
    Finding,
    RunCall,
    Suggestion,
    Target,
    Truth,
    Unpicklable,
    Whereabouts,
    spawns_processes,
)


def _every_code(code: constants.Code) -> bool:
    return True


def run_findings(
    call: RunCall, reports: Callable[[constants.Code], bool] = _every_code
) -> list[Finding]:
    """`reports`: whether the checked module reports a code. A finding it would drop is not
    made where making it costs: uvicorn-web-concurrency (off by default) needs the string to
    suggest, which is looked for in the program."""
    findings: list[Finding] = []
    app = call.app
    triggers = _triggers(call)
    unchecked = _unchecked(
        app,
        call.missing_flag,
        reported=bool(triggers),
        app_decides=bool(triggers) or Truth.ANY in (call.reload, call.workers),
    )
    if unchecked is not None:
        findings.append(unchecked)
    if app.is_object and triggers:
        findings.append(Finding(constants.IMPORT_STRING, _import_string_message(call, triggers)))
    findings.extend(_app_findings(app))
    if call.reload is Truth.YES and call.workers is Truth.YES:
        from mypy_uvicorn import messages

        findings.append(Finding(constants.RELOAD_WORKERS, messages.RELOAD_WORKERS))
    if (
        app.is_object
        and not triggers
        and call.workers_from_env
        and reports(constants.WEB_CONCURRENCY)
    ):
        from mypy_uvicorn import messages

        fix = _fix(app.suggestion)
        findings.append(Finding(constants.WEB_CONCURRENCY, messages.web_concurrency(fix)))
    findings.extend(_reload_options_findings(call.reload, call.reload_options))
    if spawns_processes(call.reload, call.workers) and call.runs_at_import:
        from mypy_uvicorn import messages

        findings.append(Finding(constants.MAIN_GUARD, messages.MAIN_GUARD))
    elif spawns_processes(call.reload, call.workers) and call.called_at_import:
        from mypy_uvicorn import messages

        function, line = call.called_at_import
        findings.append(Finding(constants.MAIN_GUARD, messages.main_guard_through(function, line)))
    if spawns_processes(call.reload, call.workers) and call.unpicklable:
        from mypy_uvicorn import messages

        words = {
            Unpicklable.LAMBDA: messages.LAMBDA,
            Unpicklable.NESTED_FUNCTION: messages.NESTED_FUNCTION,
            Unpicklable.LOCAL_CLASS: messages.LOCAL_CLASS,
        }
        for option, what in call.unpicklable:
            message = messages.unpicklable(option, words[what])
            findings.append(Finding(constants.UNPICKLABLE, message))
    return findings


def config_findings(call: ConfigCall) -> list[Finding]:
    findings: list[Finding] = []
    app = call.app
    ignored = [
        name
        for name, truth in (("reload", call.reload), ("workers", call.workers))
        if truth in (Truth.YES, Truth.MAYBE) and not call.supervised
    ]
    # Whatever the application is, a Config ignores reload and workers: only a literal string's
    # package, or reload / workers themselves, decide.
    flag = None if call.supervised else call.missing_flag
    unchecked = _unchecked(
        app, flag, reported=bool(ignored), app_decides=False, flag_needs_object=False
    )
    if unchecked is not None:
        findings.append(unchecked)
    if ignored:
        from mypy_uvicorn import messages

        string = _startable_string(app)
        if string is not None:
            fix = f'"{string}"'
        elif app.string is None and app.suggestion is not None:
            fix = _fix(app.suggestion)
        else:
            fix = messages.PLACEHOLDER
        if "reload" in ignored:
            option = "reload=True"
        else:
            option = f"workers={call.workers_value if call.workers_value else '<n>'}"
        findings.append(
            Finding(constants.CONFIG_IGNORED, messages.config_ignored(ignored, fix, option))
        )
    findings.extend(_app_findings(app))
    findings.extend(_reload_options_findings(call.reload, call.reload_options))
    return findings


def _unchecked(
    app: AppFacts,
    missing_flag: tuple[str, str, Whereabouts] | None,
    *,
    reported: bool,
    app_decides: bool,
    flag_needs_object: bool = True,
) -> Finding | None:
    """A call whose deciding value mypy could not read because a module is missing: a literal
    string's package (uvicorn imports it in every case), the application where whether it is a
    string decides (`app_decides`: reload or workers may be on), or `reload` / `workers` for an
    application object when nothing else reports on the call (`reported`: a rule already says
    reload or workers is, or may be, on). `flag_needs_object`: only for an application object do
    reload and workers decide (uvicorn.run); a Config ignores them whatever the application."""
    if app.missing is None and missing_flag is None:
        return None
    from mypy_uvicorn import messages

    if app.missing is not None and app.string is not None:
        message = messages.unchecked_string(app.string, app.missing, app.searched)
        return Finding(constants.UNCHECKED, message)
    if app.missing is not None and app_decides:
        what, module, where = "the application", app.missing, app.missing_where
    elif missing_flag is not None and (app.is_object or not flag_needs_object) and not reported:
        parameter, module, where = missing_flag
        what = f'"{parameter}"'
    else:
        return None
    message = messages.unchecked_value(
        what,
        module,
        not_followed=where.not_followed,
        file=where.file,
        searched=where.searched,
    )
    return Finding(constants.UNCHECKED, message)


def _startable_string(app: AppFacts) -> str | None:
    """The literal import string to propose as it is, or its checked correction: never a
    string the call's own findings reject."""
    if app.string is None:
        return None
    if app.unresolved is not None:
        return app.unresolved[1]
    if app.accepted or format_problem(app.string) is None:
        return app.string
    return app.form_fix[0] if app.form_fix is not None else None


def _app_findings(app: AppFacts) -> list[Finding]:
    """The import string's form, what it names, and factory= against the application."""
    problem = None if app.string is None or app.accepted else format_problem(app.string)
    if app.string is not None and problem is not None:
        from mypy_uvicorn import messages

        fix = problem.fix if app.form_fix is None else app.form_fix[0]
        message = messages.invalid_import_string(app.string, problem.reason, fix)
        return [Finding(constants.IMPORT_STRING_INVALID, message)]
    if app.string is not None and app.unresolved is not None:
        from mypy_uvicorn import messages

        message = messages.invalid_import_string(app.string, *app.unresolved)
        return [Finding(constants.IMPORT_STRING_INVALID, message)]
    return _factory_findings(app.factory, app.target)


def _reload_options_findings(reload: Truth, options: tuple[str, ...]) -> list[Finding]:
    if reload is Truth.NO and options:
        from mypy_uvicorn import messages

        return [Finding(constants.RELOAD_OPTIONS, messages.reload_options(options))]
    return []


def _factory_findings(factory: Truth, target: Target | None) -> list[Finding]:
    """uvicorn first calls the application with no arguments: a factory must allow that and
    return an application; anything else must not (uvicorn then only warns)."""
    if target is None or factory in (Truth.MAYBE, Truth.ANY):
        return []
    kind = target.kind
    if factory is Truth.YES:
        if kind in (Callability.APP, Callability.NOT_CALLABLE):
            problem = "not a factory"
        elif kind is Callability.NEEDS_ARGUMENTS:
            # Not "remove factory=True": uvicorn would then serve the factory itself.
            problem = "needs arguments"
        elif kind is Callability.FACTORY and target.returns is Callability.NOT_CALLABLE:
            problem = "returns no application"
        else:
            return []
    elif kind is Callability.NOT_CALLABLE:
        problem = "not an application"
    elif kind is Callability.FACTORY:
        problem = "a factory without factory=True"
    else:
        return []
    from mypy_uvicorn import messages

    texts = {
        "not a factory": messages.not_a_factory,
        "needs arguments": messages.factory_needs_arguments,
        "returns no application": messages.factory_returns_no_app,
        "not an application": messages.not_an_app,
        "a factory without factory=True": messages.factory_without_flag,
    }
    note = problem == "a factory without factory=True"  # uvicorn only warns
    return [Finding(constants.FACTORY, texts[problem](target.what), note=note)]


def _fix(suggestion: Suggestion | None) -> str:
    from mypy_uvicorn import messages

    if suggestion is None:
        return messages.GENERIC_FIX
    return messages.suggested_fix(suggestion.import_string, suggestion.add_factory)


def _triggers(call: RunCall) -> list[tuple[str, Truth]]:
    """What makes uvicorn need an import string: ("reload" | "workers", YES | MAYBE)."""
    triggers: list[tuple[str, Truth]] = []
    if not call.app_follows_reload and call.reload in (Truth.YES, Truth.MAYBE):
        triggers.append(("reload", call.reload))
    if call.workers in (Truth.YES, Truth.MAYBE):
        triggers.append(("workers", call.workers))
    return triggers


def _import_string_message(call: RunCall, triggers: list[tuple[str, Truth]]) -> str:
    from mypy_uvicorn import messages

    words = {
        ("reload", Truth.YES): messages.RELOAD_ON,
        ("reload", Truth.MAYBE): messages.RELOAD_MAYBE,
        ("workers", Truth.YES): messages.WORKERS_ON,
        ("workers", Truth.MAYBE): messages.WORKERS_MAYBE,
    }
    return messages.import_string(
        [words[trigger] for trigger in triggers],
        call.app.kind is AppKind.MAYBE_OBJECT,
        _fix(call.app.suggestion),
    )
