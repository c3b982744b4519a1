"""`mypy-uvicorn`: real mypy runs over real files, exit codes and each output format."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from harness import APP, COMMAND, ROOT, mypy_uvicorn, run
from mypy.version import __version__ as mypy_version

from mypy_uvicorn import messages

FIX = "needs the application as an import string when"
EXAMPLES = [
    ("examples/main.py", 11, 5, f'"uvicorn.run" {FIX} "reload" is enabled; pass "main:app"'),
    (
        "examples/shop/serve.py", 12, 5,
        f'"uvicorn.run" {FIX} "reload" may be enabled; pass "shop.app:app"',
    ),
    (
        "examples/shop/serve.py", 16, 5,
        f'"uvicorn.run" {FIX} "workers" may be above 1; pass "shop.app:app"',
    ),
    (
        "examples/shop/serve.py", 21, 5,
        f'"uvicorn.run" {FIX} "workers" is above 1; pass "shop.app:create_app" with factory=True',
    ),
]  # fmt: skip


# The tests of this file run on one worker (tests/conftest.py): `cache` stays warm.
@pytest.fixture(scope="session")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for every run of the command: the standard library is read once."""
    return tmp_path_factory.mktemp("mypy-uvicorn-cache")


def check(
    *args: str | Path, cwd: Path = ROOT, cache: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return mypy_uvicorn(*args, cwd=cwd, cache=cache, console_script=True)


def test_examples_text(cache: Path) -> None:
    result = check("examples", cache=cache)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"{file}:{line}:{column}: error: {text}  [uvicorn-import-string]"
        for file, line, column, text in EXAMPLES
    ] + ["Found 4 uvicorn findings in 2 files"]


def test_examples_json(cache: Path) -> None:
    result = check("examples", "--output-format", "json", cache=cache)
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["line"], r["column"], r["message"]) for r in records] == EXAMPLES
    for record in records:
        assert set(record) == {
            "file", "line", "column", "end_line", "end_column", "severity", "code", "message"
        }  # fmt: skip
        assert (record["severity"], record["code"]) == ("error", "uvicorn-import-string")
        assert record["end_line"] == record["line"]
        assert record["end_column"] > record["column"]
    assert result.stderr == "Found 4 uvicorn findings in 2 files\n"


def test_examples_github(cache: Path) -> None:
    result = check("examples", "--output-format", "github", cache=cache)
    assert result.returncode == 1, result.stderr
    command = re.compile(r"::error (?P<properties>[^:]*)::(?P<message>.*)")
    parsed = []
    for line in result.stdout.splitlines():
        match = command.fullmatch(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        assert properties["title"] == "uvicorn-import-string"
        assert int(properties["endLine"]) == int(properties["line"])
        parsed.append(
            (properties["file"], int(properties["line"]), int(properties["col"]), match["message"])
        )
    assert parsed == EXAMPLES


def test_seed_compliant_example_is_clean(tmp_path: Path, cache: Path) -> None:
    # The compliant version of examples/main.py, as main.py: its "main:app" names itself.
    # (Beside examples/main.py, "main:app" names that file, which mypy then analyses as an
    # import and reports on.)
    (tmp_path / "main.py").write_text((ROOT / "examples/main_compliant.py").read_text())
    result = check("main.py", cwd=tmp_path, cache=cache)
    assert (result.returncode, result.stdout) == (0, "Success: no uvicorn findings\n")


def test_version() -> None:
    result = check("--version")
    expected = f"mypy-uvicorn {metadata.version('mypy-uvicorn')} (mypy {mypy_version})\n"
    assert (result.returncode, result.stdout) == (0, expected)


def test_only_own_findings_and_errors_on_uvicorn_calls(project: Path, cache: Path) -> None:
    (project / "svc.py").write_text(
        "import os\nimport uvicorn\n" + APP + "x: int = 'not the business of this command'\n"
        "def create_app():\n    return app\n"
        "def main():\n"
        "    uvicorn.run(app, debug=True)\n"  # line 8
        "    run = uvicorn.run\n"
        "    run(app, reload=True)\n"  # line 10: mypy's own error through an alias
        '    uvicorn.run("svc:app", port=os.getenv("PORT", "8000"))\n'  # line 11
        "    uvicorn.run(create_app)\n"  # line 12: a note of this project
        '    uvicorn.run(app, port=int("x", base=int("2")))\n'  # line 13: clean
        # Line 14: mypy's arg-type on a call the plugin judged is `mypy .`'s, not a start-up
        # failure: not reported by the command (issue 21, point 5).
        '    uvicorn.run("svc:app", host=os.getenv("HOST"), reload=True)\n'
    )
    result = check("svc.py", "--output-format", "json", cwd=project, cache=cache)
    assert result.returncode == 1, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(f["line"], f["column"], f["severity"], f["code"]) for f in found] == [
        (8, 5, "error", "call-arg"),
        (8, 5, "note", None),
        (10, 5, "error", "call-overload"),
        (11, 5, "error", "call-overload"),
        (12, 5, "note", None),
    ]
    assert found[0]["message"] == messages.DEBUG_UNEXPECTED
    assert found[1]["message"] == messages.DEBUG_NOTE
    assert found[3]["message"].startswith('No overload variant of "run" matches argument types')
    assert found[4]["message"].endswith(messages.OWN_NOTE_ENDINGS)
    assert result.stderr == "Found 3 uvicorn findings in 1 file (2 notes)\n"


