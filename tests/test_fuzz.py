"""A fixed-seed sample of the generated call shapes (tests/fuzzing.py): mypy never crashes."""

from __future__ import annotations

from pathlib import Path

from fuzzing import CONTEXTS, Shape, fuzz, run_mypy, shapes, write_project

SAMPLE = 600


def test_sample_of_shapes_never_crashes_mypy(tmp_path: Path) -> None:
    result = fuzz(SAMPLE, seed=20261128, where=tmp_path)
    assert not result.crashed, result.output[-5000:]
    assert result.shapes == SAMPLE
    # The shapes really reach the plugin (findings) and are really varied (other errors too).
    assert result.findings > SAMPLE // 5
    assert result.errors > result.findings


def test_the_sample_covers_every_context() -> None:
    assert {shape.context for shape in shapes(SAMPLE, seed=20261128)} == set(CONTEXTS)


def test_a_crashing_plugin_is_detected(tmp_path: Path) -> None:
    # The detector itself: a plugin that raises inside the hook must count as a crash.
    (tmp_path / "crashing_plugin.py").write_text(
        "from mypy.plugin import Plugin\n"
        "def boom(ctx):\n"
        "    raise RuntimeError('boom')\n"
        "class P(Plugin):\n"
        "    def get_function_hook(self, fullname):\n"
        "        return boom if fullname == 'uvicorn.main.run' else None\n"
        "def plugin(version):\n"
        "    return P\n"
    )
    modules = write_project(tmp_path, [Shape('uvicorn.run("m:app")', "module")])
    result = run_mypy(tmp_path, modules, plugins=str(tmp_path / "crashing_plugin.py"))
    assert result.crashed
    assert "RuntimeError: boom" in result.output
