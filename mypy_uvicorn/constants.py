"""The ground floor: uvicorn's names and the tests both the plugin and the command make on them.

Imports nothing (neither mypy nor the rest of the package), so that every other module may
import it: the plugin reads it when mypy starts, the command to select messages.
"""

from __future__ import annotations

import os
from typing import Final

# The callees the plugin hooks, as mypy names them (`uvicorn.run` is re-exported from
# uvicorn.main, `uvicorn.Config` from uvicorn.config).
RUN_FULLNAME: Final = "uvicorn.main.run"
CONFIG_FULLNAME: Final = "uvicorn.config.Config"
# The same callees as a module that imports uvicorn spells them, and their full names: the calls
# whose arguments the stubs and the plugin check (the command reads mypy's errors at them).
CHECKED_CALLS: Final = frozenset({"uvicorn.run", RUN_FULLNAME, "uvicorn.Config", CONFIG_FULLNAME})

# Parameters of uvicorn's `run` and `Config` in every supported release: a project's own package
# named `uvicorn` shadows the real one, and its callees have the same fullnames.
_UVICORNS_OWN: Final = ("factory", "reload_dirs", "ws_max_size")


def is_uvicorn_callee(parameters: list[str | None]) -> bool:
    """Whether a callee named like uvicorn's `run` or `Config` is uvicorn's, by its parameters."""
    return all(name in parameters for name in _UVICORNS_OWN)


def is_module_of(name: str, package: str = "uvicorn") -> bool:
    """Whether the module `name` is `package` or one of its submodules (`uvicorn.main`, not
    `uvicorn_worker`). A plain test, no split: it runs for every import of the program."""
    return name.startswith(package) and (len(name) == len(package) or name[len(package)] == ".")


# The directories whose files are not the program's: a path with one of them as a component.
_TYPESHED, _SITE, _DIST = (
    f"{os.sep}{part}{os.sep}" for part in ("typeshed", "site-packages", "dist-packages")
)


def outside_program(path: str) -> bool:
    """A file of typeshed or of the installed packages, not of the checked program. Asked for
    every module mypy parses: substring tests, no split."""
    marked = f"{os.sep}{path}{os.sep}"
    return _SITE in marked or _TYPESHED in marked or _DIST in marked