def test_newline_in_a_message(project: Path, cache: Path) -> None:
    (project / "svc.py").write_text(
        "import uvicorn\n" + APP + 'uvicorn.run("svc:app\\n")\nuvicorn.run("svc:ap")\n'
    )
    as_json = check("svc.py", "--output-format", "json", cwd=project, cache=cache)
    found = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert as_json.returncode == 1
    assert [(f["line"], f["code"]) for f in found] == [
        (3, "uvicorn-import-string-invalid"),
        (4, "uvicorn-import-string-invalid"),
    ]
    assert '"svc:app\n"' in found[0]["message"] or '"svc:app\\n"' in found[0]["message"]
    as_text = check("svc.py", cwd=project, cache=cache)
    assert as_text.stdout.count("\n") == 3  # two findings and the summary, one line each
    assert as_text.stdout.splitlines()[-1] == "Found 2 uvicorn findings in 1 file"


def test_file_path_import_string(project: Path, cache: Path) -> None:
    (project / "svc.py").write_text(
        'import uvicorn\nuvicorn.run("svc.py:app")\nuvicorn.run("src/svc.py:app")\n'
    )
    result = check("svc.py", cwd=project, cache=cache)
    reason = "it takes a dotted module path, not a file"
    assert result.returncode == 1
    # svc.py has no "app": "svc:app" would not resolve, so no correction is suggested.
    assert result.stdout.splitlines() == [
        f'svc.py:2:1: error: Invalid import string "svc.py:app": uvicorn cannot import module'
        f' "svc.py": {reason}  [uvicorn-import-string-invalid]',
        f'svc.py:3:1: error: Invalid import string "src/svc.py:app": uvicorn cannot import module'
        f' "src/svc.py": {reason}  [uvicorn-import-string-invalid]',
        "Found 2 uvicorn findings in 1 file",
    ]


def test_python_m(project: Path, cache: Path) -> None:
    (project / "ok.py").write_text(
        "import uvicorn\n" + APP + 'if __name__ == "__main__":\n'
        '    uvicorn.run("ok:app", reload=True)\n'
    )
    result = mypy_uvicorn("ok.py", cwd=project, cache=cache)
    assert (result.returncode, result.stdout) == (0, "Success: no uvicorn findings\n")


def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = check("nowhere.py", cwd=project)
    assert result.returncode == 2
    assert result.stderr == "mypy-uvicorn: error: no such file or directory: nowhere.py\n"


