"""mypy (with the plugin), pyright, basedpyright, ty and pyrefly, each run for real over the same
case files (tests/cases/), with the stubs and without them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from checkers import (
    CASES,
    CHECKERS,
    LIMITATIONS,
    Diagnostic,
    Run,
    baseline_python,
    check_all,
    compare,
    expectations,
    expected_verdict,
    run_checker,
)
from harness import ROOT, errors, mypy, mypy_uvicorn

Runs = dict[str, tuple[Run, Run]]


# The tests of this file run on one worker (tests/conftest.py): it makes the `cases` runs once.
@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Runs]:
    # A copy outside the repository, so that no checker reads this project's pyproject.toml.
    work = tmp_path_factory.mktemp("checkers")
    directory = work / "cases"
    shutil.copytree(CASES, directory, ignore=shutil.ignore_patterns("wrapper", "editor"))
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
    for path in [*CASES.glob("*.py"), *CASES.glob("wrapper/*.py"), *CASES.glob("editor/*.py")]:
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            code = text.split("#", 1)[0]
            if call.search(code) and not code.lstrip().startswith(("def ", "@")):
                assert "# expect:" in text, f"{path.name}:{number}"


# tests/cases/editor/: what each checker shows, warnings included. Runs: each checker with the
# stubs and in the baseline venv; pyright once more with `reportDeprecated` raised to a warning
# (what its editor shows as a hint: the CLI does not print hints); mypy with the stubs and
# without the plugin. Every mypy run enables the `deprecated` error code.
EditorRuns = dict[tuple[str, str], Run]
Editor = tuple[dict[tuple[str, int], str], EditorRuns]  # the markers of tests/cases/editor, runs
DEPRECATION = '"workers" is ignored when reload=True'


@pytest.fixture(scope="session")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Editor:
    work = tmp_path_factory.mktemp("editor")
    directory = work / "editor"
    shutil.copytree(CASES / "editor", directory)
    shown = work / "pyright-shown" / "editor"
    shutil.copytree(CASES / "editor", shown)
    (shown / "pyrightconfig.json").write_text('{"reportDeprecated": "warning"}\n')
    base = baseline_python(work / "baseline-venv")
    here = Path(sys.executable)
    jobs: dict[tuple[str, str], tuple[Path, Path, dict[str, bool]]] = {}
    for checker in CHECKERS:
        jobs[(checker, "stubs")] = (directory, here, {})
        jobs[(checker, "baseline")] = (directory, base, {"with_package": False})
    jobs[("pyright", "shown")] = (shown, here, {})
    jobs[("mypy", "no-plugin")] = (directory, here, {"plugin": False})
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            (checker, kind): pool.submit(
                run_checker,
                checker,
                where,
                python,
                work / f"{checker}-{kind}",
                warnings=True,
                **options,
            )
            for (checker, kind), (where, python, options) in jobs.items()
        }
        runs = {key: future.result() for key, future in futures.items()}
    return expectations(directory), runs


def on_line(run: Run, line: tuple[str, int]) -> list[Diagnostic]:
    return [d for d in run.diagnostics if (d.file, d.line) == line]


def lines_marked(expected: dict[tuple[str, int], str], *markers: str) -> list[tuple[str, int]]:
    found = [line for line, marker in expected.items() if marker in markers]
    assert found, markers
    return found


@pytest.mark.parametrize("checker", CHECKERS)
def test_reload_with_workers_shows_a_deprecation(checker: str, editor: Editor) -> None:
    # An import string with reload=True and an int of workers: the stubs' deprecated overload.
    # Shown by default as a warning by basedpyright, ty and pyrefly; pyright's editor shows it as
    # a hint (a warning here, with reportDeprecated raised); mypy reports the plugin's
    # uvicorn-reload-workers where the number is known, never a second `deprecated` error.
    expected, runs = editor
    stubs = runs[(checker, "stubs")]
    for line in lines_marked(expected, "deprecated", "deprecated-dynamic"):
        found = on_line(stubs, line)
        if checker == "mypy":
            codes = ["uvicorn-reload-workers"] if expected[line] == "deprecated" else []
            assert [d.code for d in found] == codes, stubs.output
        elif checker == "pyright":
            assert found == [], stubs.output
            shown = on_line(runs[("pyright", "shown")], line)
            assert [(d.severity, d.code) for d in shown] == [("warning", "reportDeprecated")]
            assert DEPRECATION in shown[0].message
        else:
            assert [d.severity for d in found] == ["warning"], stubs.output
            assert DEPRECATION in found[0].message, found
    # Without the plugin, mypy reports the deprecation when its `deprecated` code is enabled.
    plain = runs[("mypy", "no-plugin")]
    for line in lines_marked(expected, "deprecated", "deprecated-dynamic"):
        found = on_line(plain, line)
        assert [d.code for d in found] == ["deprecated"], plain.output
        assert DEPRECATION in found[0].message
    # The same call with at most one worker, or reload not known to be on: nothing new at all.
    baseline = runs[(checker, "baseline")]
    for line in lines_marked(expected, "clean"):
        for run in (stubs, runs.get(("pyright", "shown"), stubs), plain):
            assert [d for d in on_line(run, line) if d.code != "uvicorn-main-guard"] == [], line
        assert on_line(baseline, line) == [], line


# What each checker names on a call with `debug=` (removed in uvicorn 0.19). ty reports only that
# no overload matches (README: "In the editor").
DEBUG_WORDS = {
    "mypy": 'Unexpected keyword argument "debug" for "run"',
    "pyright": '"debug" of type "DebugWasRemovedInUvicorn019"',
    "basedpyright": '"debug" of type "DebugWasRemovedInUvicorn019"',
    "ty": "No overload of function `run` matches arguments",
    "pyrefly": "parameter `debug` with type `Never`",
}


@pytest.mark.parametrize("checker", CHECKERS)
def test_debug_is_named(checker: str, editor: Editor) -> None:
    expected, runs = editor
    stubs, baseline = runs[(checker, "stubs")], runs[(checker, "baseline")]
    for line in lines_marked(expected, "debug"):
        found = on_line(stubs, line)
        assert found and all(d.severity == "error" for d in found), stubs.output
        assert DEBUG_WORDS[checker] in " ".join(d.message for d in found), found
        assert on_line(baseline, line), "uvicorn itself rejects debug= (TypeError)"


@pytest.mark.parametrize("checker", CHECKERS)
def test_another_wrong_argument_keeps_the_checkers_wording(checker: str, editor: Editor) -> None:
    # A call wrong for a reason other than reload, workers or the application: pyright,
    # basedpyright and pyrefly still print their own error about that argument (beside "no
    # overload matches"). mypy and ty report only that no overload matches (README).
    expected, runs = editor
    stubs, baseline = runs[(checker, "stubs")], runs[(checker, "baseline")]
    for line in lines_marked(expected, "own-wording"):
        before = [d.message for d in on_line(baseline, line)]
        after = " ".join(d.message for d in on_line(stubs, line))
        assert before, line
        if checker in ("mypy", "ty"):
            assert [d.code for d in on_line(stubs, line)] in (
                ["call-overload"],
                ["no-matching-overload"],
            ), stubs.output
            assert not any(message in after for message in before)
        else:
            assert all(message in after for message in before), (before, after)


def test_pyrefly_names_the_argument_at_fault(cases: tuple[Path, Runs]) -> None:
    # Where no overload matches, pyrefly explains the closest one, the first on a tie: the
    # application-object overload comes first, so the explanation is about `reload`, not `app`.
    directory, runs = cases
    stubs, _ = runs["pyrefly"]
    source = (directory / "literals.py").read_text().splitlines()
    line = next(n for n, t in enumerate(source, 1) if "uvicorn.run(app, reload=True)  #" in t)
    text = " ".join(d.message for d in on_line(stubs, ("literals.py", line)))
    assert "parameter `reload` with type `Literal[False]`" in text, text


OLD_UVICORN = "0.16.0"  # below the oldest supported release (0.30), still pinned by projects


@pytest.fixture(scope="session")
def old_uvicorn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with uvicorn 0.16.0 (and its dependencies) and these stubs, nothing else."""
    where = tmp_path_factory.mktemp("uvicorn-0.16")
    venv.create(where, with_pip=False, symlinks=True)
    python = where / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--target", site, f"uvicorn=={OLD_UVICORN}"],
        check=True,
    )  # fmt: skip
    stubs = Path(sysconfig.get_paths()["purelib"]) / "uvicorn-stubs"
    shutil.copytree(stubs, Path(site) / "uvicorn-stubs")
    return python


