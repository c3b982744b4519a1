"""Fixtures, and how the suite shares out its work between pytest-xdist's workers.

`-n auto --dist loadgroup` (pyproject.toml) hands out the tests one at a time, except:

- the tests of a file in SHARED_FILES go to one worker together: they share a session or module
  fixture that is expensive to make (every checker's runs, a warm mypy cache);
- the pytest-mypy-plugins cases (tests/typecheck) with the same `mypy_config` of their own go to
  one worker together, and use a mypy cache of their own (`pytest_itemcollected`): the options are
  part of each module's cache entry, so such a case in the shared cache made mypy re-check every
  module it reads, and the next case with the common configuration re-checked them all again.

The groups are made here (`pytest_xdist_make_scheduler`) from the node ids: xdist's own
`xdist_group` marker renames items, which pytest 9.2's items no longer allow. The longest tests
start first (EARLY), so that no worker is left with one of them while the other idles.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_mypy_plugins.item import YamlTestItem

TESTS = Path(__file__).resolve().parent
SHARED_FILES = (
    "tests/test_checkers.py",  # `cases`: every checker, with the stubs and without them
    "tests/test_cli.py",  # `cache`: the command's mypy cache
    "tests/test_cli_layouts.py",  # `cache`, the same
    "tests/test_ignores.py",  # `caches`: one mypy cache per set of options
    "tests/test_stubs.py",  # stubtest of the installed stubs, run once for two tests
    # `env`: one PRE_COMMIT_HOME, so the two hooks with the same dependencies share one
    # environment (pre-commit installs it once).
    "tests/test_precommit.py",
)
# The files whose tests take longest (installs from the package index, every checker, the
# upgrade's wheel builds, stubtest), first in the queue, in this order; the rest keep their order.
EARLY = (
    "test_precommit.py",
    "test_checkers.py",
    "test_upgrade.py",
    "test_fuzz.py",
    "test_stubs.py",
    "test_oracle.py",
    "test_cli.py",
)


def config_key(mypy_config: str) -> str:
    return hashlib.sha256(mypy_config.strip().encode()).hexdigest()[:12]


@functools.cache
def case_configs(path: Path) -> dict[str, str]:
    """{case name: key of its own mypy_config} of a pytest-mypy-plugins file."""
    cases = yaml.safe_load(path.read_text()) or []
    return {
        case["case"]: config_key(case["mypy_config"]) for case in cases if case.get("mypy_config")
    }


def group(nodeid: str) -> str | None:
    """The group of tests that one worker runs together, or None for a test alone."""
    path, _, name = nodeid.partition("::")
    if path in SHARED_FILES:
        return path
    if path.startswith("tests/typecheck/") and path.endswith(".yml"):
        key = case_configs(TESTS.parent / path).get(name.split("[", 1)[0])
        return f"mypy-config-{key}" if key else None
    return None


@pytest.hookimpl(optionalhook=True)  # an xdist hook
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Scheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group(nodeid) or super()._split_scope(nodeid)

    return Scheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-mypy-plugins keeps its mypy cache (and the cases' working directories) under
    # --mypy-testing-base, by default the temporary directory: shared by every checkout and
    # every test venv, and so by two runs at once. One base per test venv instead (a venv has
    # one Python, one mypy, one uvicorn); it persists, so a second run starts warm.
    if config.option.mypy_testing_base == tempfile.gettempdir():
        venv = hashlib.sha256(sys.prefix.encode()).hexdigest()[:12]
        base = Path(tempfile.gettempdir()) / "mypy-uvicorn-cases" / venv
        base.mkdir(parents=True, exist_ok=True)
        config.option.mypy_testing_base = str(base)


def pytest_itemcollected(item: pytest.Item) -> None:
    if isinstance(item, YamlTestItem) and item.additional_mypy_config.strip():
        key = config_key(item.additional_mypy_config)
        item.incremental_cache_dir = os.path.join(item.incremental_cache_dir, key)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return EARLY.index(name) if name in EARLY else len(EARLY)

    items.sort(key=rank)  # stable: within a file, the order of the file


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty directory to write a small checked program into."""
    return tmp_path
