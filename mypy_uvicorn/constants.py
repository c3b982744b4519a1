"""The ground floor: uvicorn's names and the tests both the plugin and the command make on them,
the release of the uvicorn installed where mypy looks for packages, and every error code the
plugin reports (`constants.IMPORT_STRING`, ...).

Imports nothing at its own import (neither mypy nor the rest of the package), so that every
other module may import it: the plugin reads it when mypy starts, the command to select messages.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Final

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


def toml() -> Any:
    # The TOML reader of the plugin's settings and of a project's pyproject.toml: imported only
    # for one (mypy itself loads it only then, and the import costs more than the rest of the
    # plugin's start-up).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # mypy itself depends on tomli before Python 3.11
        import tomli as tomllib
    return tomllib


# Set by the command while it runs mypy from another folder than the one it was started in (a
# root's own folder): the folder it was started in, where `python -m` may start the program, is
# one of the roots the plugin looks for an import string's module in (import_strings/roots.py).
LAUNCH_DIR_VARIABLE: Final = "MYPY_UVICORN_LAUNCH_DIR"


# --- the installed uvicorn: the plugin follows its release (`debug=` before 0.19), the command
# says when it is older than the releases the findings are tested against. Read from the
# environment mypy checks (`python_executable`: the project's, not necessarily mypy-uvicorn's).

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


# --- every error code the plugin reports, as the rule book names them (`constants.MAIN_GUARD`):
# the rules use these, so a misspelt code is a type error. plugin.py gives each one its mypy
# ErrorCode; the command knows the project's errors by them. Always named `constants.X`:
# messages.py has texts of the same names.


class Code:
    """One error code: what `# type: ignore[...]` and `disable_error_code` name."""

    __slots__ = ("default_enabled", "description", "name")

    def __init__(self, name: str, description: str, *, default_enabled: bool = True) -> None:
        self.name = name
        self.description = description
        self.default_enabled = default_enabled

    def __repr__(self) -> str:
        return f"Code({self.name!r})"


IMPORT_STRING: Final = Code(
    "uvicorn-import-string",
    "uvicorn.run needs an import string when reload or workers start new processes",
)
RELOAD_WORKERS: Final = Code(
    "uvicorn-reload-workers",
    "uvicorn.run ignores workers when reload is enabled",
)
IMPORT_STRING_INVALID: Final = Code(
    "uvicorn-import-string-invalid",
    "an import string uvicorn cannot import",
)
CONFIG_IGNORED: Final = Code(
    "uvicorn-config-ignored",
    "uvicorn.Config with Server.run() or serve() never reloads or starts workers",
)
RELOAD_OPTIONS: Final = Code(
    "uvicorn-reload-options",
    "reload_dirs, reload_includes, reload_excludes or reload_delay while reload is off",
)
UNPICKLABLE: Final = Code(
    "uvicorn-unpicklable",
    "an option that cannot be pickled into the processes that reload and workers start",
)
MAIN_GUARD: Final = Code(
    "uvicorn-main-guard",
    'uvicorn.run with reload or workers outside if __name__ == "__main__"',
)
FACTORY: Final = Code(
    "uvicorn-factory",
    "factory=True on something that is not a factory, or an application that is not callable",
)
UNCHECKED: Final = Code(
    "uvicorn-unchecked",
    "a uvicorn call not checked: what decides it comes from a module mypy cannot read",
)
# Off by default: most deployments never set WEB_CONCURRENCY (see plugin.py for the two ways
# to turn it on).
WEB_CONCURRENCY: Final = Code(
    "uvicorn-web-concurrency",
    "an application object without workers: WEB_CONCURRENCY above 1 makes uvicorn exit",
    default_enabled=False,
)

OWN: Final = (
    IMPORT_STRING,
    RELOAD_WORKERS,
    IMPORT_STRING_INVALID,
    CONFIG_IGNORED,
    RELOAD_OPTIONS,
    UNPICKLABLE,
    MAIN_GUARD,
    FACTORY,
    UNCHECKED,
    WEB_CONCURRENCY,
)

# mypy's own code for an argument of the wrong type: the hooks report `reload` and `workers`
# type errors that the widened signature of uvicorn.run no longer lets mypy report itself.
ARG_TYPE: Final = Code("arg-type", "mypy's own code for an argument of the wrong type")