def test_nothing_to_check_says_what_to_pass(project: Path) -> None:
    result = check(cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("mypy-uvicorn: error: nothing to check: pass the files")


def test_blocking_error_is_one_error_and_what_to_do(project: Path, cache: Path) -> None:
    (project / "svc.py").write_text("import uvicorn\ndef (:\n")
    result = check("svc.py", cwd=project, cache=cache)
    assert (result.returncode, result.stdout) == (2, "")
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("svc.py:2:") and ": error: " in lines[0]
    assert lines[1].startswith("mypy-uvicorn: error: mypy stopped on this error")


def test_unwritable_cache(project: Path) -> None:
    (project / "svc.py").write_text("import uvicorn\n" + APP + "uvicorn.run(app)\n")
    (project / "a-file").write_text("")
    result = check("svc.py", "--cache-dir", "a-file", cwd=project)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("mypy-uvicorn: error: cannot write mypy's cache in ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_missing_import_in_a_module_that_calls_uvicorn(project: Path, cache: Path) -> None:
    # Issue 21, point 1: the missing framework stops nothing (it did: exit 2 for the whole
    # check). The call it decides is not checked, naming it; the other calls are judged.
    (project / "svc.py").write_text(
        "import uvicorn\nfrom not_installed_framework import App\nfrom typer_missing import cli\n"
        "async def asgi(scope, receive, send): ...\n"
        'if __name__ == "__main__":\n'
        "    uvicorn.run(App(), reload=True)\n"
        "    uvicorn.run(asgi, workers=2)\n"
        "    uvicorn.run(App())\n"
    )
    result = check("svc.py", "--output-format", "json", cwd=project, cache=cache)
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1, result.stderr
    assert [(f["line"], f["code"]) for f in found] == [
        (6, "uvicorn-unchecked"),
        (7, "uvicorn-import-string"),
    ]
    assert 'module "not_installed_framework"' in found[0]["message"]
    assert "additional_dependencies" in found[0]["message"]
    assert "typer_missing" not in result.stdout + result.stderr


def test_without_uvicorn_installed(project: Path, cache: Path) -> None:
    # A venv whose only packages are links to those of the test venv, uvicorn left out: the
    # command and the stubs are there, uvicorn is not (a pre-commit hook's environment).
    site = Path(metadata.distribution("mypy").locate_file(""))
    links = project / "links"
    links.mkdir()
    for entry in site.iterdir():
        if entry.name != "uvicorn" and not entry.name.startswith("uvicorn-0"):
            (links / entry.name).symlink_to(entry)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", project / "venv"], check=True)
    python = project / "venv" / "bin" / "python"
    venv_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(venv_site) / "links.pth").write_text(f"{links}\n")
    (project / "svc.py").write_text("import uvicorn\n" + APP + "uvicorn.run(app, reload=True)\n")
    result = run(python, "-m", "mypy_uvicorn", "--cache-dir", cache, "svc.py", cwd=project)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"mypy-uvicorn: error: uvicorn is not installed in {python}")
    assert "additional_dependencies" in result.stderr
    # With a configuration, cold then warm: the same reason (the warm run said mypy finds no
    # "uvicorn" at all: it read the stubs from the cache without their tree).
    (project / "mypy.ini").write_text("[mypy]\nfiles = svc.py\n")
    for _ in ("cold", "warm"):
        again = run(python, "-m", "mypy_uvicorn", "--cache-dir", project / "c", cwd=project)
        assert (again.returncode, again.stderr) == (2, result.stderr)


def test_closed_pipe_is_no_traceback(project: Path, cache: Path) -> None:
    (project / "svc.py").write_text(
        "import uvicorn\n" + APP + 'uvicorn.run("svc.py:app")\nuvicorn.run("svc:ap")\n'
    )
    command = f"{COMMAND} --cache-dir {cache} svc.py | head -n 1"
    result = subprocess.run(
        ["sh", "-c", command], cwd=project, capture_output=True, text=True, env=os.environ
    )
    assert result.stdout.startswith("svc.py:3:1: error: ")
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


