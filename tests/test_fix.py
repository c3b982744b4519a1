"""`mypy-uvicorn --fix`, `--diff` and `--output-format sarif`, run for real on the bundled
examples and on generated shapes. Each string written is loaded by uvicorn's own importer from
the root its launch gives (a subprocess per root: the modules run their import-time code)."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from harness import APP, ROOT, mypy_uvicorn, write

from mypy_uvicorn import constants
from mypy_uvicorn.command import fix
from mypy_uvicorn.command.mypy_messages import Message

GUARD = 'if __name__ == "__main__":\n'
FIXED_CODES = {"uvicorn-import-string", "uvicorn-import-string-invalid"}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-uvicorn-cache")


def texts(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def findings(root: Path, cache: Path, *paths: str) -> list[dict[str, object]]:
    result = mypy_uvicorn("--output-format", "json", *paths, cwd=root, cache=cache)
    assert result.returncode in (0, 1), result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def written_strings(
    before: dict[str, bytes], after: dict[str, bytes]
) -> list[tuple[str, str, bool]]:
    """(file, string, factory) of each uvicorn.run whose application --fix made a string."""
    found = []
    for name, text in after.items():
        if text == before[name]:
            continue
        old_calls = {
            ast.dump(n) for n in ast.walk(ast.parse(before[name])) if isinstance(n, ast.Call)
        }
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and ast.dump(node) not in old_calls:
                app = (
                    node.args[0]
                    if node.args
                    else next((k.value for k in node.keywords if k.arg == "app"), None)
                )
                if isinstance(app, ast.Constant) and isinstance(app.value, str):
                    factory = any(
                        k.arg == "factory" and isinstance(k.value, ast.Constant) and k.value.value
                        for k in node.keywords
                    )
                    found.append((name, app.value, factory))
    return found


LOAD = """
import sys
sys.path.insert(0, sys.argv[1])
from uvicorn.importer import import_from_string
loaded = import_from_string(sys.argv[2])
if sys.argv[3] == "factory":
    loaded = loaded()
