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

BY_NAME: Final[dict[str, ErrorCode]] = {
    code.code: code for code in (IMPORT_STRING, RELOAD_WORKERS, IMPORT_STRING_INVALID)
}
