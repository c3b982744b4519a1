"""uvicorn itself is the oracle: for every literal combination of application kind, reload,
workers and factory, the plugin reports `uvicorn-import-string` exactly when uvicorn 0.54 exits.

uvicorn's side: build `uvicorn.Config` the way `uvicorn.run` does and evaluate run's own exit
condition (`(config.reload or config.workers > 1) and not isinstance(app, str)`), without starting
a server. The plugin's side: one mypy run over a module that makes every call once, one per line.
"""

from __future__ import annotations

import itertools
import re

import pytest
import uvicorn
from harness import mypy, stdout_stderr

APPS = {
    # name in the generated module -> (expression, the object uvicorn would get)
    "import string": ('"main:app"', "main:app"),
    "FastAPI object": ("fastapi_app", object()),
    "ASGI function": ("asgi", object()),
    "factory": ("create_app", object()),
}
ABSENT = object()
RELOADS = [ABSENT, True, False, 1, 0, "", None]
WORKERS = [ABSENT, None, -1, 0, 1, 2, 8]
FACTORIES = [ABSENT, True]

HEADER = """\
from fastapi import FastAPI
import uvicorn

fastapi_app = FastAPI()

async def asgi(scope: object, receive: object, send: object) -> None: ...

def create_app() -> FastAPI:
    return FastAPI()

"""

Combination = tuple[str, object, object, object]


def combinations() -> list[Combination]:
    return list(itertools.product(APPS, RELOADS, WORKERS, FACTORIES))


def call_source(app: str, reload: object, workers: object, factory: object) -> str:
    arguments = [APPS[app][0]]
    for name, value in (("reload", reload), ("workers", workers), ("factory", factory)):
        if value is not ABSENT:
            arguments.append(f"{name}={value!r}")
    return f"uvicorn.run({', '.join(arguments)})"


def uvicorn_exits(app: str, reload: object, workers: object, factory: object) -> bool:
    options = {
        name: value
        for name, value in (("reload", reload), ("workers", workers), ("factory", factory))
        if value is not ABSENT
    }
    target = APPS[app][1]
    config = uvicorn.Config(target, **options)  # type: ignore[arg-type]
    # uvicorn/main.py, run(): the condition under which it logs the error and exits.
    return bool((config.reload or config.workers > 1) and not isinstance(target, str))


@pytest.fixture(scope="module")
def plugin_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    project = tmp_path_factory.mktemp("oracle")
    lines = [call_source(*c) for c in combinations()]
    (project / "main.py").write_text(HEADER + "\n".join(lines) + "\n")
    (project / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    result = mypy("--no-incremental", "--show-error-codes", "main.py", cwd=project)
    assert result.returncode in (0, 1), stdout_stderr(result)
    first = HEADER.count("\n") + 1
    found: dict[int, str] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"main\.py:(\d+): error: .*\[(uvicorn-import-string)\]$", line)
        if match:
            found[int(match[1]) - first] = match[2]
    return found


def test_plugin_agrees_with_uvicorn_on_every_combination(
    plugin_findings: dict[int, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    disagreements = []
    exits = 0
    for index, combination in enumerate(combinations()):
        expected = uvicorn_exits(*combination)
        exits += expected
        if expected != (index in plugin_findings):
            disagreements.append((call_source(*combination), expected))
    assert disagreements == []
    assert len(combinations()) == 392
    # Both verdicts occur often: the comparison is not one-sided.
    assert 100 < exits < 300
