"""Every message text the plugin prints, so tests and the README quote the same words."""

from typing import Final

RUN: Final = '"uvicorn.run"'

RELOAD_ON: Final = '"reload" is enabled'
RELOAD_MAYBE: Final = '"reload" may be enabled'
WORKERS_ON: Final = '"workers" is above 1'
WORKERS_MAYBE: Final = '"workers" may be above 1'

GENERIC_FIX: Final = 'an import string "<module>:<attribute>"'

RELOAD_WORKERS: Final = (
    '"workers" is ignored when "reload" is enabled: uvicorn starts one reloading process;'
    " use reload for development or workers for production, not both"
)

DEBUG_UNEXPECTED: Final = 'Unexpected keyword argument "debug" for "run"'
DEBUG_NOTE: Final = (
    '"debug" was removed in uvicorn 0.19; for auto-reload pass the application'
    ' as an import string with reload=True, e.g. run("main:app", reload=True)'
)

STRING_WHITESPACE: Final = "uvicorn does not strip whitespace from import strings"
STRING_FORMAT: Final = (
    'uvicorn exits with: Import string "{target}" must be in format "<module>:<attribute>"'
)
STRING_FILE_PATH: Final = (
    'uvicorn cannot import module "{module}": it takes a dotted module path, not a file'
)
STRING_CALL: Final = (
    "uvicorn looks the attribute up by name and does not call it; a factory needs factory=True"
)
STRING_NAMES: Final = 'uvicorn cannot import "{target}": both sides must be dotted Python names'

# Notes the command-line runner recognises as this project's own.
OWN_NOTES: Final = (DEBUG_NOTE,)


def import_string(triggers: list[str], maybe_object: bool, fix: str) -> str:
    """The message for an application object where uvicorn needs an import string."""
    when = " and ".join(triggers)
    object_part = ', and "app" may be an application object' if maybe_object else ""
    return f"{RUN} needs the application as an import string when {when}{object_part}; pass {fix}"


def suggested_fix(import_string: str, add_factory: bool) -> str:
    fix = f'"{import_string}"'
    return f"{fix} with factory=True" if add_factory else fix


def invalid_import_string(target: str, reason: str, fix: str | None) -> str:
    suggestion = f'; pass "{fix}"' if fix else ""
    return f'Invalid import string "{target}": {reason}{suggestion}'
