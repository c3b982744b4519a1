"""Every error code the plugin reports, as the rule book names them. Imports nothing from mypy:
plugin.py gives each one its mypy ErrorCode."""

from __future__ import annotations

from typing import Final


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
