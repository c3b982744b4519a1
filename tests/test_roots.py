"""Issue 21, point 2: the roots of an import string, as the project really runs. The folder the
command is started in is a root with and without a configuration; `src/` and the folders the
packaging declares hold the project's installed packages; a module's own imports tell the folder
it runs from (`backend/svc/app/main.py` importing `app.config`, a `__main__.py` importing its
siblings). Every verdict below is checked against uvicorn's own importer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from harness import APP, errors, mypy, mypy_uvicorn, write

from mypy_uvicorn.import_strings.roots import package_folders

GUARD = 'if __name__ == "__main__":\n'
PROJECT = {
    # python -m scripts.run from the project's folder (which is then on sys.path).
    "scripts/run.py": "import uvicorn\n" + GUARD + '    uvicorn.run("pkg.mod:app", reload=True)\n'
    '    uvicorn.run("pkg.mdo:app", reload=True)\n',
    "pkg/__init__.py": "",
    "pkg/mod.py": APP,
    # Docker's `python -m app.main`: app/ has no __init__.py.
    "app/main.py": "import uvicorn\n"
    + APP
    + GUARD
    + '    uvicorn.run("app.main:app", reload=True)\n',
    # The project's own package, installed from src/ (declared in pyproject.toml).
    "scripts/serve.py": "import uvicorn\n" + GUARD + '    uvicorn.run("shop.web:app", workers=2)\n'
    '    uvicorn.run("shop.wbe:app", workers=2)\n',
    "src/shop/__init__.py": "",
    "src/shop/web.py": APP,
    "pyproject.toml": '[project]\nname = "shop"\n'
    '[tool.setuptools.packages.find]\nwhere = ["src"]\n',
}
# Findings: the two misspelt modules, each with the correction that imports.
EXPECTED = [
    ("scripts/run.py", 4, "uvicorn-import-string-invalid", 'pass "pkg.mod:app"'),
    ("scripts/serve.py", 4, "uvicorn-import-string-invalid", 'pass "shop.web:app"'),
]
# (sys.path of the launch, relative to the project; import string; imports?)
ORACLE = [
    (".", "pkg.mod:app", True),
    (".", "pkg.mdo:app", False),
    (".", "app.main:app", True),
    ("src", "shop.web:app", True),
    ("src", "shop.wbe:app", False),
]


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str, str]]:
    found = [json.loads(line) for line in result.stdout.splitlines()]
    return [(f["file"], f["line"], f["code"], f["message"].rpartition("; ")[2]) for f in found]


def imports(project: Path, root: str, string: str) -> bool:
    """Whether uvicorn's importer loads `string` with `root` first on sys.path."""
    code = (
        "import sys\nfrom uvicorn.importer import import_from_string\n"
        f"sys.path.insert(0, {str(project / root)!r})\nimport_from_string({string!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True)
    return result.returncode == 0


def test_the_same_roots_with_and_without_a_configuration(tmp_path: Path) -> None:
    # Before: without a configuration each build ran in the caller's folder, so "pkg.mod:app"
    # and "app.main:app" were "cannot import"; "shop.web:app" (src/) was "cannot import" in
    # both modes, and "pkg.mdo" / "shop.wbe" got no correction.
    write(tmp_path, PROJECT)
    cache = tmp_path / "cache"
    without = mypy_uvicorn("--output-format", "json", ".", cwd=tmp_path, cache=cache)
    assert (without.returncode, findings(without)) == (1, EXPECTED), without.stderr
    (tmp_path / "mypy.ini").write_text("[mypy]\n")
    with_config = mypy_uvicorn("--output-format", "json", ".", cwd=tmp_path, cache=cache)
    assert (with_config.returncode, findings(with_config)) == (1, EXPECTED), with_config.stderr
    for root, string, expected in ORACLE:
        assert imports(tmp_path, root, string) is expected, (root, string)
    for _, _, _, fix in EXPECTED:
        assert imports(tmp_path, "src" if "shop" in fix else ".", fix.split('"')[1])


def test_a_module_s_imports_tell_its_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            # Run as `python -m app.main` from backend/fastapi-ai (it imports app.config).
            "backend/fastapi-ai/app/main.py": "import uvicorn\nfrom app.config import RELOAD\n"
            + APP
            + GUARD
            + '    uvicorn.run("app.main:app", reload=RELOAD)\n'
            + "    uvicorn.run(app, reload=True)\n",
            "backend/fastapi-ai/app/config.py": "RELOAD = True\n",
            # The same shape imported as `from app import config`.
            "backend/other-ai/app/main.py": "import uvicorn\nfrom app import config\n"
            + APP
            + GUARD
            + '    uvicorn.run("app.main:app", reload=config.RELOAD)\n',
            "backend/other-ai/app/config.py": "RELOAD = True\n",
            # Run as `python tool` (its __main__ imports its sibling main.py top-level).
            "tool/__init__.py": "",
            "tool/__main__.py": "import uvicorn\nfrom main import app\n"
            + GUARD
            + "    uvicorn.run(app, workers=2)\n",
            "tool/main.py": APP,
        },
    )
    result = mypy_uvicorn("--output-format", "json", ".", cwd=tmp_path, cache=tmp_path / "c")
    # Before: "app.main:app" was "cannot import" with `pass "main:app"` (which fails: main.py
    # imports app.config), and the application of tool/__main__.py was not read.
    assert (result.returncode, findings(result)) == (
        1,
        [
            ("backend/fastapi-ai/app/main.py", 6, "uvicorn-import-string", 'pass "app.main:app"'),
            ("tool/__main__.py", 4, "uvicorn-import-string", 'pass "main:app"'),
        ],
    ), result.stderr
    assert imports(tmp_path, "backend/fastapi-ai", "app.main:app")
    assert not imports(tmp_path, "backend/fastapi-ai/app", "main:app")
    assert imports(tmp_path, "tool", "main:app")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pyproject.toml": '[tool.setuptools.package-dir]\n"" = "lib"\n'}, ["lib"]),
        ({"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'}, ["lib"]),
        (
            {"pyproject.toml": '[tool.hatch.build.targets.wheel]\npackages = ["lib/shop"]\n'},
            ["lib"],
        ),
        (
            {"pyproject.toml": '[tool.poetry]\npackages = [{ include = "shop", from = "lib" }]\n'},
            ["lib"],
        ),
        ({"setup.cfg": "[options]\npackage_dir =\n    = lib\n"}, ["lib"]),
        ({"setup.cfg": "[options.packages.find]\nwhere = lib\n"}, ["lib"]),
        ({"setup.py": 'setup(package_dir={"": "lib"})\n'}, ["lib"]),
        ({"src/shop/__init__.py": ""}, ["src"]),
        # Outside the project, the project itself, a folder that is not there, broken TOML.
        ({"pyproject.toml": '[tool.setuptools.package-dir]\n"" = "../elsewhere"\n'}, []),
        ({"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["."]\n'}, []),
        ({"pyproject.toml": '[tool.setuptools.packages.find]\nwhere = ["gone"]\n'}, []),
        ({"pyproject.toml": "[tool.setuptools\n"}, []),
    ],
)
def test_package_folders(tmp_path: Path, files: dict[str, str], expected: list[str]) -> None:
    project = tmp_path / "project"
    write(project, {**files, "lib/shop/__init__.py": "", "elsewhere/x.py": ""})
    (tmp_path / "elsewhere").mkdir()
    assert package_folders(str(project)) == [str(project / name) for name in expected]


def test_roots_found_by_an_adversarial_pass(tmp_path: Path) -> None:
    serve = "import uvicorn\n" + GUARD + '    uvicorn.run("web:app", reload=True)\n'
    write(
        tmp_path,
        {
            # The caller puts lib/ on sys.path itself: no module is certainly missing.
            "syspath/lib/web.py": APP,
            "syspath/main.py": "import os, sys\n"
            'sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))\n' + serve,
            # pdm's and hatch's declarations of the folder the package is installed from; the
            # command started in scripts/, below the project's folder.
            "pdm/pyproject.toml": '[tool.pdm.build]\npackage-dir = "lib"\n',
            "pdm/lib/web.py": APP,
            "pdm/scripts/serve.py": serve,
            "hatch/pyproject.toml": '[tool.hatch.build.targets.wheel.sources]\n"lib" = ""\n',
            "hatch/lib/web.py": APP,
            "hatch/scripts/serve.py": serve,
            # `python proj/third`: "third.main:app" names the caller's own folder, which that
            # launch does not put on sys.path: certain, not a dependency missing here (it was
            # "not checked", naming the roots).
            "proj/third/main.py": APP,
            "proj/third/__main__.py": "import uvicorn\nfrom main import app\n"
            + GUARD
            + '    uvicorn.run("third.main:app", workers=2)\n',
        },
    )
    for folder in ("syspath", "pdm/scripts", "hatch/scripts"):
        result = mypy_uvicorn("--output-format", "json", ".", cwd=tmp_path / folder)
        assert (result.returncode, result.stdout) == (0, ""), (folder, result.stdout)
    result = mypy_uvicorn("--output-format", "json", "proj", cwd=tmp_path)
    assert findings(result) == [
        (
            "proj/third/__main__.py",
            4,
            "uvicorn-import-string-invalid",
            'Invalid import string "third.main:app": uvicorn cannot import module "third.main"',
        )
    ], result.stdout
    # Each verdict, by uvicorn's importer from the launch's sys.path.
    assert imports(tmp_path / "syspath", "lib", "web:app")
    assert imports(tmp_path / "pdm", "lib", "web:app")
    assert not imports(tmp_path, "proj/third", "third.main:app")


def test_a_missing_module_of_the_program_is_named_not_installed(tmp_path: Path) -> None:
    # Issue 21, point 2: "a module of the program is never called not installed; say which roots
    # were tried". Plain mypy, configured without mypy_path, does not find src/shop (the
    # project's own package; the command adds it): the call it decides is not checked, naming
    # the file and mypy_path, not "install it". A module found nowhere names the roots it was
    # looked for in.
    write(
        tmp_path,
        {
            "mypy.ini": "[mypy]\nplugins = mypy_uvicorn\nfiles = scripts\n",
            "pyproject.toml": '[project]\nname = "shop"\n'
            '[tool.setuptools.packages.find]\nwhere = ["src"]\n',
            "src/shop/__init__.py": "",
            "src/shop/web.py": APP,
            "scripts/serve.py": "import uvicorn\nfrom shop.web import app\n"
            "from vanished import other\n"
            + GUARD
            + "    uvicorn.run(app, reload=True)\n    uvicorn.run(other, workers=2)\n",
        },
    )
    result = mypy(cwd=tmp_path)
    program, nowhere = [
        line for line in result.stdout.splitlines() if line.endswith("[uvicorn-unchecked]")
    ]
    assert program == (
        'scripts/serve.py:5: error: Not checked: the application comes from module "shop.web",'
        " a file of the program (src/shop/web.py) that mypy does not find where it looks for"
        " modules: add the folder it is imported from to mypy_path (or check from that folder)"
        " to check this call  [uvicorn-unchecked]"
    ), result.stdout
    assert nowhere == (
        'scripts/serve.py:6: error: Not checked: the application comes from module "vanished",'
        " found in no root of the program (scripts, ., src) and not installed where mypy looks;"
        " install it where mypy runs (with pre-commit: additional_dependencies of the hook) to"
        " check this call  [uvicorn-unchecked]"
    ), result.stdout
    # With mypy_path naming src, mypy reads the application: the call is judged.
    (tmp_path / "mypy.ini").write_text(
        "[mypy]\nplugins = mypy_uvicorn\nfiles = scripts\nmypy_path = src\n"
    )
    judged = [line.rpartition("  ")[2] for line in errors(mypy(cwd=tmp_path).stdout)]
    assert "[uvicorn-import-string]" in judged and judged.count("[uvicorn-unchecked]") == 1
    assert imports(tmp_path, "src", "shop.web:app")


def test_two_services_with_a_copied_module_keep_their_own_files(tmp_path: Path) -> None:
    # A monorepo of two services checked with one cache, `app/web.py` the same text in both.
    # mypy names a cache entry by the module's name and took the first service's `app.web`,
    # path and all, for the second's: its string was judged from the first service's folder and
    # the finding was lost (exit 0 where it was the only one), also with plain mypy run in each
    # service in turn.
    main = 'import uvicorn\ndef main() -> None:\n    uvicorn.run("app.web:{}", reload=True)\n'
    write(
        tmp_path,
        {
            "svc_a/app/__init__.py": "",
            "svc_a/app/web.py": APP,
            "svc_a/app/main.py": main.format("app"),
            "svc_b/app/__init__.py": "",
            "svc_b/app/web.py": APP,
            "svc_b/app/main.py": main.format("wep"),
        },
    )
    # uvicorn itself, started in each service's folder.
    assert imports(tmp_path, "svc_a", "app.web:app")
    assert not imports(tmp_path, "svc_b", "app.web:wep")
    message = 'Invalid import string "app.web:wep": module "app.web" has no attribute "wep"'
    expected = [("svc_b/app/main.py", 3, "uvicorn-import-string-invalid", message)]
    cache = tmp_path / "cache"
    for run in ("cold", "warm"):
        result = mypy_uvicorn("--output-format", "json", ".", cwd=tmp_path, cache=cache)
        assert (result.returncode, findings(result)) == (1, expected), (run, result.stderr)
    # Each service on its own, one after the other, with one cache.
    alone = tmp_path / "alone"
    first = mypy_uvicorn("--output-format", "json", "svc_a", cwd=tmp_path, cache=alone)
    assert (first.returncode, findings(first)) == (0, []), first.stderr
    second = mypy_uvicorn("--output-format", "json", "svc_b", cwd=tmp_path, cache=alone)
    assert (second.returncode, findings(second)) == (1, expected), second.stderr
    # Plain mypy with the plugin, run in each service in turn with one cache.
    (tmp_path / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    shared = ["--config-file", str(tmp_path / "mypy.ini"), "--cache-dir", str(tmp_path / "plain")]
    assert mypy(*shared, "app/main.py", cwd=tmp_path / "svc_a").returncode == 0
    plain = mypy(*shared, "app/main.py", cwd=tmp_path / "svc_b")
    assert plain.returncode == 1 and 'has no attribute "wep"' in plain.stdout, plain.stdout
