"""The rule book without mypy: facts in, findings out; value rules checked against uvicorn."""

from __future__ import annotations

import pytest
import uvicorn

from mypy_uvicorn import messages
from mypy_uvicorn.rules import (
    AppKind,
    RunCall,
    Suggestion,
    Truth,
    check_run,
    combine,
    reload_truth,
    workers_truth,
)


@pytest.mark.parametrize(
    ("truths", "expected"),
    [
        ([], Truth.NO),
        ([Truth.NO, Truth.NO], Truth.NO),
        ([Truth.YES], Truth.YES),
        ([Truth.YES, Truth.NO], Truth.MAYBE),
        ([Truth.MAYBE, Truth.NO], Truth.MAYBE),
        ([Truth.YES, Truth.UNKNOWN], Truth.UNKNOWN),
    ],
)
def test_combine(truths: list[Truth], expected: Truth) -> None:
    assert combine(truths) is expected


@pytest.mark.parametrize("value", [True, False, None, 0, 1, 2, -1, 8, "", "false"])
def test_reload_truth_matches_uvicorn(value: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = uvicorn.Config("main:app", reload=value)  # type: ignore[arg-type]
    assert (reload_truth(value) is Truth.YES) == bool(config.reload)


@pytest.mark.parametrize("value", [None, 0, 1, 2, 8, -1, True, False])
def test_workers_truth_matches_uvicorn(value: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = uvicorn.Config("main:app", workers=value)
    assert (workers_truth(value) is Truth.YES) == (config.workers > 1)


def test_string_app_is_never_an_import_string_finding() -> None:
    assert check_run(RunCall(AppKind.STRING, reload=Truth.YES, workers=Truth.MAYBE)) == []


def test_unknown_values_are_never_reported() -> None:
    call = RunCall(AppKind.OBJECT, reload=Truth.UNKNOWN, workers=Truth.UNKNOWN)
    assert check_run(call) == []
    assert check_run(RunCall(AppKind.UNKNOWN, reload=Truth.YES)) == []


def test_message_names_every_trigger_and_the_fix() -> None:
    call = RunCall(
        AppKind.OBJECT,
        reload=Truth.YES,
        workers=Truth.MAYBE,
        suggestion=Suggestion("pkg.main:create_app", add_factory=True),
    )
    [finding] = check_run(call)
    assert finding.code == "uvicorn-import-string"
    assert finding.message == (
        '"uvicorn.run" needs the application as an import string when "reload" is enabled'
        ' and "workers" may be above 1; pass "pkg.main:create_app" with factory=True'
    )


def test_app_following_reload_only_counts_workers() -> None:
    call = RunCall(AppKind.MAYBE_OBJECT, reload=Truth.MAYBE, app_follows_reload=True)
    assert check_run(call) == []
    [finding] = check_run(
        RunCall(
            AppKind.MAYBE_OBJECT, reload=Truth.MAYBE, workers=Truth.YES, app_follows_reload=True
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
    codes = [f.code for f in check_run(RunCall(AppKind.STRING, reload=reload, workers=workers))]
    assert ("uvicorn-reload-workers" in codes) is reported
