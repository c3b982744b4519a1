"""The one way the tests start mypy, dmypy and the `mypy-uvicorn` command, and read their output.

Every run is a subprocess of the test environment (`run`): the tests check the installed wheel as
a user's mypy meets it. The helpers differ only where the tests need them to: which stream's lines
count (`errors` takes the text), whether an exit status other than 0 or 1 fails the test at once
(`mypy_errors`), and whether the command is its console script or `python -m mypy_uvicorn`.

A run with a mypy cache that does not exist yet starts from a copy of a template cache that holds
the standard library and uvicorn, made once per test process (`_seeded`): what each test's own
modules are (cold, warm) is unchanged, and a cold run costs a fraction of the standard library's
analysis. A run whose options differ from the template's re-checks what they affect, as mypy
always does.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "async def app(scope: object, receive: object, send: object) -> None: ...\n"
# The console script: `python -m mypy_uvicorn` in the repository would import the sources.
COMMAND = Path(sys.executable).parent / "mypy-uvicorn"

Result = subprocess.CompletedProcess[str]


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    """Run a command of the test environment (its Python's bin directory first on PATH)."""
    full_env = {**os.environ, **(env or {})}
    full_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), full_env.get("PATH", "")])
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
    )


def write(root: Path, files: dict[str, str]) -> None:
    """Write a small program: {relative path: text}, making folders as needed."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def stdout_stderr(result: Result) -> str:
    """Both streams, stdout first."""
    return result.stdout + result.stderr


def errors(text: str) -> list[str]:
    """The error lines of mypy's output, sorted."""
    return sorted(line for line in text.splitlines() if ": error: " in line)


def starts_with(lines: list[str], prefixes: list[str]) -> bool:
    """Each line starts with its prefix (both sorted), and there are as many of each."""
    return len(lines) == len(prefixes) and all(
        line.startswith(prefix) for line, prefix in zip(lines, sorted(prefixes), strict=True)
    )


def mypy(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    """`python -m mypy ARGS` in `cwd`."""
    shown = [str(arg) for arg in args]
    if cwd != ROOT and "--cache-dir" not in shown and "--no-incremental" not in shown:
        _seeded(cwd / ".mypy_cache", "mypy")
    return run(sys.executable, "-m", "mypy", *args, cwd=cwd, env=env)


def mypy_errors(cwd: Path, *args: str | Path) -> list[str]:
    """mypy's error lines (stdout), sorted; any exit status but 0 or 1 fails the test."""
    result = mypy(*args, cwd=cwd)
    assert result.returncode in (0, 1), stdout_stderr(result)
    return errors(result.stdout)


def mypy_uvicorn(
    *args: str | Path, cwd: Path = ROOT, cache: Path | None = None, console_script: bool = False
) -> Result:
    """The command, as `python -m mypy_uvicorn` or as its console script; `cache`: --cache-dir."""
    command = [COMMAND] if console_script else [sys.executable, "-m", "mypy_uvicorn"]
    cache_args = ["--cache-dir", str(cache)] if cache else []
    if cache is not None:
        _seeded(cache, "command")
    elif cwd != ROOT:
        _seeded(cwd / ".mypy_cache" / "mypy-uvicorn", "command")
    return run(*command, *cache_args, *args, cwd=cwd)


def _seeded(cache: Path, kind: str) -> None:
    """A cache that does not exist yet (or is an empty folder) starts as a copy of the template
    for `kind`."""
    if not cache.exists() or (cache.is_dir() and not any(cache.iterdir())):
        shutil.copytree(_template(kind), cache, dirs_exist_ok=True)


@functools.cache
def _template(kind: str) -> Path:
    """A mypy cache of a program that imports uvicorn: "mypy" (plain mypy with the plugin, as
    tests/mypy.ini configures it) or "command" (the command's own options)."""
    folder = Path(tempfile.mkdtemp(prefix=f"mypy-uvicorn-template-{kind}-"))
    (folder / "seed_template.py").write_text(
        "import uvicorn\n" + APP + 'uvicorn.run("seed_template:app")\n'
    )
    cache = folder / "cache"
    if kind == "mypy":
        (folder / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
        command = [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "seed_template.py"]
    else:
        command = [sys.executable, "-m", "mypy_uvicorn", "--cache-dir", str(cache), "."]
    result = run(*command, cwd=folder)
    assert result.returncode == 0 and cache.is_dir(), stdout_stderr(result)
    return cache


def parallel_mode() -> bool:
    """This mypy has the parallel mode (`-n N`)."""
    return "--num-workers" in mypy("--help").stdout


class Daemon:
    """dmypy in one project directory, with its own status file there."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.status_file = str(project / ".dmypy.json")

    def __call__(self, *args: str) -> str:
        """`dmypy ARGS`: both streams."""
        result = run(sys.executable, "-m", "mypy.dmypy", "--status-file", self.status_file, *args,
                     cwd=self.project)  # fmt: skip
        return stdout_stderr(result)

    def start(self, config_file: str = "mypy.ini") -> str:
        return self("start", "--", "--config-file", config_file)

    def check(self, *files: str) -> list[str]:
        """The error lines of `dmypy check FILES` (none given: every module of the project's
        top folder), sorted."""
        every = sorted(str(p.relative_to(self.project)) for p in self.project.glob("*.py"))
        return errors(self("check", *(files or every)))

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace `old`, which must be there, by `new` in the project's file `name`."""
        path = self.project / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    def stop(self) -> str:
        return self("stop")
