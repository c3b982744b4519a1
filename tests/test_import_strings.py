"""Import-string forms, checked without mypy; every suggested string must pass the same check;
and the strings dependencies.scan reads from a module's source."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from uvicorn.importer import ImportFromStringError, import_from_string

from mypy_uvicorn.import_strings import dependencies
from mypy_uvicorn.import_strings.text import format_problem, unbound_at_import

TYPECHECK = Path(__file__).resolve().parent / "typecheck"


@pytest.mark.parametrize("target", ["main:app", "pkg.main:app", "main:api.app", "a.b.c:d.e"])
def test_valid_forms(target: str) -> None:
    assert format_problem(target) is None


@pytest.mark.parametrize(
    ("target", "fix"),
    [
        ("main", None),
        ("main:", None),
        (":app", None),
        ("main.py:app", "main:app"),
        ("src/main.py:app", None),
        ("main:create_app()", "main:create_app"),
        (" main:app", "main:app"),
        ("main:app\n", "main:app"),
        ("my-app:app", None),
        ("main:app.", None),
        ("main:1app", None),
    ],
)
def test_invalid_forms_and_fixes(target: str, fix: str | None) -> None:
    problem = format_problem(target)
    assert problem is not None
    assert problem.fix == fix
    if problem.fix is not None:
        assert format_problem(problem.fix) is None


# What dependencies.scan reads from a module's source: each quoted text on one line with a ":"
# that has 1 to 200 characters on each side (none on the left), where an application string may
# stand (after "(", "=", "if" or "else", or first on its line; not before a ":"), read as
# uvicorn would (format_problem).
RUN = "import uvicorn\n"


@pytest.mark.parametrize(
    ("text", "modules"),
    [
        (RUN + 'uvicorn.run("pkg.main:app", reload=True)\n', [("pkg.main", 2)]),
        (RUN + "\n\nuvicorn.run('main.py:app')", [("main", 4)]),  # read as its evident fix
        (RUN + 'uvicorn.run("src/main.py:app")', []),  # a path: no module name can be derived
        (RUN + 'scopes = {"read:items": "r", "users:me": "m"}\nuvicorn.run("m:app")', [("m", 3)]),
        (RUN + 'scopes = {\n    "read:items": "Read items.",\n}', []),  # a key on its own line
        (RUN + 'x = {"a": "b:c"}\nf(1, "d:e")', []),  # a value, a later argument
        (RUN + 'APP = "a:b"\nuvicorn.run(APP)', [("a", 2)]),  # a name bound to it
        (RUN + 'APP: Final = "a:b"', [("a", 2)]),
        (RUN + 'uvicorn.run("a:b" if x else "c:d", reload=x)', [("a", 2), ("c", 2)]),
        (RUN + 'uvicorn.Config(app="cfg:app")', [("cfg", 2)]),
        (RUN + 'uvicorn.run(\n    "own:line",\n)', [("own", 3)]),
        (RUN + 'if x == "a:b": pass', []),  # a comparison
        ('"' + "a" * 201 + ':b"', [("a" * 201, 1)]),  # a long module name: any length
        ('"' + "a/" * 101 + ':b"', []),  # no module name, and beyond the 200 of a malformed one
        ('"a:b\nc"', []),  # one line only
        (RUN + 'uvicorn.run("web" ":app")', [("web", 2)]),  # implicit concatenation
        (RUN + 'uvicorn.run(\n    "pkg.web"\n    ":app",\n)', [("pkg.web", 3)]),  # over lines
        (RUN + 'x = {"a" ":b": 1}', []),  # a dict key, concatenated
    ],
)
def test_scan_reads_strings_where_an_application_stands(
    text: str, modules: list[tuple[str, int]]
) -> None:
    assert dependencies.scan(text) == modules


# Module sources and whether uvicorn finds "app" in them: unbound_at_import must name "app"
# exactly when uvicorn's own importer fails (each source is loaded by uvicorn below).
UNBOUND_SOURCES = {
    "main_guard": 'if __name__ == "__main__":\n    app = make\n',
    "main_guard_reversed": 'if "__main__" == __name__:\n    app = make\n',
    "main_guard_in": 'if __name__ in ("__main__",):\n    app = make\n',
    "main_guard_and": 'import os\nif __name__ == "__main__" and os.sep:\n    app = make\n',
    "not_main_else": 'if __name__ != "__main__":\n    pass\nelse:\n    app = make\n',
    "type_checking": "import typing\nif typing.TYPE_CHECKING:\n    app = make\n",
    "not_type_checking": (
        "from typing import TYPE_CHECKING\nif not TYPE_CHECKING:\n    app = make\n"
    ),
    "annotated": "app: object\n",
    "deleted": "app = make\ndel app\n",
    "deleted_then_bound": "app = make\ndel app\napp = make\n",
    "bound_in_try": "try:\n    app = make\nexcept ImportError:\n    pass\n",
    "bound_in_for": "for app in [make]:\n    pass\n",
    "bound_by_import": "from os import sep as app\n",
    "guard_or": 'import os\nif __name__ == "__main__" or os.sep:\n    app = make\n',
    "global_in_function": "def bind():\n    global app\n    app = make\nbind()\n",
    "globals_call": 'globals()["app"] = make\n',
}


@pytest.mark.parametrize("name", sorted(UNBOUND_SOURCES))
def test_unbound_at_import_agrees_with_uvicorn(tmp_path: Path, name: str) -> None:
    module = f"unbound_{name}"
    path = tmp_path / f"{module}.py"
    path.write_text("def make() -> None: ...\n" + UNBOUND_SOURCES[name])
    sys.path.insert(0, str(tmp_path))
    try:
        import_from_string(f"{module}:app")
        uvicorn_fails = False
    except ImportFromStringError:
        uvicorn_fails = True
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(module, None)
    assert ("app" in unbound_at_import(str(path))) is uvicorn_fails


def test_class_attribute_cases_agree_with_uvicorn(tmp_path: Path) -> None:
    """Each string of tests/typecheck/test_class_attributes.yml, loaded by uvicorn's importer
    from the case's module: an "Invalid import string" error where uvicorn cannot import it, a
    "not callable" error where it loads something it cannot call, no error where it loads an
    application (or a descriptor that the case says is not judged)."""
    (case,) = yaml.safe_load((TYPECHECK / "test_class_attributes.yml").read_text())
    (module,) = case["files"]
    (tmp_path / module["path"]).write_text(module["content"])
    lines = [line for line in case["main"].splitlines() if "uvicorn.run(" in line]
    assert len(lines) == 14
    sys.path.insert(0, str(tmp_path))
    try:
        for line in lines:
            string = line.split('"')[1]
            try:
                loaded = import_from_string(string)
            except ImportFromStringError:
                assert "# E: Invalid import string" in line, line
                continue
            if "not callable" in line:
                assert not callable(loaded), line
            else:
                assert "# E:" not in line, line
                descriptor = "Slotted" in string or "Fields" in string
                assert callable(loaded) is not descriptor, line
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("service", None)


def test_a_module_level_call_before_its_application_exits(tmp_path: Path) -> None:
    """The shape of tests/typecheck/test_unbound_at_import.yml's module-level call, started as
    `python early.py`: uvicorn imports "early", which runs the call again before "app" is bound."""
    early = tmp_path / "early.py"
    early.write_text(
        'import uvicorn\nuvicorn.run("early:app", port=0)\n'
        "async def app(scope: object, receive: object, send: object) -> None: ...\n"
    )
    started = subprocess.run(
        [sys.executable, str(early)], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    status = 3 if tuple(map(int, version("uvicorn").split(".")[:2])) >= (0, 50) else 1
    assert started.returncode == status, started.stderr
    # Older releases (0.30) load the application inside the running event loop: the call run
    # again stops there first, as asyncio.run() cannot start in a running loop.
    assert (
        'Attribute "app" not found in module "early"' in started.stderr
        or "cannot be called from a running event loop" in started.stderr
    ), started.stderr
