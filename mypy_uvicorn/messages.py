"""Every message text the plugin prints, so tests and the README quote the same words."""

from typing import Final

QUOTED_RUN: Final = '"uvicorn.run"'

RELOAD_ON: Final = '"reload" is enabled'
RELOAD_MAYBE: Final = '"reload" may be enabled'
WORKERS_ON: Final = '"workers" is above 1'
WORKERS_MAYBE: Final = '"workers" may be above 1'

PLACEHOLDER: Final = '"<module>:<attribute>"'
GENERIC_FIX: Final = f"an import string {PLACEHOLDER}"

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
STRING_RELATIVE: Final = (
    'uvicorn cannot import module "{module}": a relative module needs a package, and uvicorn'
    " imports with none (TypeError at start-up); write the module's absolute name"
)

CONFIG_IGNORED: Final = (
    "{what} ignored by uvicorn.Config: Server.run() and Server.serve() never reload"
    " or start worker processes; use uvicorn.run({fix}, {option}) or the uvicorn command"
)
WEB_CONCURRENCY: Final = (
    '"workers" is not given, so uvicorn reads WEB_CONCURRENCY from the environment and exits'
    " at start-up when it is above 1; pass workers=1, or the application as {fix}"
)
RELOAD_OPTIONS: Final = (
    '{names} {verb} no effect while "reload" is off: uvicorn ignores {them};'
    " remove {them}, or enable reload (with an import string)"
)
UNPICKLABLE: Final = (
    '"{option}" is {what}: reload and workers pickle the configuration into new processes,'
    " and this fails with PicklingError; define it at module level"
)


def main_guard_through(function: str, line: int) -> str:
    return (
        f'this call runs whenever its module is imported, through the call of "{function}" on'
        f" line {line}, and the processes that reload and workers start import the main module"
        " again (RuntimeError, or workers respawning in a loop);"
        f' call {function}() under if __name__ == "__main__":'
    )


MAIN_GUARD: Final = (
    "this call runs whenever its module is imported, and the processes that reload and workers"
    " start import the main module again (RuntimeError, or workers respawning in a loop);"
    ' call uvicorn.run under if __name__ == "__main__":'
)
LAMBDA: Final = "a lambda"
NESTED_FUNCTION: Final = "a function defined inside another function"
LOCAL_CLASS: Final = "a class defined inside a function"

NOT_A_FACTORY: Final = (
    "factory=True, but {what} is not a factory: uvicorn calls it with no arguments and exits"
    ' ("Error loading ASGI app factory"); remove factory=True'
)
FACTORY_RETURNS: Final = (
    "factory=True, but the factory {what} does not return an ASGI application"
    " (what it returns is not callable)"
)
FACTORY_NEEDS_ARGUMENTS: Final = (
    "factory=True, but the factory {what} needs arguments: uvicorn calls it with no arguments"
    ' and exits ("Error loading ASGI app factory"); the factory must be callable with no'
    " arguments"
)
NOT_AN_APP: Final = "{what} is not an ASGI application: it is not callable"
FACTORY_WITHOUT_FLAG: Final = (
    "{what} can be called with no arguments: uvicorn calls it as an application factory and logs"
    ' "ASGI app factory detected"; pass factory=True'
)

# The notes the plugin reports (mypy prints a note without its code): the command knows its own
# notes by these texts, a note with a placeholder by the text after it.
NOTES: Final = (DEBUG_NOTE, FACTORY_WITHOUT_FLAG)
OWN_NOTES: Final = tuple(note for note in NOTES if "{" not in note)
OWN_NOTE_ENDINGS: Final = tuple(note.rpartition("}")[2] for note in NOTES if "{" in note)


def arg_type(name: str, given: str, expected: str) -> str:
    """mypy's own words for an argument of the wrong type (`given` and `expected` as mypy
    formats types): the widened signature of uvicorn.run no longer reports `reload` and
    `workers`, so the hooks do."""
    return f'Argument "{name}" to "run" has incompatible type {given}; expected {expected}'


