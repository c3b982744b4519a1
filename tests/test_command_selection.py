"""Which of mypy's own errors the command reports: an error at a uvicorn call's argument counts
only when it is about the uvicorn call, not about another call written as that argument."""

from __future__ import annotations

from pathlib import Path

from harness import APP, mypy_uvicorn, write

PROGRAM = (
    "from typing import Any, Callable\nimport uvicorn\n" + APP
    + "def make() -> Callable[..., Any]:\n    return app\n"
    + "def main() -> None:\n"
    + "    uvicorn.run(make(1))\n"  # line 7: mypy's `Too many arguments for "make"`
    + '    uvicorn.run(app, port="8000")\n'  # line 8: mypy's own error on the uvicorn call
)  # fmt: skip


def test_an_error_of_another_call_in_an_argument_is_not_a_finding(tmp_path: Path) -> None:
    write(tmp_path, {"svc.py": PROGRAM})
    result = mypy_uvicorn("svc.py", "--cache-dir", str(tmp_path / ".cache"), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": error: ")[0] for line in lines if ": error: " in line] == ["svc.py:8:5"]
    assert "make" not in result.stdout


def test_directory_mode_finds_calls_through_a_re_exported_run(tmp_path: Path) -> None:
    # Issue 21, point 3: without a configuration the command checked only the modules that
    # import uvicorn, so `from runner import run` (runner.py re-exports it) was never judged.
    guard = 'if __name__ == "__main__":\n'
    write(
        tmp_path,
        {
            "runner.py": 'from uvicorn import Config, run\n\n__all__ = ["Config", "run"]\n',
            "main.py": "from runner import run\n" + APP + guard + "    run(app, reload=True)\n",
            "pkg/__init__.py": "",
            "pkg/launch.py": "from uvicorn import run as run\n",
            "pkg/serve.py": "from pkg.launch import run\n" + APP + guard
            + "    run(app, workers=2)\n",
            "other.py": "from asyncio import run\nrun\n",
        },
    )  # fmt: skip
    result = mypy_uvicorn(".", "--cache-dir", str(tmp_path / ".cache"), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    located = [
        line.split(": error: ")[0] for line in result.stdout.splitlines() if ": error: " in line
    ]
    assert located == ["main.py:4:5", "pkg/serve.py:4:5"], result.stdout
