"""`python -m mypy_uvicorn`: real mypy runs over real files, exit codes and output."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT, run

from mypy_uvicorn import messages

APP = "async def app(scope: object, receive: object, send: object) -> None: ...\n"


def check(*args: str | Path, cwd: Path = ROOT) -> tuple[int, list[str]]:
    result = run(sys.executable, "-m", "mypy_uvicorn", *args, cwd=cwd)
    return result.returncode, result.stdout.splitlines()


def test_examples(tmp_path: Path) -> None:
    status, lines = check("examples", "--cache-dir", tmp_path)
    fix = "needs the application as an import string when"
    assert status == 1
    assert sorted(lines[:-1]) == sorted(
        [
            f'examples/main.py:11: error: "uvicorn.run" {fix} "reload" is enabled;'
            ' pass "main:app"  [uvicorn-import-string]',
            f'examples/shop/serve.py:12: error: "uvicorn.run" {fix} "reload" may be enabled;'
            ' pass "shop.app:app"  [uvicorn-import-string]',
            f'examples/shop/serve.py:16: error: "uvicorn.run" {fix} "workers" may be above 1;'
            ' pass "shop.app:app"  [uvicorn-import-string]',
            f'examples/shop/serve.py:21: error: "uvicorn.run" {fix} "workers" is above 1;'
            ' pass "shop.app:create_app" with factory=True  [uvicorn-import-string]',
        ]
    )
    assert lines[-1] == "Found 4 uvicorn findings in 2 files"


def test_seed_compliant_example_is_clean(tmp_path: Path) -> None:
    # The compliant version of examples/main.py, as main.py: its "main:app" names itself.
    # (Beside examples/main.py, "main:app" names that file, which mypy then analyses as an
    # import and reports on.)
    (tmp_path / "main.py").write_text((ROOT / "examples/main_compliant.py").read_text())
    status, lines = check("main.py", "--cache-dir", tmp_path / "cache", cwd=tmp_path)
    assert (status, lines) == (0, ["Success: no uvicorn findings"])


def test_only_own_findings_are_printed(project: Path) -> None:
    (project / "svc.py").write_text(
        "import uvicorn\n" + APP + "x: int = 'not checked here'\nuvicorn.run(app, debug=True)\n"
    )
    status, lines = check("svc.py", cwd=project)
    assert status == 1
    assert lines == [
        f"svc.py:4: error: {messages.DEBUG_UNEXPECTED}  [call-arg]",
        f"svc.py:4: note: {messages.DEBUG_NOTE}",
        "Found 1 uvicorn finding in 1 file",
    ]


def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = run(sys.executable, "-m", "mypy_uvicorn", "nowhere.py", cwd=project)
    assert result.returncode == 2
    assert "no such file or directory: nowhere.py" in result.stderr


def test_no_arguments_is_a_usage_error() -> None:
    result = run(sys.executable, "-m", "mypy_uvicorn")
    assert result.returncode == 2
    assert "usage: mypy-uvicorn" in result.stderr


def test_syntax_error_is_reported_by_mypy_with_status_2(project: Path) -> None:
    (project / "broken.py").write_text("def (:\n")
    result = run(sys.executable, "-m", "mypy_uvicorn", "broken.py", cwd=project)
    assert result.returncode == 2
    assert "broken.py:1: error: " in result.stderr


def test_console_script(project: Path) -> None:
    (project / "ok.py").write_text(
        "import uvicorn\n"
        "async def app(scope: object, receive: object, send: object) -> None: ...\n"
        'if __name__ == "__main__":\n'
        '    uvicorn.run("ok:app", reload=True)\n'
    )
    result = run("mypy-uvicorn", "ok.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "Success: no uvicorn findings\n")


def test_file_path_import_string(project: Path) -> None:
    (project / "svc.py").write_text(
        'import uvicorn\nuvicorn.run("svc.py:app")\nuvicorn.run("src/svc.py:app")\n'
    )
    status, lines = check("svc.py", cwd=project)
    reason = "it takes a dotted module path, not a file"
    assert status == 1
    # svc.py has no "app": "svc:app" would not resolve, so no correction is suggested.
    assert lines == [
        f'svc.py:2: error: Invalid import string "svc.py:app": uvicorn cannot import module'
        f' "svc.py": {reason}  [uvicorn-import-string-invalid]',
        f'svc.py:3: error: Invalid import string "src/svc.py:app": uvicorn cannot import module'
        f' "src/svc.py": {reason}  [uvicorn-import-string-invalid]',
        "Found 2 uvicorn findings in 1 file",
    ]
