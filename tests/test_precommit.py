"""The pre-commit hook of .pre-commit-hooks.yaml, installed by pre-commit itself from a commit of
this working tree (pre-commit installs hook repositories at a revision), with the package index
for the hook's environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from harness import ROOT

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com"]
APP = (
    "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n"
    'if __name__ == "__main__":\n    uvicorn.run("main:app", reload=True)\n'
)
# The seed's example (examples/main.py) with a tiny ASGI application in place of FastAPI: the
# hook's environment gets uvicorn alone (installing the framework is most of a hook's set-up).
SEED = (
    "import uvicorn\n\n\nasync def app(scope, receive, send):\n    pass\n\n\n"
    "def main():\n"
    '    uvicorn.run(app, host="0.0.0.0", port=8000, reload=True)  # Noncompliant\n'
)


def sh(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Iterator[str]:
    """A git repository holding this working tree as one commit; yields its path."""
    clone = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run([*GIT, *command], cwd=clone, check=True, env=env)
    yield str(clone)


def project(root: Path, files: dict[str, str], env: dict[str, str]) -> Path:
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    sh(*GIT, "init", "-q", cwd=root, env=env)
    sh(*GIT, "add", "-A", cwd=root, env=env)
    return root


def test_manifest_is_valid() -> None:
    result = subprocess.run(
        [PRE_COMMIT, "validate-manifest", ROOT / ".pre-commit-hooks.yaml"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_with_the_dependencies(tmp_path: Path, hook_repo: str, env: dict[str, str]) -> None:
    config = _config(hook_repo, "mypy-uvicorn", env)
    files = {
        ".pre-commit-config.yaml": config,
        "pyproject.toml": '[tool.mypy]\nfiles = ["."]\n',
        "main.py": APP,
    }
    root = project(tmp_path / "tiny", files, env)
    # fastapi is not in the hook's environment: no call depends on it (the string names the
    # module, which is there), so the hook checks and passes.
    clean = sh(PRE_COMMIT, "run", "--all-files", cwd=root, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "mypy-uvicorn" in clean.stdout and "Passed" in clean.stdout
    # The seed's example: the application object with reload=True, in a function without
    # annotations.
    (root / "main.py").write_text(SEED)
    sh(*GIT, "add", "-A", cwd=root, env=env)
    seed = sh(PRE_COMMIT, "run", "--all-files", cwd=root, env=env)
    assert seed.returncode == 1, seed.stdout + seed.stderr
    assert "Failed" in seed.stdout
    assert (
        'main.py:9:5: error: "uvicorn.run" needs the application as an import string when'
        ' "reload" is enabled; pass "main:app"  [uvicorn-import-string]'
    ) in seed.stdout.splitlines()
    # Issue 21, point 1: the application comes from a module whose framework the hook's
    # environment lacks. Before: "Passed" (the application was Any); now the call fails as
    # not checked, naming the module to add.
    (root / "web.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    (root / "main.py").write_text(
        'import uvicorn\nfrom web import app\n\nif __name__ == "__main__":\n'
        "    uvicorn.run(app, reload=True)\n"
    )
    sh(*GIT, "add", "-A", cwd=root, env=env)
    unchecked = sh(PRE_COMMIT, "run", "--all-files", cwd=root, env=env)
    assert unchecked.returncode == 1, unchecked.stdout + unchecked.stderr
    (line,) = [line for line in unchecked.stdout.splitlines() if "main.py:5:5" in line]
    assert line.endswith("[uvicorn-unchecked]") and 'module "fastapi"' in line, line
    assert "additional_dependencies" in line, line


def _config(hook_repo: str, hook: str, env: dict[str, str]) -> str:
    rev = sh("git", "rev-parse", "HEAD", cwd=Path(hook_repo), env=env).stdout.strip()
    dependencies = [f"uvicorn=={metadata.version('uvicorn')}"]
    return (
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
        f"      - id: {hook}\n        additional_dependencies: {dependencies}\n"
    )


def test_try_repo_without_the_dependencies(
    tmp_path: Path, hook_repo: str, env: dict[str, str]
) -> None:
    # `pre-commit try-repo` installs the hook alone: uvicorn is not there, and the hook says
    # so instead of passing.
    files = {"pyproject.toml": '[tool.mypy]\nfiles = ["."]\n'}
    files["main.py"] = (ROOT / "examples" / "main.py").read_text()
    root = project(tmp_path / "seed", files, env)
    result = sh(PRE_COMMIT, "try-repo", hook_repo, "mypy-uvicorn", "--all-files", cwd=root, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "mypy-uvicorn: error: uvicorn is not installed in " in result.stdout
    assert "additional_dependencies" in result.stdout


def test_fix_hook_writes_the_string_and_fails(
    tmp_path: Path, hook_repo: str, env: dict[str, str]
) -> None:
    # The second hook id: it writes the import string, and pre-commit fails the hook because a
    # file changed; the next run, on the fixed file, passes.
    files = {
        ".pre-commit-config.yaml": _config(hook_repo, "mypy-uvicorn-fix", env),
        "pyproject.toml": '[tool.mypy]\nfiles = ["."]\n',
        "main.py": SEED,
    }
    root = project(tmp_path / "fix", files, env)
    first = sh(PRE_COMMIT, "run", "--all-files", cwd=root, env=env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (
        'uvicorn.run("main:app", host="0.0.0.0", port=8000, reload=True)'
        in (root / "main.py").read_text()
    )
    sh(*GIT, "add", "-A", cwd=root, env=env)
    second = sh(PRE_COMMIT, "run", "--all-files", cwd=root, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