assert callable(loaded), loaded
print("loaded", sys.argv[2])
"""


def load_with_uvicorn(root: Path, string: str, factory: bool) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOAD, str(root), string, "factory" if factory else "object"],
        capture_output=True, text=True, timeout=120, cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, f"{string} from {root}: {result.stderr}"


def launch_root(project: Path, file: str) -> Path:
    """The folder a launch of `file` puts first on sys.path: its own folder for a script, the
    folder above its packages for a module of a package (`python -m pkg.mod`)."""
    folder = (project / file).parent
    while (folder / "__init__.py").exists():
        folder = folder.parent
    return folder


def fix_and_verify(project: Path, cache: Path, path: str, certain: int) -> list[dict[str, object]]:
    """--diff, then --fix, then every check of the issue; the findings left."""
    before = texts(project)
    found = findings(project, cache, path)
    diff = mypy_uvicorn("--diff", path, cwd=project, cache=cache)
    assert diff.returncode == 1, diff.stderr
    assert texts(project) == before  # --diff writes nothing
    assert f"Would fix {certain} finding" in diff.stderr
    fixed = mypy_uvicorn("--fix", path, cwd=project, cache=cache)
    after = texts(project)
    # The diff named exactly the files --fix then wrote.
    changed = {name for name in after if after[name] != before[name]}
    headers = {
        line[len("+++ b/") :] for line in diff.stdout.splitlines() if line.startswith("+++ b/")
    }
    assert headers == changed, diff.stdout
    assert f"Fixed {certain} finding" in fixed.stderr, fixed.stderr
    left = [
        json.loads(line)
        for line in mypy_uvicorn(
            "--output-format", "json", path, cwd=project, cache=cache
        ).stdout.splitlines()
    ]
    # What is left is what --fix reported after writing (the exit status of the second check).
    assert fixed.returncode == (1 if any(f["severity"] == "error" for f in left) else 0)
    assert len(left) == len(found) - certain, left
    for name, text in after.items():
        compile(text, name, "exec")  # every file still compiles
    strings = written_strings(before, after)
    assert len(strings) == certain, strings  # one string per fixed call, each loaded below
    for name, string, factory in strings:
        load_with_uvicorn(launch_root(project, name), string, factory)
    again = mypy_uvicorn("--fix", path, cwd=project, cache=cache)
    assert texts(project) == after, "a second --fix changed files"
    assert "Fixed 0 findings in 0 files" in again.stderr
    assert mypy_uvicorn("--diff", path, cwd=project, cache=cache).returncode == 0
    return left


def test_fix_the_bundled_examples(tmp_path: Path, cache: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project)
    left = fix_and_verify(project, cache, ".", certain=2)
    # The two findings whose fix is not certain ("may") are left, and still reported.
    assert sorted((f["file"], f["line"]) for f in left) == [
        ("shop/serve.py", 12),
        ("shop/serve.py", 16),
    ]
    assert all("may be" in str(f["message"]) for f in left)
    main = (project / "main.py").read_text()
    assert 'uvicorn.run("main:app", host="0.0.0.0", port=8000, reload=True)' in main
    serve = (project / "shop/serve.py").read_text()
    assert 'uvicorn.run("shop.app:create_app", workers=4, factory=True)' in serve
    assert "application = create_app()" in serve  # the rest of the call's function is kept


SHAPES = {
    "web.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    "kwarg.py": "import uvicorn\nfrom web import app\n\n" + GUARD
    + "    uvicorn.run(app=app, port=8000, reload=True)\n",
    "positional.py": "import uvicorn\nfrom web import app\n\nif __name__ == '__main__':\n"
    + "    uvicorn.run(\n        app,  # the application\n        host='0.0.0.0',\n"
    "        # several processes\n        workers=2,\n    )\n",
    # Tabs, and a factory (the application is made only under the guard).
    "tabs.py": "import uvicorn\nfrom fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n"
    "\treturn FastAPI()\n\n\n" + GUARD + "\tapplication = create_app()\n\tuvicorn.run(\n"
    "\t\tapplication,\n\t\treload=True,  # development\n\t)\n",
    "typo.py": "import uvicorn\n" + APP + "\n" + GUARD
    + '    uvicorn.run("typo:ap", reload=True)\n',
    "maybe.py": "import sys\nimport uvicorn\nfrom web import app\n\n" + GUARD
    + '    uvicorn.run(app, reload="--reload" in sys.argv)\n',
    "pkg/__init__.py": "",
    "pkg/web.py": APP,
    "pkg/server.py": "import uvicorn\nfrom pkg.web import app\n\n\ndef serve() -> None:\n"
    "    uvicorn.run(app, workers=3)\n",
    # A call inside an expression, and the single quotes of the file.
    "pkg/__main__.py": "import uvicorn\nfrom pkg.web import app\n\n"
    "uvicorn.run(app, reload=False, workers=2) if __name__ == '__main__' else None\n",
}  # fmt: skip
CRLF = (
    "import uvicorn\r\nfrom fastapi import FastAPI\r\n\r\napp = FastAPI()\r\n\r\n"
    "if __name__ == '__main__':\r\n    uvicorn.run(app, reload=True)\r\n"
)


def test_fix_generated_shapes(tmp_path: Path, cache: Path) -> None:
    project = tmp_path / "shapes"
    write(project, SHAPES)
    (project / "crlf.py").write_bytes(CRLF.encode())
    left = fix_and_verify(project, cache, ".", certain=7)
    assert [(f["file"], f["line"]) for f in left] == [("maybe.py", 6)]
    assert "may be enabled" in str(left[0]["message"])
    crlf = (project / "crlf.py").read_bytes()
    assert b"uvicorn.run('crlf:app', reload=True)\r\n" in crlf  # its quotes, its line endings
    assert crlf.count(b"\n") == crlf.count(b"\r\n")
    tabs = (project / "tabs.py").read_text()
    assert '\tuvicorn.run(\n\t\t"tabs:create_app",\n\t\treload=True,  # development\n' in tabs
    assert "\t\tfactory=True,\n\t)\n" in tabs
    positional = (project / "positional.py").read_text()
    assert "        'web:app',  # the application\n" in positional  # the file's quotes
    assert "        # several processes\n        workers=2,\n    )\n" in positional
    assert "from web import app\n" in positional  # an import left unused stays
    assert (
        'uvicorn.run(app="web:app", port=8000, reload=True)' in (project / "kwarg.py").read_text()
    )
    assert 'uvicorn.run("typo:app", reload=True)' in (project / "typo.py").read_text()
    assert 'uvicorn.run("pkg.web:app", workers=3)' in (project / "pkg/server.py").read_text()
    assert (
        "uvicorn.run('pkg.web:app', reload=False, workers=2)"
        in (project / "pkg/__main__.py").read_text()
    )


def reload_finding(path: Path, line: int, column: int, end: tuple[int, int], fix: str) -> Message:
    """The command's finding on an application object with reload=True, from `line`:`column` to
    `end` (line, column), whose message says `pass <fix>`."""
    return Message(
        str(path), line, column, end[0], end[1], "error",
        '"uvicorn.run" needs the application as an import string when "reload" is enabled;'
        f" pass {fix}", "uvicorn-import-string",
    )  # fmt: skip


def test_a_file_changed_since_the_check_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "main.py"
    text = "import uvicorn\n" + APP + GUARD + "    uvicorn.run(app, reload=True)\n"
    path.write_text(text)
    finding = reload_finding(path, 4, 5, (4, 33), '"main:app"')
    planned = fix.plan(str(path), text, [finding])
    assert planned.result().endswith('    uvicorn.run("main:app", reload=True)\n')
    path.write_text(text + "# edited meanwhile\n")
    assert fix.write(planned) is False
    assert path.read_text() == text + "# edited meanwhile\n"


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path: Path, cache: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project)
    result = mypy_uvicorn("--output-format", "sarif", ".", cwd=project, cache=cache)
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    listed = findings(project, cache, ".")
    results = log["runs"][0]["results"]
    assert [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in results
    ] == [(f["file"], f["line"], f["code"]) for f in listed]
    rules = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert {code.name for code in constants.OWN} <= set(rules)
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    # A broken log must fail the same validation (the schema is really applied).
    del results[0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, schema)


def test_factory_after_a_comma_and_paren_on_the_last_line(tmp_path: Path) -> None:
    # `reload=True,)`: factory=True goes inline; the result must parse (it did not).
    path = tmp_path / "main.py"
    text = (
        "import uvicorn\nfrom fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n"
        "    return FastAPI()\n\n\ndef d() -> None:\n    app = create_app()\n"
        "    uvicorn.run(\n        app,\n        reload=True,)\n"
    )
    path.write_text(text)
    finding = reload_finding(path, 11, 5, (13, 21), '"main:create_app" with factory=True')
    planned = fix.plan(str(path), text, [finding])
    assert planned.fixed == [finding]
    result = planned.result()
    ast.parse(result)
    assert '        "main:create_app",\n        reload=True,, factory=True)' not in result
    assert "reload=True, factory=True,)" in result or "reload=True,)" not in result


def test_set_up_under_the_guard_is_not_fixed(tmp_path: Path) -> None:
    # The application gets a router under the main guard before the call: "main:app" would
    # start without it (the reload process imports main and skips the guard). Left, reported.
    path = tmp_path / "main.py"
    text = (
        "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n"
        + GUARD
        + "    app.include_router(router)\n    uvicorn.run(app, reload=True)\n"
    )
    path.write_text(text)
    finding = reload_finding(path, 8, 5, (8, 33), '"main:app"')
    assert fix.plan(str(path), text, [finding]).edits == []
    plain = text.replace("    app.include_router(router)\n", "")
    path.write_text(plain)
    finding = Message(**{**finding.__dict__, "line": 7, "end_line": 7})
    assert fix.plan(str(path), plain, [finding]).fixed == [finding]


def test_non_ascii_text_a_byte_order_mark_and_odd_line_breaks(tmp_path: Path, cache: Path) -> None:
    # mypy 2's native parser counts columns otherwise after non-ASCII text on the line (the call
    # was not found, not fixed); a UTF-8 byte order mark made the file unparsable for the fix;
    # --diff split lines at a form feed and U+2028 (a diff `git apply` refused).
    project = tmp_path / "project"
    write(
        project,
        {
            "mypy.ini": "[mypy]\nplugins = mypy_uvicorn\n",
            "main.py": "import uvicorn\n" + APP + GUARD
            + '    x = "é€😀"; uvicorn.run(app, reload=True)  # café\n',
        },
    )  # fmt: skip
    (project / "bom.py").write_bytes(
        ("\ufeffimport uvicorn\n" + APP + "\f\n" + GUARD
         + "    uvicorn.run(app, workers=2)  # \u2028 x\n").encode()
    )  # fmt: skip
    left = fix_and_verify(project, cache, ".", certain=2)
    assert left == []
    assert (project / "bom.py").read_bytes().startswith(b"\xef\xbb\xbfimport uvicorn\n")
    assert 'uvicorn.run("bom:app", workers=2)  # \u2028 x\n' in (project / "bom.py").read_text()
    assert (
        'x = "é€😀"; uvicorn.run("main:app", reload=True)  # café\n'
        in (project / "main.py").read_text()
    )


def test_diff_applies_with_git_and_names_outside_files_by_path(tmp_path: Path, cache: Path) -> None:
    project = tmp_path / "project"
    text = (
        "import uvicorn\n" + APP + "\f\n" + GUARD + "    uvicorn.run(app, reload=True)  # \u2028\n"
    )
    write(project, {"mypy.ini": "[mypy]\nplugins = mypy_uvicorn\n", "main.py": text})
    inside = mypy_uvicorn("--diff", "main.py", cwd=project, cache=cache)
    assert inside.stdout.startswith("--- a/main.py\n+++ b/main.py\n"), inside.stdout
    patch = tmp_path / "fix.patch"
    patch.write_text(inside.stdout)
    applied = subprocess.run(
        ["git", "apply", str(patch)], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert applied.returncode == 0, applied.stderr
    assert (project / "main.py").read_text() == text.replace("(app,", '("main:app",')
    (project / "main.py").write_text(text)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outside = mypy_uvicorn(
        "--diff", str(project / "main.py"), "--", "--config-file", str(project / "mypy.ini"),
        cwd=elsewhere, cache=cache,
    )  # fmt: skip
    path = str(project / "main.py")
    assert outside.stdout.startswith(f"--- {path}\n+++ {path}\n"), outside.stdout


def test_only_uvicorn_calls_are_edited_after_non_ascii_text(tmp_path: Path) -> None:
    # mypy 2's native parser reports odd columns after non-ASCII text: the one uvicorn call of
    # the line is taken (an alias included), never another callee named `run` (asyncio.run was
    # rewritten before).
    path = tmp_path / "main.py"
    text = (
        "import asyncio\nfrom uvicorn import run as serve\nfrom fastapi import FastAPI\n"
        "app = FastAPI()\nasync def job() -> None: ...\n" + GUARD
        + "    msg = 'démarrage'; serve(app, reload=True); asyncio.run(job())\n"
    )  # fmt: skip
    path.write_text(text)
    planned = fix.plan(str(path), text, [reload_finding(path, 7, 22, (7, 43), '"main:app"')])
    assert planned.result() == text.replace("serve(app,", 'serve("main:app",')


def test_set_up_in_an_enclosing_block_is_not_fixed(tmp_path: Path) -> None:
    # The set-up runs under the guard, the call in a block inside it: "main:app" would start
    # without it (it was fixed). The module's own top level runs on import: its set-up stays.
    path = tmp_path / "main.py"
    head = "import os\nimport uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n"
    call = "        uvicorn.run(app, reload=True)\n"
    under_guard = head + GUARD + "    app.title = 'configured'\n"
    for text in (
        under_guard + "    if os.environ.get('DEV'):\n" + call,
        under_guard + "    try:\n" + call + "    except KeyboardInterrupt:\n        pass\n",
    ):
        path.write_text(text)
        finding = reload_finding(path, 8, 9, (8, 37), '"main:app"')
        assert fix.plan(str(path), text, [finding]).edits == [], text
    at_top = head + "app.title = 'configured'\n" + GUARD + "    uvicorn.run(app, reload=True)\n"
    path.write_text(at_top)
    planned = fix.plan(str(path), at_top, [reload_finding(path, 7, 5, (7, 33), '"main:app"')])
    assert 'uvicorn.run("main:app", reload=True)' in planned.result()


def test_two_calls_of_one_block_are_fixed_in_one_pass(tmp_path: Path) -> None:
    # The first call's application is not a set-up of the second: one --fix writes both (a
    # second --fix wrote the other before).
    path = tmp_path / "main.py"
    text = (
        "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n" + GUARD
        + "    uvicorn.run(app, reload=True)\n    uvicorn.run(app, workers=2)\n"
    )  # fmt: skip
    path.write_text(text)
    second = Message(**{**reload_finding(path, 6, 5, (6, 31), '"main:app"').__dict__, "message":
                        '"uvicorn.run" needs the application as an import string when "workers"'
                        ' is above 1; pass "main:app"'})  # fmt: skip
    planned = fix.plan(str(path), text, [reload_finding(path, 5, 5, (5, 33), '"main:app"'), second])
    assert planned.result().count('"main:app"') == 2, planned.result()
