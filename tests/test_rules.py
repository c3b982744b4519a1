"""The rule book without mypy: facts in, findings out; value rules checked against uvicorn."""

from __future__ import annotations

import pytest
import uvicorn

from mypy_uvicorn import messages
from mypy_uvicorn.records import (
    AppFacts,
    AppKind,
    Callability,
    ConfigCall,
    RunCall,
    Suggestion,
    Target,
    Truth,
    Unpicklable,
    combine,
    flag_truth,
    workers_truth,
)
from mypy_uvicorn.rules import config_findings, run_findings


@pytest.mark.parametrize(
    ("truths", "expected"),
    [
        ([], Truth.NO),
        ([Truth.NO, Truth.NO], Truth.NO),
        ([Truth.YES], Truth.YES),
        ([Truth.YES, Truth.NO], Truth.MAYBE),
        ([Truth.MAYBE, Truth.NO], Truth.MAYBE),
        ([Truth.YES, Truth.ANY], Truth.ANY),
    ],
)
def test_combine(truths: list[Truth], expected: Truth) -> None:
    assert combine(truths) is expected


@pytest.mark.parametrize("value", [True, False, None, 0, 1, 2, -1, 8, "", "false"])
def test_flag_truth_matches_uvicorn(value: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = uvicorn.Config("main:app", reload=value)  # type: ignore[arg-type]
    assert (flag_truth(value) is Truth.YES) == bool(config.reload)


@pytest.mark.parametrize("value", [None, 0, 1, 2, 8, -1, True, False])
def test_workers_truth_matches_uvicorn(value: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = uvicorn.Config("main:app", workers=value)
    assert (workers_truth(value) is Truth.YES) == (config.workers > 1)


def test_string_app_is_never_an_import_string_finding() -> None:
    assert (
        run_findings(RunCall(AppFacts(AppKind.STRING), reload=Truth.YES, workers=Truth.MAYBE)) == []
    )


def test_unknown_values_are_never_reported() -> None:
    call = RunCall(AppFacts(AppKind.OBJECT), reload=Truth.ANY, workers=Truth.ANY)
    assert run_findings(call) == []
    assert run_findings(RunCall(AppFacts(AppKind.UNKNOWN), reload=Truth.YES)) == []


def test_message_names_every_trigger_and_the_fix() -> None:
    call = RunCall(
        AppFacts(AppKind.OBJECT, suggestion=Suggestion("pkg.main:create_app", add_factory=True)),
        reload=Truth.YES,
        workers=Truth.MAYBE,
    )
    [finding] = run_findings(call)
    assert finding.code.name == "uvicorn-import-string"
    assert finding.message == (
        '"uvicorn.run" needs the application as an import string when "reload" is enabled'
        ' and "workers" may be above 1; pass "pkg.main:create_app" with factory=True'
    )


def test_app_following_reload_only_counts_workers() -> None:
    call = RunCall(AppFacts(AppKind.MAYBE_OBJECT), reload=Truth.MAYBE, app_follows_reload=True)
    assert run_findings(call) == []
    [finding] = run_findings(
        RunCall(
            AppFacts(AppKind.MAYBE_OBJECT),
            reload=Truth.MAYBE,
            workers=Truth.YES,
            app_follows_reload=True,
        )
    )
    assert messages.WORKERS_ON in finding.message
    assert messages.RELOAD_MAYBE not in finding.message


@pytest.mark.parametrize(
    ("reload", "workers", "reported"),
    [
        (Truth.YES, Truth.YES, True),
        (Truth.YES, Truth.MAYBE, False),  # a CLI choosing one of them at run time is fine
        (Truth.MAYBE, Truth.YES, False),
        (Truth.NO, Truth.YES, False),
    ],
)
def test_reload_with_workers(reload: Truth, workers: Truth, reported: bool) -> None:
    codes = [
        f.code.name
        for f in run_findings(RunCall(AppFacts(AppKind.STRING), reload=reload, workers=workers))
    ]
    assert ("uvicorn-reload-workers" in codes) is reported


def codes(findings: list[object]) -> list[str]:
    return [f.code.name for f in findings]  # type: ignore[attr-defined]


def test_web_concurrency_only_for_objects_without_workers() -> None:
    reads_env = RunCall(
        AppFacts(AppKind.OBJECT, suggestion=Suggestion("m:app")), workers_from_env=True
    )
    assert codes(run_findings(reads_env)) == ["uvicorn-web-concurrency"]
    assert '"m:app"' in run_findings(reads_env)[0].message
    assert run_findings(RunCall(AppFacts(AppKind.STRING), workers_from_env=True)) == []
    assert run_findings(RunCall(AppFacts(AppKind.UNKNOWN), workers_from_env=True)) == []
    assert run_findings(RunCall(AppFacts(AppKind.OBJECT), workers_from_env=False)) == []


def test_a_code_the_module_does_not_report_is_not_made() -> None:
    # uvicorn-web-concurrency is off by default: its message needs the string to suggest, which
    # is looked for in the program; a module that does not report the code never asks for it.
    asked: list[bool] = []

    def suggest() -> Suggestion:
        asked.append(True)
        return Suggestion("m:app")

    reads_env = RunCall(AppFacts(AppKind.OBJECT, suggest=suggest), workers_from_env=True)
    assert run_findings(reads_env, lambda code: code.name != "uvicorn-web-concurrency") == []
    assert asked == []
    assert codes(run_findings(reads_env, lambda code: True)) == ["uvicorn-web-concurrency"]
    assert asked == [True]
    # Already an import-string finding: one finding per call.
    both = RunCall(AppFacts(AppKind.OBJECT), reload=Truth.YES, workers_from_env=True)
    assert codes(run_findings(both)) == ["uvicorn-import-string"]


def test_web_concurrency_matches_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fact the check rests on: with workers absent or None, uvicorn takes WEB_CONCURRENCY.
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    assert uvicorn.Config("main:app").workers == 4
    assert uvicorn.Config("main:app", workers=None).workers == 4
    assert uvicorn.Config("main:app", workers=1).workers == 1


@pytest.mark.parametrize(
    ("reload", "expected"),
    [(Truth.NO, ["uvicorn-reload-options"]), (Truth.YES, []), (Truth.MAYBE, [])],
)
def test_reload_options_only_when_reload_is_certainly_off(
    reload: Truth, expected: list[str]
) -> None:
    call = RunCall(AppFacts(AppKind.STRING), reload=reload, reload_options=("reload_dirs",))
    assert codes(run_findings(call)) == expected


def test_reload_options_are_ignored_by_uvicorn(capsys: pytest.CaptureFixture[str]) -> None:
    config = uvicorn.Config("main:app", reload_dirs=["."])
    assert not config.should_reload
    assert "will not reload" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("reload", "workers", "reported"),
    [
        (Truth.YES, Truth.NO, True),
        (Truth.NO, Truth.MAYBE, True),
        (Truth.NO, Truth.NO, False),
        (Truth.ANY, Truth.NO, False),
    ],
)
def test_unpicklable_only_when_processes_start(
    reload: Truth, workers: Truth, reported: bool
) -> None:
    call = RunCall(
        AppFacts(AppKind.STRING),
        reload=reload,
        workers=workers,
        unpicklable=(("ssl_context_factory", Unpicklable.LAMBDA),),
    )
    assert ("uvicorn-unpicklable" in codes(run_findings(call))) is reported


CONFIG_CALLS = [
    (
        ConfigCall(AppFacts(AppKind.STRING, string="m:app"), reload=Truth.YES),
        'run("m:app", reload=True)',
    ),
    (
        ConfigCall(AppFacts(AppKind.OBJECT), workers=Truth.YES, workers_value=4),
        '"<module>:<attribute>", workers=4',
    ),
    (ConfigCall(AppFacts(AppKind.STRING), workers=Truth.MAYBE), "workers=<n>"),
    (
        ConfigCall(AppFacts(AppKind.OBJECT, suggestion=Suggestion("a.b:app")), reload=Truth.MAYBE),
        '"a.b:app"',
    ),
]


@pytest.mark.parametrize(("call", "expected"), CONFIG_CALLS)
def test_config_ignored_names_the_run_call(call: ConfigCall, expected: str) -> None:
    findings = config_findings(call)
    assert codes(findings) == ["uvicorn-config-ignored"]
    assert expected in findings[0].message


def test_config_without_reload_or_workers_is_clean() -> None:
    assert config_findings(ConfigCall(AppFacts(AppKind.OBJECT))) == []
    assert config_findings(ConfigCall(AppFacts(AppKind.STRING), reload=Truth.ANY)) == []


def test_config_really_ignores_reload_and_workers() -> None:
    # Server.run() reads neither: only uvicorn.run and the CLI start the supervisors.
    import inspect

    import uvicorn.server

    source = inspect.getsource(uvicorn.server.Server)
    assert "should_reload" not in source
    assert "Multiprocess" not in source and "ChangeReload" not in source


def test_messages_escape_control_characters() -> None:
    message = messages.invalid_import_string("main:app\n", messages.STRING_WHITESPACE, "main:app")
    assert "\n" not in message
    assert message.startswith('Invalid import string "main:app\\n": ')
    assert messages.shown("main:\x1b[31mapp\t") == "main:\\x1b[31mapp\\t"
    assert messages.shown("main:café") == "main:café"


def test_factory_that_needs_arguments_is_not_told_to_drop_factory() -> None:
    # Removing factory=True would make uvicorn serve the factory itself (issue 13).
    target = Target('"main:create_app"', Callability.NEEDS_ARGUMENTS, Callability.APP)
    with_flag = RunCall(AppFacts(AppKind.STRING, factory=Truth.YES, target=target))
    [finding] = run_findings(with_flag)
    assert finding.code.name == "uvicorn-factory"
    assert finding.message == messages.factory_needs_arguments('"main:create_app"')
    assert "remove factory=True" not in finding.message
    # Without factory=True uvicorn's call with no arguments fails and it serves the object as
    # an application: not known to fail at start-up, so nothing is said.
    assert run_findings(RunCall(AppFacts(AppKind.STRING, target=target))) == []


def test_a_string_uvicorn_accepts_is_not_reported_for_its_form() -> None:
    # "my-app:app" with my-app.py beside: importlib imports any file name.
    accepted = AppFacts(AppKind.STRING, string="my-app:app", accepted=True)
    assert run_findings(RunCall(accepted)) == []
    [finding] = run_findings(RunCall(AppFacts(AppKind.STRING, string="my-app:app")))
    assert finding.code.name == "uvicorn-import-string-invalid"


def test_a_checked_form_fix_replaces_the_guess() -> None:
    unchecked = run_findings(RunCall(AppFacts(AppKind.STRING, string=" main:ap")))
    assert unchecked[0].message.endswith('; pass "main:ap"')
    checked = AppFacts(AppKind.STRING, string=" main:ap", form_fix=("main:app",))
    assert run_findings(RunCall(checked))[0].message.endswith('; pass "main:app"')
    none = AppFacts(AppKind.STRING, string=" main:ap", form_fix=(None,))
    assert 'pass "' not in run_findings(RunCall(none))[0].message


def test_every_note_the_plugin_reports_is_known_to_the_command() -> None:
    # mypy prints a note without its code: the command keeps this project's notes by their text
    # (messages.NOTES). Every note the rule book makes, over every kind of application, target,
    # factory, reload and workers, and the hooks' note on `debug=`, must be one it keeps.
    from mypy_uvicorn.command.mypy_messages import is_own_note

    truths = (Truth.NO, Truth.MAYBE, Truth.YES, Truth.ANY)
    kinds = (
        Callability.APP,
        Callability.FACTORY,
        Callability.NOT_CALLABLE,
        Callability.NEEDS_ARGUMENTS,
        Callability.UNKNOWN,
    )
    notes: set[str] = {messages.DEBUG_NOTE}
    for app_kind in (AppKind.STRING, AppKind.OBJECT, AppKind.MAYBE_OBJECT, AppKind.UNKNOWN):
        for kind in kinds:
            for returns in kinds:
                target = Target('"main:make"', kind, returns)
                for factory in truths:
                    app = AppFacts(app_kind, string="main:make", factory=factory, target=target)
                    for reload in truths:
                        for workers in truths:
                            findings = run_findings(RunCall(app, reload, workers))
                            findings += config_findings(ConfigCall(app, reload, workers))
                            notes.update(f.message for f in findings if f.note)
    assert messages.factory_without_flag('"main:make"') in notes  # the grid reaches the notes
    assert [note for note in notes if not is_own_note(note)] == []
    # And a note the plugin never reports is not taken for one of its own.
    assert not is_own_note('Revealed type is "builtins.str"')