def import_string(triggers: list[str], maybe_object: bool, fix: str) -> str:
    """The message for an application object where uvicorn needs an import string."""
    when = " and ".join(triggers)
    object_part = ', and "app" may be an application object' if maybe_object else ""
    return (
        f"{QUOTED_RUN} needs the application as an import string when {when}{object_part};"
        f" pass {fix}"
    )


def suggested_fix(import_string: str, add_factory: bool) -> str:
    fix = f'"{import_string}"'
    return f"{fix} with factory=True" if add_factory else fix


def shown(text: str) -> str:
    """`text` with its control characters escaped as in Python source (`\\n`, `\\x1b`): a literal
    import string may hold any character, and a message must stay one line of mypy's output."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def invalid_import_string(target: str, reason: str, fix: str | None) -> str:
    suggestion = f'; pass "{fix}"' if fix else ""
    return shown(f'Invalid import string "{target}": {reason}{suggestion}')


_INSTALL: Final = (
    "install it where mypy runs (with pre-commit: additional_dependencies of the hook)"
)


def unchecked_value(
    what: str,
    module: str,
    *,
    not_followed: bool = False,
    file: str | None = None,
    searched: tuple[str, ...] = (),
) -> str:
    """A call decided by a value typed `Any` because mypy could not import `module`: installed
    or in the program but not followed, a file of the program mypy does not find from where it
    looks (`file`), or found nowhere (`searched`: the roots of the program looked in)."""
    if not_followed:
        return shown(
            f'Not checked: {what} comes from module "{module}", which mypy does not follow'
            " (installed without type information, or left out by follow_imports): set"
            " follow_untyped_imports = True or install its stubs (or follow it) to check this call"
        )
    if file is not None:
        return shown(
            f'Not checked: {what} comes from module "{module}", a file of the program ({file})'
            " that mypy does not find where it looks for modules: add the folder it is imported"
            " from to mypy_path (or check from that folder) to check this call"
        )
    return shown(
        f'Not checked: {what} comes from module "{module}", found in no root of the program'
        f" ({_roots(searched)}) and not installed where mypy looks; {_INSTALL} to check this call"
    )


def _roots(roots: tuple[str, ...]) -> str:
    return ", ".join(roots[:_SHOWN_ROOTS]) + ", ..." * (len(roots) > _SHOWN_ROOTS)


# How many roots a message names.
_SHOWN_ROOTS: Final = 4


def unchecked_string(target: str, package: str, roots: tuple[str, ...]) -> str:
    """A literal import string whose package neither the program (looked for in `roots`) nor
    the environment has."""
    return shown(
        f'Not checked: "{target}" names package "{package}", found in no root of the program'
        f" ({_roots(roots)}) and not installed where mypy looks; {_INSTALL} to check this call"
    )


def _quoted_list(names: list[str] | tuple[str, ...]) -> str:
    quoted = [f'"{name}"' for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def config_ignored(names: list[str], fix: str, option: str) -> str:
    what = _quoted_list(names) + (" is" if len(names) == 1 else " are")
    return shown(CONFIG_IGNORED.format(what=what, fix=fix, option=option))


def web_concurrency(fix: str) -> str:
    return WEB_CONCURRENCY.format(fix=fix)


def reload_options(names: tuple[str, ...]) -> str:
    single = len(names) == 1
    return RELOAD_OPTIONS.format(
        names=_quoted_list(names), verb="has" if single else "have", them="it" if single else "them"
    )


def unpicklable(option: str, what: str) -> str:
    return UNPICKLABLE.format(option=option, what=what)


def not_a_factory(what: str) -> str:
    return NOT_A_FACTORY.format(what=what)


def factory_returns_no_app(what: str) -> str:
    return FACTORY_RETURNS.format(what=what)


def factory_needs_arguments(what: str) -> str:
    return FACTORY_NEEDS_ARGUMENTS.format(what=what)


def not_an_app(what: str) -> str:
    return NOT_AN_APP.format(what=what)


def factory_without_flag(what: str) -> str:
    return FACTORY_WITHOUT_FLAG.format(what=what)
