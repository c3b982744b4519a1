"""Strings whose target is known only when the plugin reads more than a literal of the calling
module: implicit concatenation (`"web" ":ap"`, also over lines), a `Final` string of another
module (`settings.APP`), a re-exported `run` (`from runner import run`), a long module path.
Each must be judged the same in every mode: cold with every file, one file alone, warm,
mypy 2's parallel mode, the daemon and the command (before, one file alone missed the first
three: mypy analysed web.py only when another file imported it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import APP, Daemon, errors, mypy_errors, mypy_uvicorn, parallel_mode, write

GUARD = 'if __name__ == "__main__":\n'
LONG, LONGER = "p" * 120, "q" * 120
FILES = {
    "mypy.ini": "[mypy]\nplugins = mypy_uvicorn\n",
    "web.py": APP,
    "a/__init__.py": "",
    "a/b/__init__.py": "",
    "a/b/c/__init__.py": "",
    "a/b/c/deep.py": APP,
    "settings.py": 'from typing import Final\nAPP: Final = "web:ap"\n',
    "runner.py": "from uvicorn import run as run\n",
    "concat.py": "import uvicorn\n" + GUARD + '    uvicorn.run("web" ":ap", reload=True)\n'
    + '    uvicorn.run(\n        "web"\n        ":ap",\n        reload=True,\n    )\n',
    "final.py": "import uvicorn\nimport settings\n" + GUARD
    + "    uvicorn.run(settings.APP, reload=True)\n",
    "reexported.py": "from runner import run\n" + GUARD + '    run("web:ap", reload=True)\n',
    "deep.py": "import uvicorn\n" + GUARD + '    uvicorn.run("a.b.c.deep:ap", reload=True)\n',
    # A module path of 241 characters (the scan read at most 200 before).
    f"{LONG}/__init__.py": "",
    f"{LONG}/{LONGER}.py": APP,
    "long.py": "import uvicorn\n" + GUARD + f'    uvicorn.run("{LONG}.{LONGER}:ap", reload=True)\n',
}  # fmt: skip
CALLERS = ("concat.py", "final.py", "reexported.py", "deep.py", "long.py")
WEB = 'Invalid import string "web:ap": module "web" has no attribute "ap"; pass "web:app"'
DEEP = (
    'Invalid import string "a.b.c.deep:ap": module "a.b.c.deep" has no attribute "ap";'
    ' pass "a.b.c.deep:app"'
)
CODE = "  [uvicorn-import-string-invalid]"
EXPECTED = sorted(
    [
        f"concat.py:3: error: {WEB}{CODE}",
        f"concat.py:4: error: {WEB}{CODE}",
        f"final.py:4: error: {WEB}{CODE}",
        f"reexported.py:3: error: {WEB}{CODE}",
        f"deep.py:3: error: {DEEP}{CODE}",
        f'long.py:3: error: Invalid import string "{LONG}.{LONGER}:ap": module'
        f' "{LONG}.{LONGER}" has no attribute "ap"; pass "{LONG}.{LONGER}:app"{CODE}',
    ]
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, FILES)
    return tmp_path


def check(project: Path, *args: str) -> list[str]:
    return mypy_errors(project, "--config-file", "mypy.ini", "--no-error-summary", *args)


def test_cold_and_warm(project: Path) -> None:
    assert check(project, "--no-incremental", *CALLERS) == EXPECTED
    assert check(project, *CALLERS) == EXPECTED
    assert check(project, *CALLERS) == EXPECTED  # warm


def test_one_file_alone_cold_and_warm(project: Path) -> None:
    for caller in CALLERS:
        alone = [line for line in EXPECTED if line.startswith(f"{caller}:")]
        assert check(project, caller) == alone, caller
        assert check(project, caller) == alone, caller  # warm


def test_parallel_mode(project: Path) -> None:
    if not parallel_mode():
        pytest.skip("parallel checking (-n N) exists from mypy 2.0 on")
    assert check(project, "--no-incremental", "-n", "2", *CALLERS) == EXPECTED
    assert check(project, "-n", "2", *CALLERS) == EXPECTED
    assert check(project, "-n", "2", *CALLERS) == EXPECTED  # warm


def test_daemon(project: Path) -> None:
    daemon = Daemon(project)
    try:
        daemon.start()
        assert daemon.check(*CALLERS) == EXPECTED
    finally:
        daemon.stop()


def test_command(project: Path) -> None:
    result = mypy_uvicorn(*CALLERS, cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    # The command prints each finding with its column.
    found = sorted(line.replace(":5: error:", ": error:", 1) for line in errors(result.stdout))
    assert found == EXPECTED


def test_warm_runs_follow_a_class_attribute_losing_its_value(tmp_path: Path) -> None:
    # "service:Service.valued" starts while the class body gives `valued` a value; with only
    # the annotation left, uvicorn cannot find it (tests/typecheck/test_class_attributes.yml).
    # The daemon does not follow this edit (README: "In which modes").
    write(
        tmp_path,
        {
            "mypy.ini": "[mypy]\nplugins = mypy_uvicorn\n",
            "service.py": APP + "class Service:\n    valued: object = app\n",
            "main.py": "import uvicorn\n" + GUARD
            + '    uvicorn.run("service:Service.valued", reload=True)\n',
        },
    )  # fmt: skip
    missing = (
        'main.py:3: error: Invalid import string "service:Service.valued": "Service" has no'
        ' attribute "valued" when uvicorn imports it: it is an attribute of the instances,'
        " which the class itself does not have  [uvicorn-import-string-invalid]"
    )
    service = tmp_path / "service.py"
    modes = [()] + ([("-n", "2")] if parallel_mode() else [])
    for mode in modes:
        assert check(tmp_path, *mode, "main.py") == [], mode
        service.write_text(service.read_text().replace("valued: object = app", "valued: object"))
        assert check(tmp_path, *mode, "main.py") == [missing], mode  # warm
        service.write_text(service.read_text().replace("valued: object", "valued: object = app"))
        assert check(tmp_path, *mode, "main.py") == [], mode
