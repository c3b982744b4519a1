"""mypy-uvicorn: a mypy plugin that reports uvicorn start-up crashes as type errors."""

from mypy.plugin import Plugin

from mypy_uvicorn.plugin import UvicornPlugin

__all__ = ["UvicornPlugin", "__version__", "plugin"]

# The release number, declared here only (pyproject.toml reads it for the wheel): mypy fingerprints
# its cache with this module's hash and `__version__`, so a new release re-checks a warm cache
# even when only the other modules changed. A literal rather than importlib.metadata, which would
# add its import to every mypy start.
__version__ = "0.1.0"


def plugin(version: str) -> type[Plugin]:
    # The few mypy internals the plugin reads are probed with fallbacks (mypy_internals.py), so
    # every supported mypy version gets the same class.
    return UvicornPlugin