@pytest.mark.parametrize("checker", CHECKERS)
def test_stubs_with_an_older_uvicorn(checker: str, old_uvicorn: Path, tmp_path: Path) -> None:
    # The stubs import nothing that uvicorn 0.16 lacks (`uvicorn._types.ASGIApplication` came in
    # 0.19): the rule still holds, and a correct call gets no warning either (basedpyright said
    # "Type of "run" is partially unknown" on every call).
    directory = tmp_path / "old"
    directory.mkdir()
    (directory / "old.py").write_text(
        "import uvicorn\n\n\n"
        "async def app(_scope: object, _receive: object, _send: object) -> None: ...\n\n\n"
        "def serve() -> None:\n"
        "    uvicorn.run(app, reload=True)\n"
        '    uvicorn.run("old:app", reload=True)\n'
        '    uvicorn.run("old:app", reload=True, workers=2)\n'
    )
    result = run_checker(checker, directory, old_uvicorn, tmp_path / "cache", warnings=True)
    by_line: dict[int, list[Diagnostic]] = {}
    for d in result.diagnostics:
        by_line.setdefault(d.line, []).append(d)
    assert set(by_line) <= {8, 10}, result.output
    assert by_line[8] and by_line[8][0].severity == "error", result.output
    if checker in ("pyright", "basedpyright"):
        assert "ReloadNeedsImportString" in " ".join(d.message for d in by_line[8])
    # Line 10: the deprecation, where the checker shows one by default (mypy: the plugin).
    expected_10 = {"mypy": ["error"], "pyright": []}.get(checker, ["warning"])
    assert [d.severity for d in by_line.get(10, [])] == expected_10, result.output