@pytest.mark.parametrize("configured", [False, True], ids=["no-config", "mypy.ini"])
def test_a_file_name_that_is_not_utf8_is_named_exit_2(
    tmp_path: Path, cache: Path, configured: bool
) -> None:
    # Issue 21, point 3: mypy's cache cannot hold such a module name (a traceback, exit 1).
    text = "import uvicorn\n" + APP + "uvicorn.run(app, workers=2)\n"
    (tmp_path / "main.py").write_text(text)
    (tmp_path / os.fsdecode(b"bad\xff.py")).write_text(text)
    if configured:
        (tmp_path / "mypy.ini").write_text("[mypy]\n")
    result = check(".", cwd=tmp_path, cache=cache)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "mypy-uvicorn: error: cannot check bad\\xff.py: its name is not"
    )
    # The advice works where it is given.
    if configured:
        (tmp_path / "mypy.ini").write_text("[mypy]\nexclude = bad\n")
        followed = check(".", cwd=tmp_path, cache=cache)
    else:
        followed = check(".", "--", "--exclude", "bad", cwd=tmp_path, cache=cache)
    assert followed.returncode == 1, followed.stderr
    assert [line.split(":")[0] for line in followed.stdout.splitlines()[:-1]] == ["main.py"] * 2


@pytest.mark.parametrize("follow_imports", ["skip", "error"])
def test_uvicorn_is_read_whatever_follow_imports_says(
    tmp_path: Path, cache: Path, follow_imports: str
) -> None:
    # Issue 21, point 3: with skip or error the command said "uvicorn is not installed" (it
    # was): uvicorn.config, which the stubs take Config from, was skipped.
    (tmp_path / "mypy.ini").write_text(f"[mypy]\nfollow_imports = {follow_imports}\n")
    (tmp_path / "solo.py").write_text(
        "import uvicorn\n" + APP + 'if __name__ == "__main__":\n    uvicorn.run(app, reload=True)\n'
        '    uvicorn.Config("solo:app", reload=True)\n'
    )
    result = check("--output-format", "json", "solo.py", cwd=tmp_path, cache=cache)
    assert result.returncode == 1, result.stderr
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(f["line"], f["code"]) for f in found] == [
        (4, "uvicorn-import-string"),
        (5, "uvicorn-config-ignored"),
    ], result.stdout


def test_a_broken_cache_is_named_not_a_traceback(project: Path) -> None:
    # Issue 21, point 3: mypy 2 keeps its cache in SQLite databases; one that is not a database
    # (or cannot be opened or written) stopped the command with a traceback (exit 1). mypy 1's
    # JSON cache stopped it with mypy's "bad cache" error and advice to fix or exclude a file.
    (project / "svc.py").write_text("import uvicorn\n" + APP + "uvicorn.run(app, reload=True)\n")
    cache = project / "broken-cache"
    first = check("svc.py", cwd=project, cache=cache)
    assert first.returncode == 1, first.stderr
    databases = list(cache.rglob("*.db"))
    for file in databases or [f for f in cache.rglob("*.json") if f.is_file()]:
        file.write_bytes(b"not a database")
    result = check("svc.py", cwd=project, cache=cache)
    assert (result.returncode, result.stdout) == (2, "")
    what = "cache database" if databases else "cache"
    assert result.stderr.startswith(f"mypy-uvicorn: error: cannot use mypy's {what} in {cache}:")
    assert result.stderr.endswith("remove that folder, or pass --cache-dir with another\n")


def test_a_file_it_may_not_read_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 21, point 3: a file the command may not read (permissions: these tests run as root
    # here, where chmod denies nothing, so the denial is made at `open`) was left out in
    # silence, though it may call uvicorn. It is named, with exit status 2; a dangling link is
    # no file of the project and is still skipped.
    from mypy_uvicorn.command import cli, discover

    (tmp_path / "svc").mkdir()
    secret = tmp_path / "svc" / "secret.py"
    secret.write_text("import uvicorn\n")
    (tmp_path / "svc" / "gone.py").symlink_to(tmp_path / "nowhere.py")
    real_open = open

    def denying_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(discover, "open", denying_open, raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--cache-dir", str(tmp_path / "cache"), "svc"]) == 2
    assert capsys.readouterr().err == (
        "mypy-uvicorn: error: cannot read svc/secret.py: Permission denied; give the command"
        " access to it, or leave it out (`-- --exclude REGEX`)\n"
    )
