"""The plugin in mypy's other modes: a warm incremental cache, parallel checking (`-n 2`) and the
daemon (dmypy), each giving the same findings as a cold serial run."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import Daemon, parallel_mode, starts_with, stdout_stderr
from harness import errors as findings
from harness import mypy as run_mypy

GUARD = 'if __name__ == "__main__":\n    '
MODULES = {
    "web.py": "import uvicorn\n"
    "async def app(scope: object, receive: object, send: object) -> None: ...\n",
    "serve.py": f"import uvicorn\nfrom web import app\n{GUARD}uvicorn.run(app, reload=False)\n",
    "prod.py": f"import uvicorn\nfrom web import app\n{GUARD}uvicorn.run(app, workers=4)\n",
    "config.py": 'import uvicorn\nimport web\nuvicorn.Config("web:app", reload=True)\n',
    "clean.py": f'import uvicorn\nimport web\n{GUARD}uvicorn.run("web:app", reload=True)\n',
}
FILES = sorted(MODULES)
PROD = 'prod.py:4: error: "uvicorn.run" needs the application as an import string when "workers"'
SERVE = 'serve.py:4: error: "uvicorn.run" needs the application as an import string when "reload"'
CONFIG = 'config.py:3: error: "reload" is ignored by uvicorn.Config'


@pytest.fixture
def checked(tmp_path: Path) -> Path:
    for name, text in MODULES.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    return tmp_path


def mypy(project: Path, *args: str) -> tuple[int, str]:
    result = run_mypy(*args, *FILES, cwd=project)
    return result.returncode, stdout_stderr(result)


def test_cold_run_finds_both(checked: Path) -> None:
    status, output = mypy(checked, "--no-incremental")
    assert status == 1
    assert starts_with(findings(output), [CONFIG, PROD])


def test_warm_cache_same_findings_nothing_rechecked(checked: Path) -> None:
    cold_status, cold = mypy(checked)
    warm_status, warm = mypy(checked, "--verbose")
    assert (cold_status, warm_status) == (1, 1)
    assert findings(warm) == findings(cold)
    log = warm.splitlines()
    # Older mypy (1.15 among them) keeps no cache for a module with errors, and checks it again on
    # every run; every mypy caches the modules without findings.
    uncached = {name for name in FILES if f"LOG:  Metadata not found for {name[:-3]}" in log}
    assert uncached <= {"config.py", "prod.py"}, uncached
    # The plugin's report_config_data is stable: every cached module comes from the cache.
    for name in set(FILES) - uncached:
        assert f"Metadata fresh for {name[:-3]}: file {name}" in warm
    stale = [line for line in log if "stale" in line.lower()]
    assert all(any(f"({name[:-3]})" in line for name in uncached) for line in stale), stale


@pytest.mark.skipif(not parallel_mode(), reason="this mypy has no parallel mode (-n)")
def test_parallel_mode_same_findings(checked: Path) -> None:
    _, serial = mypy(checked, "--no-incremental")
    status, parallel = mypy(checked, "--no-incremental", "-n", "2")
    assert status == 1, parallel
    assert findings(parallel) == findings(serial)


def test_daemon_follows_an_edit(checked: Path) -> None:
    dmypy = Daemon(checked)

    assert "Daemon started" in dmypy("start", "--", "--config-file", "mypy.ini")
    try:
        assert starts_with(findings(dmypy("check", *FILES)), [CONFIG, PROD])
        serve = checked / "serve.py"
        serve.write_text(serve.read_text().replace("reload=False", "reload=True"))
        assert starts_with(findings(dmypy("check", *FILES)), [CONFIG, PROD, SERVE])
        serve.write_text(serve.read_text().replace("reload=True", "reload=False"))
        assert starts_with(findings(dmypy("check", *FILES)), [CONFIG, PROD])
    finally:
        dmypy("stop")
