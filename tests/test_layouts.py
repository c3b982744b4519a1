"""Import strings checked on real project layouts: a package with __main__, a src/ layout, a
script checked alone, a namespace package. Each suggestion must itself start."""

from __future__ import annotations

import sys
from pathlib import Path

from harness import APP, mypy_errors, run, stdout_stderr, write

GUARD = 'if __name__ == "__main__":\n'


def findings(cwd: Path, *args: str) -> list[str]:
    ini = cwd / "layout.ini"
    ini.write_text("[mypy]\nplugins = mypy_uvicorn\n")
    return mypy_errors(
        cwd, "--config-file", str(ini), "--no-incremental", "--no-error-summary", *args
    )


def test_package_with_main_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/main.py": APP,
            "pkg/__main__.py": "import uvicorn\nimport pkg.main\n" + GUARD
            + '    uvicorn.run("pkg.main:app", reload=True)\n'
            + '    uvicorn.run("pkg.mian:app", reload=True)\n'
            + '    uvicorn.run("pkg.main:ap", reload=True)\n'
            + '    uvicorn.run("main:app", reload=True)\n',
        },
    )  # fmt: skip
    invalid = "error: Invalid import string"
    assert findings(tmp_path, "-p", "pkg") == [
        f'pkg/__main__.py:5: {invalid} "pkg.mian:app": uvicorn cannot import module "pkg.mian";'
        ' pass "pkg.main:app"  [uvicorn-import-string-invalid]',
        f'pkg/__main__.py:6: {invalid} "pkg.main:ap": module "pkg.main" has no attribute "ap";'
        ' pass "pkg.main:app"  [uvicorn-import-string-invalid]',
        # "main:app" (line 7) is not reported: started as `python pkg` (or pkg/__main__.py), the
        # package's directory is first on sys.path and "main" is pkg/main.py.
    ]


def test_src_layout(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/shop/__init__.py": "",
            "src/shop/web.py": APP,
            "src/shop/serve.py": "import uvicorn\nfrom shop import web\n" + GUARD
            + '    uvicorn.run("shop.web:app", reload=True)\n'
            + '    uvicorn.run("shop.web:app", reload=True, app_dir="src")\n'
            + '    uvicorn.run("web:app", reload=True, app_dir="src/shop")\n'
            + '    uvicorn.run("shop.wbe:app", reload=True)\n',
        },
    )  # fmt: skip
    assert findings(tmp_path, "src/shop") == [
        'src/shop/serve.py:7: error: Invalid import string "shop.wbe:app": uvicorn cannot import'
        ' module "shop.wbe"; pass "shop.web:app"  [uvicorn-import-string-invalid]'
    ]


def test_script_checked_alone(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            # Beside the script, not imported by it, not checked: named by strings, so mypy
            # analyses it (as an import), and a typo of its name gets the fix.
            "web.py": APP,
            "serve.py": "import uvicorn\n" + APP + GUARD
            + '    uvicorn.run("serve:app", reload=True)\n'
            + '    uvicorn.run("web:app", reload=True)\n'
            + '    uvicorn.run("wbe:app", reload=True)\n'
            + '    uvicorn.run("serve:ap", reload=True)\n',
        },
    )  # fmt: skip
    assert findings(tmp_path, "serve.py") == [
        'serve.py:6: error: Invalid import string "wbe:app": uvicorn cannot import module "wbe";'
        ' pass "web:app"  [uvicorn-import-string-invalid]',
        'serve.py:7: error: Invalid import string "serve:ap": module "serve" has no attribute'
        ' "ap"; pass "serve:app"  [uvicorn-import-string-invalid]',
    ]


def test_namespace_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "services/api/web.py": APP,  # no __init__.py anywhere
            "run_api.py": "import uvicorn\n" + GUARD
            + '    uvicorn.run("services.api.web:app", reload=True)\n'
            + '    uvicorn.run("services.api.wbe:app", reload=True)\n',
        },
    )  # fmt: skip
    assert findings(tmp_path, "run_api.py") == [
        'run_api.py:4: error: Invalid import string "services.api.wbe:app": uvicorn cannot'
        ' import module "services.api.wbe"; pass "services.api.web:app"'
        "  [uvicorn-import-string-invalid]"
    ]


def test_suggestions_start(tmp_path: Path) -> None:
    # Every string a message proposes passes the checks itself: put each one back in and
    # check again: no finding is left.
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/main.py": APP + "def create_app() -> object:\n    return app\n",
            "pkg/__main__.py": "import uvicorn\nimport pkg.main\n" + GUARD
            + '    uvicorn.run("pkg.mian:app", reload=True)\n'
            + '    uvicorn.run("pkg.main:create_ap", factory=True)\n'
            + '    uvicorn.run("pkg.main:ap")\n',
        },
    )  # fmt: skip
    first = findings(tmp_path, "-p", "pkg")
    assert len(first) == 3
    source = (tmp_path / "pkg/__main__.py").read_text()
    for line in first:
        wrong = line.split('Invalid import string "', 1)[1].split('"', 1)[0]
        fix = line.rsplit('; pass "', 1)[1].split('"', 1)[0]
        source = source.replace(f'"{wrong}"', f'"{fix}"')
    (tmp_path / "pkg/__main__.py").write_text(source)
    assert findings(tmp_path, "-p", "pkg") == []


def test_suggestions_load_from_the_root_of_each_launch(tmp_path: Path) -> None:
    # `python scripts/run.py` imports from scripts/ ("main:app", not "scripts.main:app");
    # `python -m pkg` from the working directory ("pkg.web:app"); a file name with ":" gets no
    # string (uvicorn would split it there). Each proposed string is loaded by uvicorn's
    # importer with the launch's first sys.path entry.
    write(
        tmp_path,
        {
            "scripts/main.py": APP,
            "scripts/run.py": "import uvicorn\nfrom main import app\n" + GUARD
            + "    uvicorn.run(app, reload=True)\n",
            "pkg/__init__.py": "",
            "pkg/web.py": APP,
            "pkg/__main__.py": "import uvicorn\nfrom pkg.web import app\n"
            + "uvicorn.run(app, reload=True)\n",
            "odd/e:f.py": "import uvicorn\n" + APP + GUARD + "    uvicorn.run(app, reload=True)\n",
        },
    )  # fmt: skip
    needs = '"uvicorn.run" needs the application as an import string when "reload" is enabled'
    assert findings(tmp_path, "scripts/run.py", "pkg", "odd/e:f.py") == [
        f'odd/e:f.py:4: error: {needs}; pass an import string "<module>:<attribute>"'
        "  [uvicorn-import-string]",
        f'pkg/__main__.py:3: error: {needs}; pass "pkg.web:app"  [uvicorn-import-string]',
        f'scripts/run.py:4: error: {needs}; pass "main:app"  [uvicorn-import-string]',
    ]
    for root, string in ((tmp_path / "scripts", "main:app"), (tmp_path, "pkg.web:app")):
        loaded = run(
            sys.executable, "-c",
            f"import sys; sys.path.insert(0, {str(root)!r})\n"
            "from uvicorn.importer import import_from_string\n"
            f"print(callable(import_from_string({string!r})))",
            cwd=tmp_path,
        )  # fmt: skip
        assert loaded.stdout == "True\n", stdout_stderr(loaded)
