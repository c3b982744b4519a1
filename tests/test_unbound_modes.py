"""A name of the module an import string names that moves under the `__main__` guard (or back)
changes no type mypy sees, yet uvicorn stops finding it: a warm run must follow the edit as a
cold run judges it (the calling module's cache entry keeps which names the target does not bind
at import)."""

from __future__ import annotations

from pathlib import Path

from harness import APP, mypy_errors, write

CALLER = 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("web:app", reload=True)\n'
# The same names with the same types either way: mypy sees no change of web's interface.
MAKE = APP.replace("async def app(", "async def make(")
BOUND = MAKE + "app = make\n"
GUARDED = MAKE + 'if __name__ == "__main__":\n    app = make\n'

FINDING = 'main.py:4: error: Invalid import string "web:app": module "web" has no attribute "app"'


def findings(project: Path, *args: str) -> list[str]:
    return mypy_errors(
        project, "--config-file", "mypy.ini", "--cache-dir", ".cache", *args, "main.py"
    )


def test_a_warm_run_follows_a_name_moving_under_the_main_guard(tmp_path: Path) -> None:
    write(tmp_path, {"mypy.ini": "[mypy]\nplugins = mypy_uvicorn\n", "main.py": CALLER})
    (tmp_path / "web.py").write_text(BOUND)
    assert findings(tmp_path) == []
    (tmp_path / "web.py").write_text(GUARDED)
    warm = findings(tmp_path)
    assert len(warm) == 1 and warm[0].startswith(FINDING), warm
    cold = findings(tmp_path, "--no-incremental")
    assert warm == cold
    (tmp_path / "web.py").write_text(BOUND)
    assert findings(tmp_path) == []
