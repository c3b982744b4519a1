"""The uvicorn installed where mypy looks for packages: the plugin follows its release (`debug=`
before 0.19), and the command says when it is older than the releases the findings are tested
against. Read from the environment mypy checks (`python_executable`: the project's, not
necessarily the one mypy-uvicorn runs in)."""

from __future__ import annotations

import os
import re
from typing import Final

# The oldest and newest uvicorn releases the findings are tested against (.ci/run's matrix).
OLDEST_TESTED: Final = (0, 30)
NEWEST_TESTED: Final = (0, 54)
# The release that removed `debug=` (before it, `debug=True` reloads an import string).
DEBUG_REMOVED_IN: Final = (0, 19)

_VERSION: Final = re.compile(r"""^__version__\s*=\s*["']([0-9]+(?:\.[0-9]+)*)""", re.MULTILINE)


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
        found = _VERSION.search(text)
        return tuple(int(part) for part in found[1].split(".")) if found else None
    return None


def shown(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))