# Issue 21, point 4: the plugin follows the uvicorn installed where mypy looks for packages. With
# uvicorn 0.16 (checked by starting it: `run(app, debug=True)` serves without reload, and
# `run("main:app", debug=True, workers=2)` starts the reloader and one server process), `debug`
# is a parameter: no call-arg, and debug=True reloads an import string (not an object).
OLD_DEBUG = """import uvicorn
async def app(scope: object, receive: object, send: object) -> None: ...
def serve(flag: bool) -> None:
    uvicorn.run(app, debug=True)
    uvicorn.run("main:app", debug=True)
    uvicorn.run("main:app", debug=True, workers=2)
    uvicorn.run("main:app", debug=flag, workers=2)
    uvicorn.run(app, reload=True)
    uvicorn.run("main:app", debug=False, reload_dirs=["src"])
"""


def test_the_plugin_follows_uvicorn_before_0_19(old_uvicorn: Path, tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(OLD_DEBUG)
    (tmp_path / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    old = ["--python-executable", str(old_uvicorn)]
    expected_old = [
        'main.py:6: error: "workers" is ignored when "reload" is enabled: uvicorn starts one'
        " reloading process; use reload for development or workers for production, not both"
        "  [uvicorn-reload-workers]",
        'main.py:8: error: "uvicorn.run" needs the application as an import string when "reload"'
        ' is enabled; pass "main:app"  [uvicorn-import-string]',
        'main.py:9: error: "reload_dirs" has no effect while "reload" is off: uvicorn ignores it;'
        " remove it, or enable reload (with an import string)  [uvicorn-reload-options]",
    ]
    assert errors(mypy(*cache, *old, "main.py", cwd=tmp_path).stdout) == expected_old
    # The same cache with this environment's uvicorn (0.19 or later): `debug=` is unknown.
    current = errors(mypy(*cache, "main.py", cwd=tmp_path).stdout)
    unexpected = [line for line in current if line.endswith("[call-arg]")]
    assert [line.split(":")[1] for line in unexpected] == ["4", "5", "6", "7", "9"], current
    assert errors(mypy(*cache, *old, "main.py", cwd=tmp_path).stdout) == expected_old
    # The command says which releases its findings follow (its build shares the warm cache).
    command = mypy_uvicorn("main.py", "--", *old, cwd=tmp_path, cache=tmp_path / "cache")
    assert command.returncode == 1, command.stderr
    assert command.stderr.startswith(
        "mypy-uvicorn: warning: uvicorn 0.16.0 is installed, older than 0.30; the findings"
        " follow uvicorn 0.30 to 0.54, except `debug=`, read as this release reads it\n"
    ), command.stderr
    assert "warning" not in mypy_uvicorn("main.py", cwd=tmp_path, cache=tmp_path / "cache").stderr
