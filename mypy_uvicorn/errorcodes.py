"""Every error code this plugin reports: one ErrorCode object per code string."""

from typing import Final

from mypy.errorcodes import ErrorCode

IMPORT_STRING: Final = ErrorCode(
    "uvicorn-import-string",
    "uvicorn.run needs an import string when reload or workers start new processes",
    "uvicorn",
)
RELOAD_WORKERS: Final = ErrorCode(
    "uvicorn-reload-workers",
    "uvicorn.run ignores workers when reload is enabled",
    "uvicorn",
)

IMPORT_STRING_INVALID: Final = ErrorCode(
    "uvicorn-import-string-invalid",
    "an import string uvicorn cannot import",
    "uvicorn",
)

CONFIG_IGNORED: Final = ErrorCode(
    "uvicorn-config-ignored",
    "uvicorn.Config with Server.run() or serve() never reloads or starts workers",
    "uvicorn",
)
RELOAD_OPTIONS: Final = ErrorCode(
    "uvicorn-reload-options",
    "reload_dirs, reload_includes, reload_excludes or reload_delay while reload is off",
    "uvicorn",
)
UNPICKLABLE: Final = ErrorCode(
    "uvicorn-unpicklable",
    "an option that cannot be pickled into the processes that reload and workers start",
    "uvicorn",
)
MAIN_GUARD: Final = ErrorCode(
    "uvicorn-main-guard",
    'uvicorn.run with reload or workers outside if __name__ == "__main__"',
    "uvicorn",
)
FACTORY: Final = ErrorCode(
    "uvicorn-factory",
    "factory=True on something that is not a factory, or an application that is not callable",
    "uvicorn",
)
# Off by default: most deployments never set WEB_CONCURRENCY. Enable it with mypy's
# enable_error_code (mypy 1.19+) or the plugin setting `web_concurrency = true`, which reports
# through WEB_CONCURRENCY_ON (the same code, on by default; mypy compares codes by name).
WEB_CONCURRENCY_ON: Final = ErrorCode(
    "uvicorn-web-concurrency",
    "an application object without workers: WEB_CONCURRENCY above 1 makes uvicorn exit",
    "uvicorn",
)
WEB_CONCURRENCY: Final = ErrorCode(
    WEB_CONCURRENCY_ON.code, WEB_CONCURRENCY_ON.description, "uvicorn", default_enabled=False
)

ALL: Final = (
    IMPORT_STRING,
    RELOAD_WORKERS,
    IMPORT_STRING_INVALID,
    CONFIG_IGNORED,
    RELOAD_OPTIONS,
    UNPICKLABLE,
    MAIN_GUARD,
    FACTORY,
    WEB_CONCURRENCY,
)


def by_name(*, web_concurrency: bool) -> dict[str, ErrorCode]:
    """Code string -> the ErrorCode to report it with, under the plugin's settings."""
    codes = {code.code: code for code in ALL}
    if web_concurrency:
        codes[WEB_CONCURRENCY.code] = WEB_CONCURRENCY_ON
    return codes
