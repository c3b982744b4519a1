"""Issue 15, point 2: under the daemon (dmypy), a finding follows an edit of anything the plugin
read to decide the call, exactly as a cold run would: a name of the same module bound to a
literal, a `Final` of another module, and the module an import string names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import APP, Daemon, errors, starts_with

RELOAD = 'main.py:5: error: "uvicorn.run" needs the application as an import string when "reload"'
MISSING = 'main.py:4: error: Invalid import string "web:app": module "web" has no attribute "app"'


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    (tmp_path / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    dmypy = Daemon(tmp_path)
    yield dmypy
    dmypy.stop()


def start(daemon: Daemon) -> None:
    assert "Daemon started" in daemon("start", "--", "--config-file", "mypy.ini")


def test_literal_of_the_same_module(daemon: Daemon) -> None:
    (daemon.project / "main.py").write_text(
        f"import uvicorn\n{APP}R = False\ndef serve() -> None:\n    uvicorn.run(app, reload=R)\n"
    )
    start(daemon)
    assert daemon.check() == []
    daemon.edit("main.py", "R = False", "R = True")
    assert starts_with(daemon.check(), [RELOAD])
    daemon.edit("main.py", "R = True", "R = False")
    assert daemon.check() == []


def test_literal_of_the_same_module_starting_true(daemon: Daemon) -> None:
    (daemon.project / "main.py").write_text(
        f"import uvicorn\n{APP}R = True\ndef serve() -> None:\n    uvicorn.run(app, reload=R)\n"
    )
    start(daemon)
    assert starts_with(daemon.check(), [RELOAD])
    daemon.edit("main.py", "R = True", "R = False")
    assert daemon.check() == []


def test_final_of_another_module(daemon: Daemon) -> None:
    # Passes before the fix too: mypy's own dependency on settings.RELOAD re-checks serve().
    (daemon.project / "settings.py").write_text("from typing import Final\nRELOAD: Final = False\n")
    (daemon.project / "main.py").write_text(
        f"import uvicorn\nfrom settings import RELOAD\n{APP}def serve() -> None:\n"
        "    uvicorn.run(app, reload=RELOAD)\n"
    )
    start(daemon)
    assert daemon.check() == []
    daemon.edit("settings.py", "RELOAD: Final = False", "RELOAD: Final = True")
    assert starts_with(daemon.check(), [RELOAD])
    daemon.edit("settings.py", "RELOAD: Final = True", "RELOAD: Final = False")
    assert daemon.check() == []


def test_module_an_import_string_names(daemon: Daemon) -> None:
    # Nothing in main.py refers to web.app but the string: only a plugin dependency re-checks it.
    (daemon.project / "web.py").write_text(APP)
    (daemon.project / "main.py").write_text(
        "import uvicorn\nimport web\ndef serve() -> None:\n"
        '    uvicorn.run("web:app", reload=True)\n'
    )
    start(daemon)
    assert daemon.check() == []
    daemon.edit("web.py", "def app(", "def application(")
    assert starts_with(daemon.check(), [MISSING])
    daemon.edit("web.py", "def application(", "def app(")
    assert daemon.check() == []


# Issue 22, point 6: deleting or renaming the module a string names. The daemon's update that
# then removes the standard library modules only that module imported (sqlite3 here) re-checks
# the call's module without a new round of errors; the first error reported there stopped the
# daemon ("Daemon crashed!", an AssertionError in mypy's errors module).
WEB = f"import sqlite3\nimport json\n{APP}"
AT_MODULE_LEVEL = (
    'import uvicorn\nif __name__ == "__main__":\n    uvicorn.run("web:app", reload=True)\n'
)
IN_A_FUNCTION = 'import uvicorn\ndef serve() -> None:\n    uvicorn.run("web:app", reload=True)\n'
IN_A_CONFIG = 'import uvicorn\ndef serve() -> None:\n    uvicorn.Config("web:app").load()\n'
GONE = 'main.py:3: error: Invalid import string "web:app": uvicorn cannot import module "web"'


@pytest.mark.parametrize(
    ("main", "action", "finding"),
    [
        (AT_MODULE_LEVEL, "delete", GONE + "  [uvicorn-import-string-invalid]"),
        (IN_A_CONFIG, "delete", GONE + "  [uvicorn-import-string-invalid]"),
        (IN_A_FUNCTION, "rename", GONE + '; pass "web2:app"  [uvicorn-import-string-invalid]'),
    ],
    ids=["module-level-delete", "config-delete", "function-rename"],
)
def test_the_named_module_deleted_or_renamed(
    daemon: Daemon, main: str, action: str, finding: str
) -> None:
    web = daemon.project / "web.py"
    web.write_text(WEB)
    (daemon.project / "main.py").write_text(main)
    start(daemon)
    assert daemon.check("main.py") == []
    if action == "delete":
        web.unlink()
    else:
        web.rename(daemon.project / "web2.py")
    for _ in range(2):
        output = daemon("check", "main.py")
        assert "Daemon crashed" not in output and "INTERNAL ERROR" not in output, output
        # Beside the finding, mypy's own missing-module error on the string's dependency (the
        # README's "In which modes" says so).
        assert errors(output) == sorted(
            [finding, 'main.py:3: error: Cannot find implementation or library stub for'
             ' module named "web"  [import-not-found]']
        ), output  # fmt: skip
    (daemon.project / "web2.py").unlink(missing_ok=True)
    web.write_text(WEB)
    assert daemon.check("main.py") == []
