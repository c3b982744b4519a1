"""Issue 15, point 2: under the daemon (dmypy), a finding follows an edit of anything the plugin
read to decide the call, exactly as a cold run would: a name of the same module bound to a
literal, a `Final` of another module, and the module an import string names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import APP, Daemon, starts_with

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
