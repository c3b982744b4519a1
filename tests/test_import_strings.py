"""Import-string forms, checked without mypy; every suggested string must pass the same check."""

from __future__ import annotations

import pytest

from mypy_uvicorn.import_strings import format_problem


@pytest.mark.parametrize("target", ["main:app", "pkg.main:app", "main:api.app", "a.b.c:d.e"])
def test_valid_forms(target: str) -> None:
    assert format_problem(target) is None


@pytest.mark.parametrize(
    ("target", "fix"),
    [
        ("main", None),
        ("main:", None),
        (":app", None),
        ("main.py:app", "main:app"),
        ("src/main.py:app", None),
        ("main:create_app()", "main:create_app"),
        (" main:app", "main:app"),
        ("main:app\n", "main:app"),
        ("my-app:app", None),
        ("main:app.", None),
        ("main:1app", None),
    ],
)
def test_invalid_forms_and_fixes(target: str, fix: str | None) -> None:
    problem = format_problem(target)
    assert problem is not None
    assert problem.fix == fix
    if problem.fix is not None:
        assert format_problem(problem.fix) is None
