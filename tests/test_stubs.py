"""The stubs as installed from the wheel: stubtest against real uvicorn, and pyright."""

from __future__ import annotations

import json
import shutil
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT, run

import mypy_uvicorn

SITE = Path(sysconfig.get_paths()["purelib"])
STUBS = SITE / "uvicorn-stubs"
ALLOWLIST = ROOT / "tests" / "stubtest_allowlist.txt"


def test_installed_as_a_user_gets_it() -> None:
    assert Path(mypy_uvicorn.__file__).parent == SITE / "mypy_uvicorn"
    assert (SITE / "mypy_uvicorn" / "py.typed").exists()
    assert (STUBS / "py.typed").read_text() == "partial\n"
    assert sorted(p.name for p in STUBS.glob("*.pyi")) == ["__init__.pyi", "main.pyi"]


def stubtest(*extra: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = run(
        sys.executable, "-m", "mypy.stubtest", "uvicorn", "--concise",
        "--allowlist", ALLOWLIST, *extra, env=env,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def test_stubtest_passes_against_installed_uvicorn() -> None:
    status, output = stubtest()
    assert status == 0, output


def test_stubtest_sees_a_wrong_parameter(tmp_path: Path) -> None:
    # The same stubs with one parameter renamed, first on the search path: stubtest must fail,
    # so the passing run above really compared these stubs with uvicorn.
    broken = tmp_path / "uvicorn"
    shutil.copytree(STUBS, broken)
    main = broken / "main.pyi"
    main.write_text(main.read_text().replace("ws_max_queue:", "ws_max_queues:", 1))
    status, output = stubtest(env={"MYPYPATH": str(tmp_path)})
    assert status == 1
    assert 'uvicorn.main.run is inconsistent, runtime does not have parameter "ws_max_queues"' in (
        output
    )


def pyright(*files: Path, cwd: Path) -> list[dict[str, object]]:
    result = run("pyright", "--outputjson", "--pythonpath", sys.executable, *files, cwd=cwd)
    report = json.loads(result.stdout)
    return [d for d in report["generalDiagnostics"] if d["severity"] == "error"]


def test_pyright_flags_the_seed_example_through_the_stubs(tmp_path: Path) -> None:
    for name in ("main.py", "main_compliant.py"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    errors = pyright(tmp_path / "main.py", tmp_path / "main_compliant.py", cwd=tmp_path)
    lines = {(Path(str(e["file"])).name, e["range"]["start"]["line"] + 1) for e in errors}  # type: ignore[index]
    assert lines == {("main.py", 11)}
    assert any('No overloads for "run"' in str(e["message"]) for e in errors)
