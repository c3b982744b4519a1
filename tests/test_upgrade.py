"""An upgrade of mypy-uvicorn invalidates a warm mypy cache.

mypy stamps its cache with a fingerprint of each plugin's entry module (the version and the hash
of `mypy_uvicorn/__init__.py`) and re-checks everything when it changes; the rules live in other
modules. Two wheels of this project with different versions, the second with an edited message,
are installed in turn and checked with one cache: the second run must re-check every module and
show the new message.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from harness import ROOT, run, stdout_stderr
from harness import mypy as run_mypy

PROGRAM = (
    "import uvicorn\n"
    "async def app(scope: object, receive: object, send: object) -> None: ...\n"
    "uvicorn.run(app, reload=True)\n"
)
PHRASE = "needs the application as an import string"
EDITED = "needs an import string (edited in the new release)"
# What the wheel is built from (pyproject.toml's [tool.hatch.build] and its readme and licence).
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "mypy_uvicorn", "stubs")


def set_version(tree: Path, version: str) -> None:
    """Write the release number where this project declares it."""
    written = 0
    for path in (tree / "pyproject.toml", tree / "mypy_uvicorn" / "__init__.py"):
        text, count = re.subn(
            r'(?m)^(version|__version__) = "[^"]*"$', rf'\1 = "{version}"', path.read_text()
        )
        path.write_text(text)
        written += count
    assert written, "no version declaration found"


def release(tmp_path: Path, name: str, version: str, *, edit: bool) -> Path:
    """Build and install (into a directory of its own) a wheel of this project at `version`."""
    tree = tmp_path / f"src-{name}"
    tree.mkdir()
    for source in SOURCES:
        copy = shutil.copytree if (ROOT / source).is_dir() else shutil.copy
        copy(ROOT / source, tree / source)
    set_version(tree, version)
    if edit:
        edited = 0
        for module in (tree / "mypy_uvicorn").glob("*.py"):
            text = module.read_text()
            edited += text.count(PHRASE)
            module.write_text(text.replace(PHRASE, EDITED))
        assert edited, f"{PHRASE!r} is in no module of mypy_uvicorn"
    target = tmp_path / f"site-{name}"
    result = run(
        sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--target", target, tree,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The wheel carries the version it was given.
    assert (target / f"mypy_uvicorn-{version}.dist-info").is_dir(), sorted(target.iterdir())
    return target


def mypy(project: Path, site: Path, cache: Path) -> str:
    result = run_mypy(
        "--verbose", "--cache-dir", cache, "main.py", "clean.py",
        cwd=project, env={"PYTHONPATH": str(site)},
    )  # fmt: skip
    assert result.returncode == 1, stdout_stderr(result)
    return stdout_stderr(result)


def test_an_upgrade_rechecks_with_a_warm_cache(tmp_path: Path) -> None:
    old = release(tmp_path, "old", "0.1.0", edit=False)
    same_version = release(tmp_path, "same-version", "0.1.0", edit=True)
    new = release(tmp_path, "new", "0.1.1", edit=True)
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text(PROGRAM)
    # Where a stale cache hides a new release on every mypy: older ones (1.15 among them) keep no
    # cache for a module with errors, so only a module without findings shows what is re-checked.
    (project / "clean.py").write_text("import uvicorn\n")
    (project / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    cache = tmp_path / "cache"

    assert PHRASE in mypy(project, old, cache)
    # The control: for the same version the cache answers (a new message alone changes nothing
    # mypy fingerprints), so the re-check below is the version's doing.
    assert "Metadata fresh for clean: file clean.py" in mypy(project, same_version, cache)
    out = mypy(project, new, cache)
    about_clean = [line for line in out.splitlines() if "for clean" in line]
    assert "LOG:  Metadata abandoned for clean: plugins differ" in about_clean, about_clean
    assert EDITED in out and PHRASE not in out, [
        line for line in out.splitlines() if "main" in line
    ]
