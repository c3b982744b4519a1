"""The stubs as installed from the wheel: stubtest against real uvicorn, and pyright."""

from __future__ import annotations

import functools
import json
import re
import shutil
import sys
import sysconfig
from pathlib import Path

import uvicorn
from harness import ROOT, run

import mypy_uvicorn

SITE = Path(sysconfig.get_paths()["purelib"])
STUBS = SITE / "uvicorn-stubs"
ALLOWLIST = ROOT / "tests" / "stubtest_allowlist.txt"
OLDEST_ALLOWLIST = ROOT / "tests" / "stubtest_allowlist_oldest.txt"
UVICORN = tuple(int(part) for part in uvicorn.__version__.split(".")[:2])
# run() parameters of the stubs (uvicorn 0.54) and the release that added each.
NEWER_PARAMETERS = {
    "timeout_worker_healthcheck": (0, 37),
    "limit_max_requests_jitter": (0, 41),
    "reset_contextvars": (0, 45),
    "ssl_context_factory": (0, 47),
    "http2": (0, 53),
}


def test_installed_as_a_user_gets_it() -> None:
    assert Path(mypy_uvicorn.__file__).parent == SITE / "mypy_uvicorn"
    assert (SITE / "mypy_uvicorn" / "py.typed").exists()
    assert (STUBS / "py.typed").read_text() == "partial\n"
    assert sorted(p.name for p in STUBS.glob("*.pyi")) == ["__init__.pyi", "main.pyi"]


def stubtest(*extra: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = run(
        sys.executable, "-m", "mypy.stubtest", "uvicorn", "--concise",
        "--allowlist", ALLOWLIST, *extra, env=env,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


@functools.cache
def stubtest_of_the_installed_stubs(*extra: str | Path) -> tuple[int, str]:
    """stubtest of the installed stubs; the same command (as the two tests below give it with
    uvicorn 0.54) runs once (the tests of this file run on one worker: tests/conftest.py)."""
    return stubtest(*extra)


# stubtest's report of a stub parameter that uvicorn lacks: mypy 1.15 says "argument" where the
# pinned mypy says "parameter".
MISSING = (
    r'(?m)^uvicorn\.main\.run is inconsistent, runtime does not have (?:parameter|argument) "(\w+)"'
)


# The stubs' one parameter that uvicorn lacks on purpose: `debug` (removed in 0.19), typed so that
# no value fits and the checkers name it. stubtest can only allow the whole of `run`, so the two
# tests below accept exactly this report about it.
STUB_ONLY = {"debug"}


def test_stubtest_passes_against_installed_uvicorn() -> None:
    extra = ["--allowlist", OLDEST_ALLOWLIST] if UVICORN < (0, 54) else []
    status, output = stubtest_of_the_installed_stubs(*extra)
    reports = [line for line in output.splitlines() if line.startswith("uvicorn.")]
    stub_only = [line for line in reports if set(re.findall(MISSING, line)) <= STUB_ONLY]
    assert reports == stub_only, output
    assert status == (1 if reports else 0), output


def test_run_differs_only_by_parameters_newer_than_installed_uvicorn() -> None:
    _, output = stubtest_of_the_installed_stubs()  # without the allowlist for older releases
    missing = set(re.findall(MISSING, output))
    expected = STUB_ONLY | {name for name, since in NEWER_PARAMETERS.items() if since > UVICORN}
    assert missing == expected, output
    other = [
        line for line in output.splitlines()
        if line.startswith("uvicorn.main.run ") and not re.match(MISSING, line)
    ]  # fmt: skip
    assert other == []


def test_stubtest_sees_a_wrong_parameter(tmp_path: Path) -> None:
    # The same stubs with one parameter renamed, first on the search path: stubtest must fail,
    # so the passing run above really compared these stubs with uvicorn.
    broken = tmp_path / "uvicorn"
    shutil.copytree(STUBS, broken)
    main = broken / "main.pyi"
    main.write_text(main.read_text().replace("ws_max_queue:", "ws_max_queues:", 1))
    status, output = stubtest(env={"MYPYPATH": str(tmp_path)})
    assert status == 1
    assert "ws_max_queues" in re.findall(MISSING, output), output


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
