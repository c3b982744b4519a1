"""mypy-uvicorn: a mypy plugin that reports uvicorn start-up crashes as type errors."""

from mypy.plugin import Plugin

from mypy_uvicorn.plugin import UvicornPlugin

__all__ = ["UvicornPlugin", "plugin"]


def plugin(version: str) -> type[Plugin]:
    # Only the stable plugin API is used, so every supported mypy version gets the same class.
    return UvicornPlugin
