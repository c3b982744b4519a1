from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command of the test environment (its Python's bin directory first on PATH)."""
    full_env = {**os.environ, **(env or {})}
    full_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), full_env.get("PATH", "")])
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
    )


APP = "async def app(scope: object, receive: object, send: object) -> None: ...\n"


def write(root: Path, files: dict[str, str]) -> None:
    """Write a small program: {relative path: text}, making folders as needed."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty directory to write a small checked program into."""
    return tmp_path
