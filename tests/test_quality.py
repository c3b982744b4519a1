"""The plugin holds itself to what it asks of others: mypy --strict and ruff."""

from __future__ import annotations

import sys

from harness import ROOT, mypy, run


def test_plugin_passes_mypy_strict() -> None:
    # pyproject.toml's [tool.mypy]: strict, with mypy.plugins.proper_plugin.
    result = mypy("--config-file", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_clean() -> None:
    for command in (["check"], ["format", "--check"]):
        result = run(sys.executable, "-m", "ruff", *command, ".")
        assert result.returncode == 0, result.stdout + result.stderr
