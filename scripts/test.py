"""Run the test suite the way a user meets the package: built as a wheel, installed in a venv.

    python3 scripts/test.py [pytest arguments...]

Creates .venv-test-pyX.Y beside this repository (X.Y: the Python running this script), installs
the pinned test tools and this project as a built wheel (an editable install would not put
`uvicorn-stubs` into site-packages, and every type checker would then silently skip the stubs),
and runs pytest. The exit status is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Optional: test against another mypy or uvicorn release (CI runs the oldest supported ones).
MYPY = os.environ.get("MYPY_UVICORN_TEST_MYPY", "")
UVICORN = os.environ.get("MYPY_UVICORN_TEST_UVICORN", "")
PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
SUFFIX = (f"-mypy{MYPY}" if MYPY else "") + (f"-uvicorn{UVICORN}" if UVICORN else "")
VENV = ROOT / f".venv-test-py{PY}{SUFFIX}"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def sh(*args: str | Path, **env: str) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env={**os.environ, **env})


def main() -> int:
    if sys.version_info < (3, 10):  # noqa: UP036 -- this script may be started by any python3
        sys.exit("mypy-uvicorn needs Python 3.10 or newer")
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    python = BIN / "python"
    sh(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    with tempfile.TemporaryDirectory() as wheels:
        # Build the wheel once, from the current sources; reinstall it every time (its version
        # may be the one already installed) so that the tests see the current sources.
        sh(python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ".")
        (wheel,) = Path(wheels).glob("*.whl")
        sh(python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", wheel)
        sh(python, "-m", "pip", "install", "--quiet", f"{wheel}[test]")
    if MYPY:
        sh(python, "-m", "pip", "install", "--quiet", f"mypy=={MYPY}")
    if UVICORN:
        sh(python, "-m", "pip", "install", "--quiet", f"uvicorn=={UVICORN}")
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    print("+ pytest", *sys.argv[1:], flush=True)
    # The pytest script, not `python -m pytest`: that would put the repository first on sys.path
    # and the tests would import the sources instead of the installed wheel.
    return subprocess.run([BIN / "pytest", *sys.argv[1:]], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
