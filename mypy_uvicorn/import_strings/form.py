"""uvicorn's import strings, "<module>:<attribute>", checked the way uvicorn's importer reads them.

uvicorn splits at the first ":", imports the left side with importlib and walks the right side
with getattr, one dotted name at a time; both sides must be non-empty and nothing is stripped.
Imports nothing from mypy.
"""

from __future__ import annotations

import functools


class Problem:
    __slots__ = ("fix", "names", "reason")

    def __init__(self, reason: str, fix: str | None = None, *, names: bool = False) -> None:
        self.reason = reason  # what uvicorn does with the string at start-up
        self.fix = fix  # a string that passes these checks, when one can be derived
        # Only a side is not a dotted Python name; uvicorn still imports a module file of any
        # name ("my-app:app" from my-app.py): the readers decide.
        self.names = names


@functools.lru_cache(maxsize=512)
def format_problem(target: str) -> Problem | None:
    """Why uvicorn would fail to import `target`, or None when its form is valid (kept for the
    strings seen last: one string is read for the facts and again by the rules)."""
    module, sep, attrs = target.partition(":")
    if sep and _dotted(module) and _dotted(attrs) and not module.endswith(".py"):
        return None  # the usual string: the texts (messages.py) are imported for a problem
    from mypy_uvicorn import messages

    if "".join(target.split()) != target:  # any whitespace
        return Problem(messages.STRING_WHITESPACE, _valid("".join(target.split())))
    if not sep or not module or not attrs:
        return Problem(messages.STRING_FORMAT.format(target=target))
    if module.endswith(".py") or "/" in module or "\\" in module:
        # Only "main.py" has an obvious module name; for "src/pkg/main.py" it depends on the
        # directory uvicorn starts in (or app_dir=), so no string is guessed.
        fix = None if "/" in module or "\\" in module else _valid(f"{module[:-3]}:{attrs}")
        return Problem(messages.STRING_FILE_PATH.format(module=module), fix)
    if module.startswith("."):
        # importlib.import_module(".main") raises TypeError: uvicorn passes no package. The
        # absolute name depends on the package the caller meant, so none is guessed.
        return Problem(messages.STRING_RELATIVE.format(module=module))
    if attrs.endswith("()"):
        return Problem(messages.STRING_CALL, _valid(f"{module}:{attrs[:-2]}"))
    if not _dotted(module) or not _dotted(attrs):
        return Problem(messages.STRING_NAMES.format(target=target), names=_dotted(attrs))
    return None


def _dotted(path: str) -> bool:
    return all(part.isidentifier() for part in path.split("."))


def _valid(candidate: str) -> str | None:
    module, sep, attrs = candidate.partition(":")
    return candidate if sep and _dotted(module) and _dotted(attrs) else None


def closest(name: str, candidates: list[str], count: int) -> list[str]:
    """The candidates closest to `name`, best first (difflib's ratio of at least 0.6): what a
    correction of a module, a sibling file or an attribute is chosen from."""
    import difflib

    return difflib.get_close_matches(name, candidates, n=count, cutoff=0.6)
