"""The uvicorn installed where mypy looks for packages: the plugin follows its release (`debug=`
before 0.19), and the command says when it is older than the releases the findings are tested
against. Read from the environment mypy checks (`python_executable`: the project's, not
necessarily the one mypy-uvicorn runs in)."""

from __future__ import annotations

import os
from typing import Final

# The oldest and newest uvicorn releases the findings are tested against (.ci/run's matrix).
OLDEST_TESTED: Final = (0, 30)
NEWEST_TESTED: Final = (0, 54)
# The release that removed `debug=` (before it, `debug=True` reloads an import string).
DEBUG_REMOVED_IN: Final = (0, 19)


def uvicorn_release(python_executable: str | None) -> tuple[int, ...] | None:
    """The release of the uvicorn in the site-packages of `python_executable` (mypy's own way to
    find them, `mypy.modulefinder.get_search_dirs`), read from its `uvicorn/__init__.py`
    (`__version__ = "0.16.0"` in every release); None when there is none or it cannot be read."""
    try:
        from mypy.modulefinder import get_search_dirs

        _, site_packages = get_search_dirs(python_executable)
    except Exception:  # mypy's internals changed, or the interpreter could not be asked
        return None
    for folder in site_packages:
        try:
            with open(os.path.join(folder, "uvicorn", "__init__.py"), encoding="utf-8") as file:
                text = file.read(4096)
        except (OSError, UnicodeDecodeError):
            continue
        return _version_of(text)
    return None


def _version_of(text: str) -> tuple[int, ...] | None:
    """The numbers of `__version__ = "0.16.0"` (a line of its own), each part's leading digits,
    up to the first part with anything else (`"0.20.0rc1"` gives (0, 20, 0)). No regular
    expression: this runs at every mypy start, and compiling one costs more than the rest."""
    for line in text.splitlines():
        name, equals, value = line.partition("=")
        if name.strip() != "__version__" or not equals:
            continue
        value = value.strip().strip("\"'")
        numbers: list[int] = []
        for part in value.split("."):
            digits = part[: len(part) - len(part.lstrip("0123456789"))]
            if not digits:
                break
            numbers.append(int(digits))
            if digits != part:
                break
        return tuple(numbers) or None
    return None


def shown(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))
