"""mypy (with the plugin), pyright, basedpyright, ty and pyrefly, each run for real over the same
case files (tests/cases/), with the stubs and without them."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from checkers import (
    CASES,
    CHECKERS,
    LIMITATIONS,
    Run,
    check_all,
    compare,
    expectations,
    expected_verdict,
    run_checker,
)
from harness import ROOT

Runs = dict[str, tuple[Run, Run]]


# The tests of this file run on one worker (tests/conftest.py): it makes the `cases` runs once.
@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Runs]:
    # A copy outside the repository, so that no checker reads this project's pyproject.toml.
    work = tmp_path_factory.mktemp("checkers")
    directory = work / "cases"
    shutil.copytree(CASES, directory, ignore=shutil.ignore_patterns("wrapper"))
    return directory, check_all(directory, work)


def test_the_cases_mark_enough_calls() -> None:
    expected = expectations(CASES)
    markers = list(expected.values())
    assert markers.count("flag") >= 25
    assert markers.count("clean") >= 25
    used = {m.removeprefix("limitation=") for m in markers if m.startswith("limitation=")}
    assert used == set(LIMITATIONS)


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_flags_every_wrong_call_and_no_correct_one(
    checker: str, cases: tuple[Path, Runs]
) -> None:
    directory, runs = cases
    stubs, baseline = runs[checker]
    expected = expectations(directory)
    outcome = compare(checker, expected, stubs, baseline)
    assert outcome.missed == [], stubs.output
    assert outcome.wrong == [], stubs.output
    assert outcome.flagged == outcome.expected_flags
    # Flags are counted against the baseline run: had the baseline venv seen the stubs too,
    # nothing would count as flagged.
    assert outcome.flagged >= 25


@pytest.mark.parametrize("checker", CHECKERS)
def test_baseline_runs_without_the_stubs(checker: str, cases: tuple[Path, Runs]) -> None:
    # Without mypy-uvicorn no checker reports the plain `run(app, reload=True)`.
    directory, runs = cases
    _, baseline = runs[checker]
    line = next(
        n
        for n, text in enumerate((directory / "literals.py").read_text().splitlines(), start=1)
        if "uvicorn.run(app, reload=True)  #" in text
    )
    assert [d for d in baseline.diagnostics if (d.file, d.line) == ("literals.py", line)] == []


@pytest.mark.parametrize("checker", ["pyright", "basedpyright"])
def test_pyright_message_names_the_fix(checker: str, cases: tuple[Path, Runs]) -> None:
    # The stubs' alias names appear in pyright's text: "... is not assignable to type
    # "ReloadNeedsImportString"".
    directory, runs = cases
    stubs, _ = runs[checker]
    source = (directory / "literals.py").read_text().splitlines()
    wanted = {
        "uvicorn.run(app, reload=True)  #": "ReloadNeedsImportString",
        "uvicorn.run(app, workers=4)  #": "WorkersAbove1NeedImportString",
    }
    for call, alias in wanted.items():
        line = next(n for n, text in enumerate(source, start=1) if call in text)
        text = " ".join(
            d.message for d in stubs.diagnostics if (d.file, d.line) == ("literals.py", line)
        )
        assert alias in text, text
    conditional = (directory / "dynamic.py").read_text().splitlines()
    line = next(n for n, t in enumerate(conditional, start=1) if "limitation=conditional" in t)
    text = " ".join(
        d.message for d in stubs.diagnostics if (d.file, d.line) == ("dynamic.py", line)
    )
    assert '"ImportString"' in text, text


def test_every_limitation_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in LIMITATIONS:
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize("checker", CHECKERS)
def test_typed_wrapper_recipe(checker: str, tmp_path: Path) -> None:
    # tests/cases/wrapper: a library's overloaded `serve` wrapping uvicorn.run (must check clean)
    # and its callers (flagged like direct calls). Verdicts are absolute here: the protection
    # comes from the wrapper's own overloads.
    directory = tmp_path / "wrapper"
    shutil.copytree(CASES / "wrapper", directory)
    result = run_checker(checker, directory, Path(sys.executable), tmp_path / "cache")
    errors = {(d.file, d.line) for d in result.diagnostics}
    expected = expectations(directory)
    flagged = {
        line for line, marker in expected.items() if expected_verdict(marker, checker) == "flag"
    }
    assert len(flagged) >= 4
    assert errors == flagged, result.output
    assert not any(file == "servelib.py" for file, _ in errors)


def test_unmarked_case_lines_hold_no_call() -> None:
    # A call without a marker would be checked only for "no new error"; every call is marked.
    call = re.compile(r"\b(uvicorn\.run|uv\.run|run|start|main_run|serve)\(")
    for path in [*CASES.glob("*.py"), *CASES.glob("wrapper/*.py")]:
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            code = text.split("#", 1)[0]
            if call.search(code) and not code.lstrip().startswith(("def ", "@")):
                assert "# expect:" in text, f"{path.name}:{number}"
