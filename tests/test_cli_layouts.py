"""`mypy-uvicorn` on real repository layouts: without a mypy configuration (each module that
calls uvicorn, named from its own root), and with one (the configuration decides)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from harness import APP, mypy_uvicorn, write

WRONG = "import uvicorn\nfrom app import app\ndef main():\n    uvicorn.run(app, reload=True)\n"
RIGHT = 'import uvicorn\ndef main():\n    uvicorn.run("main:app", reload=True)\n'


# The tests of this file run on one worker (tests/conftest.py): `cache` stays warm.
@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-uvicorn-cache")


def findings(
    cwd: Path, cache: Path, *args: str
) -> tuple[subprocess.CompletedProcess[str], list[tuple[str, int, str]]]:
    result = mypy_uvicorn("--output-format", "json", *args, cwd=cwd, cache=cache)
    found = [json.loads(line) for line in result.stdout.splitlines()]
    return result, [(f["file"], f["line"], f["code"]) for f in found]


def test_monorepo_without_configuration(tmp_path: Path, cache: Path) -> None:
    # What stops plain mypy on the whole tree: two services with the same module names and no
    # __init__.py, a folder name that is no package name, a types.py beside a caller, a syntax
    # error in a file that has nothing to do with uvicorn, a stale copy under build/.
    write(
        tmp_path,
        {
            "services/orders/main.py": WRONG,
            "services/orders/app.py": APP,
            "services/users/main.py": RIGHT.replace("main:app", "app:app"),
            "services/users/app.py": APP,
            "my-service/main.py": WRONG,
            "my-service/app.py": APP,
            "my-service/types.py": "Kind = int\n",
            "scripts/broken.py": "def (:\n",
            "build/lib/main.py": WRONG,
        },
    )
    result, found = findings(tmp_path, cache, ".")
    assert result.returncode == 1, result.stderr
    assert found == [
        ("my-service/main.py", 4, "uvicorn-import-string"),
        ("services/orders/main.py", 4, "uvicorn-import-string"),
    ]
    message = json.loads(result.stdout.splitlines()[0])["message"]
    assert message.endswith('pass "app:app"')  # named from its own root, as uvicorn imports it


def test_blocking_error_without_configuration(tmp_path: Path, cache: Path) -> None:
    # A module that the caller imports does not parse: mypy stops there, after errors that
    # are not this command's business; only the blocking error is shown.
    missing = "".join(f"import not_installed_{n}  # type: ignore\n" for n in range(20))
    write(tmp_path, {"svc/main.py": "import helpers\n" + RIGHT, "svc/helpers.py": "def (:\n"})
    write(tmp_path, {"svc/other.py": missing})
    result, _ = findings(tmp_path, cache, "svc")
    lines = result.stderr.splitlines()
    assert (result.returncode, result.stdout) == (2, "")
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("svc/helpers.py:1:") and ": error: " in lines[0]
    assert lines[1].startswith("mypy-uvicorn: error: mypy stopped on this error")


def test_blocked_run_advice_names_what_works_there(tmp_path: Path, cache: Path) -> None:
    # The advice after a blocking error, for each kind of file, and the advice followed: the
    # check then runs. A file the command found in the folder (it calls uvicorn and does not
    # parse): leave it out, with `-- --exclude REGEX` also without a configuration. A module
    # that a checked module imports: `exclude` would not help; follow_imports = skip does.
    write(
        tmp_path,
        {
            "svc/main.py": WRONG,
            "svc/app.py": APP,
            "svc/scratch.py": "import uvicorn\nuvicorn.run(x y)\n",
        },
    )
    result, _ = findings(tmp_path, cache, "svc")
    advice = result.stderr.splitlines()[-1]
    assert result.returncode == 2
    assert "mypy-uvicorn FOLDER -- --exclude REGEX" in advice and "follow_imports" not in advice
    result, found = findings(tmp_path, cache, "svc", "--", "--exclude", "scratch")
    assert (result.returncode, found) == (1, [("svc/main.py", 4, "uvicorn-import-string")])
    # Imported: app.py does not parse.
    write(tmp_path, {"svc/app.py": APP + "def (:\n"})
    result, _ = findings(tmp_path, cache, "svc", "--", "--exclude", "scratch|app")
    advice = result.stderr.splitlines()[-1]
    assert result.returncode == 2
    assert "`exclude` its file and set [mypy-app] follow_imports = skip" in advice
    assert "--exclude" not in advice
    config = "[mypy]\nexclude = (scratch|app)\\.py\n[mypy-app]\nfollow_imports = skip\n"
    write(tmp_path, {"svc/mypy.ini": config})
    result, found = findings(tmp_path / "svc", cache, ".")
    # The application is then of a module mypy does not read: the call is reported not
    # checked (uvicorn-unchecked), as the advice says.
    assert (result.returncode, found) == (1, [("main.py", 4, "uvicorn-unchecked")]), result.stderr
    assert "uvicorn-unchecked" in advice


def test_src_layout_with_mypy_path_and_files(tmp_path: Path, cache: Path) -> None:
    # A namespace package under src/: found through mypy_path and explicit_package_bases only.
    # No path given: `files` says what to check.
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.mypy]\nfiles = ["src"]\nmypy_path = "src"\n'
            "explicit_package_bases = true\n",
            "src/shop/app.py": APP,
            "src/shop/serve.py": "import uvicorn\nfrom shop.app import app\ndef main():\n"
            "    uvicorn.run(app, reload=True)\n"
            '    uvicorn.run("shop.app:app", reload=True)\n'
            '    uvicorn.run("shop.mian:app", reload=True)\n',
        },
    )
    result, found = findings(tmp_path, cache)
    assert result.returncode == 1, result.stderr
    assert found == [
        ("src/shop/serve.py", 4, "uvicorn-import-string"),
        ("src/shop/serve.py", 6, "uvicorn-import-string-invalid"),
    ]
    messages = [json.loads(line)["message"] for line in result.stdout.splitlines()]
    assert messages[0].endswith('pass "shop.app:app"')
    assert messages[1].endswith('pass "shop.app:app"')


def test_exclude_keeps_a_stale_copy_out(tmp_path: Path, cache: Path) -> None:
    files = {"svc.py": "import uvicorn\n" + APP + "def main():\n    uvicorn.run(app, workers=2)\n"}
    files["build/lib/svc.py"] = files["svc.py"]
    files["mypy.ini"] = "[mypy]\nexclude = ^build/\n"
    write(tmp_path, files)
    result, found = findings(tmp_path, cache, ".")
    assert result.returncode == 1, result.stderr
    assert found == [("svc.py", 4, "uvicorn-import-string")]
    # The configuration decides: without its exclude, mypy stops on the two copies, and
    # mypy's flags after `--` are the way to leave one out from the command line.
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    stopped, _ = findings(tmp_path, cache, ".")
    assert stopped.returncode == 2
    assert 'Duplicate module named "svc"' in stopped.stderr
    excluded, found = findings(tmp_path, cache, ".", "--", "--exclude", "^build/")
    assert excluded.returncode == 1, excluded.stderr
    assert found == [("svc.py", 4, "uvicorn-import-string")]


def test_a_user_plugin_beside_this_one(tmp_path: Path, cache: Path) -> None:
    # The user's plugin gives `load_app()` its real type; without it the app would be Any and
    # nothing could be reported.
    write(
        tmp_path,
        {
            "setup.cfg": "[mypy]\nplugins = loader_plugin.py\n",
            "loader_plugin.py": "from mypy.plugin import Plugin\n"
            "class LoaderPlugin(Plugin):\n"
            "    def get_function_hook(self, fullname):\n"
            "        if fullname == 'svc.load_app':\n"
            "            return lambda ctx: ctx.api.named_generic_type('svc.App', [])\n"
            "        return None\n"
            "def plugin(version):\n"
            "    return LoaderPlugin\n",
            "svc.py": "from typing import Any\nimport uvicorn\n"
            "class App:\n"
            "    async def __call__(self, scope: object, receive: object, send: object) -> None:"
            " ...\n"
            "def load_app() -> Any: ...\n"
            "def main():\n    uvicorn.run(load_app(), reload=True)\n",
        },
    )
    result, found = findings(tmp_path, cache, "svc.py")
    assert result.returncode == 1, result.stderr
    assert found == [("svc.py", 7, "uvicorn-import-string")]


def test_a_warm_run_beside_a_types_py_keeps_the_cross_module_finding(tmp_path: Path) -> None:
    # Issue 21, point 2: a `types.py` beside the caller makes the command build in a folder of
    # links; a new one each run made the second run lose the finding on "web:ap". (The console
    # script: `python -m` would put the folder, and its types.py, first on its own sys.path.)
    write(
        tmp_path,
        {
            "types.py": "X = 1\n",
            "web.py": APP,
            "main.py": 'import uvicorn\nif __name__ == "__main__":\n'
            '    uvicorn.run("web:ap", reload=True)\n',
        },
    )
    cache = tmp_path / ".cache"
    runs = [mypy_uvicorn(".", cwd=tmp_path, cache=cache, console_script=True) for _ in range(2)]
    for result in runs:
        assert result.returncode == 1, result.stdout + result.stderr
        assert 'main.py:3:5: error: Invalid import string "web:ap"' in result.stdout, result.stdout
    (tmp_path / "web.py").write_text(APP + APP.replace("def app(", "def ap("))
    followed = mypy_uvicorn(".", cwd=tmp_path, cache=cache, console_script=True)
    assert (followed.returncode, followed.stdout) == (0, "Success: no uvicorn findings\n")


def test_an_unannotated_factory_of_another_module_cold_and_warm(tmp_path: Path) -> None:
    # Issue 21, point 6: `app = create_app()` with `def create_app(): return App()` in another
    # module. A warm run reads that module from mypy's cache, without the function's
    # statements: its source is read, so both runs agree (before: no finding in either).
    write(
        tmp_path,
        {
            "backend/__init__.py": "",
            "backend/app.py": "class App:\n    async def __call__(self, scope, receive, send):"
            " ...\ndef make(cls):\n    return cls()\ndef create_app():\n    return App()\n",
            "main.py": "import uvicorn\nfrom backend.app import create_app\napp = create_app()\n"
            'if __name__ == "__main__":\n    uvicorn.run(app, reload=True)\n',
            "mypy.ini": "[mypy]\nfiles = main.py, backend\n",
        },
    )
    for _ in ("cold", "warm"):
        result, found = findings(tmp_path, tmp_path / "cache")
        assert (result.returncode, found) == (1, [("main.py", 5, "uvicorn-import-string")])
        assert result.stdout.count('pass \\"main:app\\"') == 1, result.stdout
    # An edit of the function's body alone leaves backend.app's interface as it was: the warm
    # run follows it all the same (before: main.py's cached finding stayed, and came back wrong
    # the other way), and the run after it, with nothing edited, keeps main.py's cache entry.
    factory = tmp_path / "backend" / "app.py"
    factory.write_text(factory.read_text().replace("return App()", "return make(App)"))
    for _ in ("edited", "unchanged"):
        result, found = findings(tmp_path, tmp_path / "cache")
        assert (result.returncode, found) == (0, []), result.stdout + result.stderr
    factory.write_text(factory.read_text().replace("return make(App)", "return App()"))
    result, found = findings(tmp_path, tmp_path / "cache")
    assert (result.returncode, found) == (1, [("main.py", 5, "uvicorn-import-string")])


def test_a_factory_read_from_a_function_follows_edits_of_its_files_warm(tmp_path: Path) -> None:
    # The common shape: the call in `def main()`. mypy 2 writes main.py's cache entry before it
    # checks function bodies, so the files that decided the factory are noted as the call is
    # read (factory_files.py). The factory's body and the returned class's module (a third
    # module) are edited in turn; each warm run must agree with a cold one (before: the cached
    # finding stayed, and a finding once gone did not come back).
    write(
        tmp_path,
        {
            "backend/__init__.py": "",
            "backend/kinds.py": "class App:\n    async def __call__(self, scope, receive, send):"
            " ...\n",
            "backend/app.py": "from backend.kinds import App\ndef make(cls):\n    return cls()\n"
            "def create_app():\n    return App()\n",
            "main.py": "import uvicorn\nfrom backend.app import create_app\napp = create_app()\n"
            "def main() -> None:\n    uvicorn.run(app, reload=True)\n",
            "mypy.ini": "[mypy]\nfiles = main.py, backend\n",
        },
    )
    reported = (1, [("main.py", 5, "uvicorn-import-string")])
    factory, kinds = tmp_path / "backend" / "app.py", tmp_path / "backend" / "kinds.py"
    steps = [
        (None, reported),  # cold
        (None, reported),  # warm, nothing edited
        ((factory, "return App()", "return make(App)"), (0, [])),
        ((factory, "return make(App)", "return App()"), reported),
        ((kinds, "class App:", "class App(str):"), (0, [])),  # a str: an import string
        ((kinds, "class App(str):", "class App:"), reported),
    ]
    for number, (edit, expected) in enumerate(steps):
        if edit is not None:
            path, old, new = edit
            path.write_text(path.read_text().replace(old, new))
        result, found = findings(tmp_path, tmp_path / "cache")
        assert (result.returncode, found) == expected, (edit, result.stdout, result.stderr)
        cold, cold_found = findings(tmp_path, tmp_path / f"cold{number}")
        assert (cold.returncode, cold_found) == expected, (edit, cold.stdout)


def test_the_blocking_error_shown_is_the_blocking_module_s(tmp_path: Path) -> None:
    # mypy hands the blocking error over with the other errors it had not shown yet: the
    # command showed the first of them (an import-not-found of main.py), not cli.py's.
    write(
        tmp_path,
        {
            "cli.py": "from . import sibling\n",
            "main.py": "import uvicorn\nimport cli\nfrom missingpkg import thing\n"
            "def g():\n    uvicorn.run(thing, reload=True)\n",
        },
    )
    result, _ = findings(tmp_path, tmp_path / "cache", ".")
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert lines[0].startswith("cli.py:1:") and "relative import" in lines[0], result.stderr
    assert "missingpkg" not in result.stderr
