"""Run real type checkers over tests/cases/ and compare them with each call's expected verdict.

Every call in a case file ends with `# expect: flag`, `# expect: clean` or
`# expect: limitation=NAME` (a correct call that some checkers flag: see LIMITATIONS and the
README). Each checker runs twice: with this package installed (the stubs, and for mypy the plugin
too) and in a baseline environment that has everything except this package. A call is *flagged*
by a checker when the run with the stubs has an error on its line that the baseline run does not
have; lines without a marker must get no new error at all.

    python tests/checkers.py   # prints, per checker: calls flagged / expected, new errors on
                               # correct calls, seconds taken (used for the figures in the README)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import venv
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

CASES = Path(__file__).resolve().parent / "cases"
CHECKERS = ("mypy", "pyright", "basedpyright", "ty", "pyrefly")
STUB_CHECKERS = CHECKERS[1:]  # the checkers that only have the stubs (no plugin)

# Correct calls that a checker cannot accept from stubs alone; each is listed in the README.
LIMITATIONS: dict[str, dict[str, str]] = {
    # run("m:app" if flag else app, reload=flag): the app's type is `str | <app>` and reload is
    # `bool`, which neither overload accepts. mypy's plugin sees both branches and accepts it.
    "conditional-app": {"mypy": "clean", **dict.fromkeys(STUB_CHECKERS, "flag")},
    # run("m:app", **{"reload": flag}): mypy and pyright already reject it without the stubs (a
    # dict[str, bool] does not fit `host: str` and the other keyword parameters); with the stubs
    # the same call gets "No overload(s) ... match" in place of (mypy) or beside (pyright) that.
    # workers=-1 with an application object: uvicorn runs one process (`workers or 1` is not above
    # 1); the stubs accept only 0, 1 and None. The mypy plugin compares the number.
    "negative-workers": {"mypy": "clean", **dict.fromkeys(STUB_CHECKERS, "flag")},
    "dict-display": {
        "mypy": "flag",
        "pyright": "flag",
        "basedpyright": "flag",
        "ty": "clean",
        "pyrefly": "clean",
    },
}

# flag, clean, limitation=NAME; and in tests/cases/editor/ what a checker shows beyond that
# (tests/test_checkers.py reads those).
MARKER = re.compile(
    r"#\s*expect:\s*(flag|clean|limitation=[\w-]+|deprecated(?:-dynamic)?|debug|own-wording)\s*$"
)
Line = tuple[str, int]  # (file name relative to the checked directory, 1-based line)


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    code: str
    message: str
    severity: str = "error"  # or "warning" (runs with `warnings=True`)


@dataclass
class Run:
    diagnostics: list[Diagnostic]
    seconds: float
    output: str = field(repr=False)


def expectations(directory: Path) -> dict[Line, str]:
    """The expected verdict of every marked line of the .py files in directory."""
    expected: dict[Line, str] = {}
    for path in sorted(directory.glob("*.py")):
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            match = MARKER.search(text)
            if match:
                expected[(path.name, number)] = match.group(1)
    return expected


def expected_verdict(marker: str, checker: str) -> str:
    if marker.startswith("limitation="):
        return LIMITATIONS[marker.removeprefix("limitation=")][checker]
    return marker


def baseline_python(where: Path, site_packages: Path | None = None) -> Path:
    """A venv whose site-packages links to every package of this one except mypy-uvicorn's."""
    site = site_packages or Path(sysconfig.get_paths()["purelib"])
    if not (where / "bin" / "python").exists():
        venv.create(where, with_pip=False, symlinks=True)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    own = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    for entry in site.iterdir():
        if entry.name.startswith(("uvicorn-stubs", "uvicorn_stubs", "mypy_uvicorn")):
            continue
        link = Path(own) / entry.name
        if not link.exists():
            link.symlink_to(entry)
    return python


