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