def _tool(name: str) -> str:
    """A checker's command from this Python's environment (the test venv)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def _command(
    checker: str, files: list[str], python: Path, cache: Path, plugin: bool, deprecated: bool
) -> list[str]:
    if checker == "mypy":
        # The plugin only in the run with the stubs (the baseline venv has neither).
        plugin_line = "plugins = mypy_uvicorn\n" if plugin else ""
        deprecated_line = "enable_error_code = deprecated\n" if deprecated else ""
        ini = cache.with_suffix(".ini")
        ini.write_text(f"[mypy]\n{plugin_line}{deprecated_line}check_untyped_defs = True\n")
        return [
            sys.executable, "-m", "mypy", "--config-file", str(ini), "--python-executable",
            str(python), "--cache-dir", str(cache), "--no-error-summary", "--hide-error-context",
            "--no-pretty", "--show-error-codes", *files,
        ]  # fmt: skip
    if checker in ("pyright", "basedpyright"):
        return [_tool(checker), "--outputjson", "--pythonpath", str(python), *files]
    if checker == "ty":
        return [
            _tool("ty"), "check", "--python", str(python), "--output-format", "concise",
            "--no-progress", "--color", "never", *files,
        ]  # fmt: skip
    if checker == "pyrefly":
        # The `default` preset: with no configuration file pyrefly uses `basic`, which does not
        # report calls that match no overload.
        return [
            _tool("pyrefly"), "check", "--preset", "default", "--python-interpreter-path",
            str(python), "--output-format", "json", *files,
        ]  # fmt: skip
    raise ValueError(f"unknown checker {checker!r}")


MYPY_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): (?P<severity>error): (?P<message>.*?)"
    r"(?:  \[(?P<code>[\w-]+)\])?$"
)
TY_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):\d+: (?P<severity>error|warning)\[(?P<code>[\w-]+)\] "
    r"(?P<message>.*)$"
)
# Each checker's word for a warning (pyrefly: "warn"); anything else (hints, information) is
# not read.
WARNING = {"warning", "warn"}


def _parse(checker: str, stdout: str, warnings: bool) -> list[Diagnostic]:
    found: list[Diagnostic] = []

    def add(file: str, line: int, code: str, message: str, severity: str) -> None:
        if severity == "error" or (warnings and severity in WARNING):
            kind = "error" if severity == "error" else "warning"
            found.append(Diagnostic(Path(file).name, line, code, message, kind))

    if checker in ("mypy", "ty"):
        pattern = MYPY_LINE if checker == "mypy" else TY_LINE
        for text in stdout.splitlines():
            m = pattern.match(text)
            if m:
                add(m["file"], int(m["line"]), m["code"] or "", m["message"], m["severity"])
    elif checker in ("pyright", "basedpyright"):
        for d in json.loads(stdout)["generalDiagnostics"]:
            line = d["range"]["start"]["line"] + 1
            add(d["file"], line, d.get("rule", ""), d["message"], d["severity"])
    elif checker == "pyrefly":
        for d in json.loads(stdout)["errors"]:
            add(d["path"], d["line"], d["name"], d["description"], d["severity"])
    return found


def run_checker(
    checker: str,
    directory: Path,
    python: Path,
    cache: Path,
    *,
    with_package: bool = True,
    warnings: bool = False,
    plugin: bool | None = None,
) -> Run:
    """One checker over the .py files of `directory`; `with_package`: this package is installed
    for `python` (for mypy: also load the plugin, unless `plugin` says otherwise); `warnings`:
    read warnings too (mypy then also reports deprecated calls, which it leaves off by
    default)."""
    files = sorted(p.name for p in directory.glob("*.py"))
    plugin = with_package if plugin is None else plugin
    command = _command(checker, files, python, cache, plugin=plugin, deprecated=warnings)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    # Exit status 0 or 1 (errors found); anything else is a crash or a bad command line.
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{checker} exited {result.returncode}:\n{output}")
    return Run(_parse(checker, result.stdout, warnings), seconds, output)


def new_errors(with_stubs: Iterable[Diagnostic], baseline: Iterable[Diagnostic]) -> Counter[Line]:
    """Per line: how many errors the run with the stubs has that the baseline run has not."""
    added = Counter(with_stubs) - Counter(baseline)
    return Counter((d.file, d.line) for d in added.elements())


@dataclass
class Outcome:
    checker: str
    flagged: int  # expected flags that were reported
    expected_flags: int
    missed: list[Line]  # expected flag, not reported
    wrong: list[Line]  # expected clean (or unmarked), reported
    limitation_lines: int  # documented limitations that behaved as documented
    seconds: float  # both runs


def compare(checker: str, expected: dict[Line, str], stubs: Run, baseline: Run) -> Outcome:
    added = new_errors(stubs.diagnostics, baseline.diagnostics)
    missed: list[Line] = []
    wrong: list[Line] = []
    flagged = expected_flags = limitations = 0
    for line, marker in expected.items():
        verdict = expected_verdict(marker, checker)
        reported = added[line] > 0
        if verdict == "flag":
            expected_flags += 1
            flagged += reported
            if not reported:
                missed.append(line)
        elif reported:
            wrong.append(line)
        if marker.startswith("limitation=") and reported == (verdict == "flag"):
            limitations += 1
    wrong.extend(line for line in added if line not in expected)
    seconds = stubs.seconds + baseline.seconds
    return Outcome(checker, flagged, expected_flags, missed, wrong, limitations, seconds)


def check_all(
    directory: Path, work: Path, checkers: Iterable[str] = CHECKERS, *, workers: int = 4
) -> dict[str, tuple[Run, Run]]:
    """Run each checker with the stubs and in the baseline venv, several at a time."""
    base_python = baseline_python(work / "baseline-venv")
    jobs = {
        (checker, kind): (checker, directory, python, work / f"{checker}-{kind}")
        for checker in checkers
        for kind, python in (("stubs", Path(sys.executable)), ("baseline", base_python))
    }
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            (checker, kind): pool.submit(run_checker, *args, with_package=kind == "stubs")
            for (checker, kind), args in jobs.items()
        }
        runs = {key: future.result() for key, future in futures.items()}
    return {
        checker: (runs[(checker, "stubs")], runs[(checker, "baseline")]) for checker in checkers
    }


def main() -> int:
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        directory = work / "cases"
        shutil.copytree(CASES, directory, ignore=shutil.ignore_patterns("wrapper"))
        expected = expectations(directory)
        print(f"{len(expected)} marked calls in {directory.name}/")
        print(f"{'checker':<14}{'flagged/expected':>18}{'new errors on correct calls':>30}{'s':>8}")
        status = 0
        for checker, (stubs, baseline) in check_all(directory, work).items():
            outcome = compare(checker, expected, stubs, baseline)
            status |= bool(outcome.missed or outcome.wrong)
            print(
                f"{checker:<14}{f'{outcome.flagged}/{outcome.expected_flags}':>18}"
                f"{len(outcome.wrong):>30}{outcome.seconds:>8.1f}"
            )
            for line in outcome.missed:
                print(f"    missed: {line[0]}:{line[1]}")
            for line in outcome.wrong:
                print(f"    new error on a correct call: {line[0]}:{line[1]}")
        return status


if __name__ == "__main__":
    sys.exit(main())
