"""Which modules of the program a module's literal import strings name, as mypy names them.

An import string is an import that mypy does not see. For every module that imports uvicorn, the
plugin asks mypy to analyse the modules its strings name first (`Plugin.get_additional_deps`),
so that the hook finds them analysed whatever mypy's order of work, whether or not the calling
module imports them, in every mode. The strings are read from the source text: under mypy's
parallel mode the tree mypy hands to `get_additional_deps` holds only the imports. Only strings
where an application string may stand count (`scan`: not a dict's keys and values), and only
modules that exist.

The same function tells the hook which modules it may read (`dependency_names`), and the warm
cache when the answer changed (`fingerprint`): all three are computed from the source text and
the file system, never from what another process or an earlier run learnt.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.constants import outside_program
from mypy_uvicorn.import_strings.text import format_problem, unbound_at_import

if TYPE_CHECKING:
    from mypy.modulefinder import FindModuleCache
    from mypy.nodes import MypyFile
    from mypy.options import Options

# The longest module part, and the longest attribute part, of a string scan() reads unless it
# is made of dotted Python names (a module path of any length: `"a.b.c.deep:app"`).
_LONGEST = 200
# Standard library names: mypy resolves them to typeshed, whatever the program's files are.
STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


class RootFinders:
    """mypy's module search over one root at a time, a finder per root (each caches what it
    listed: the plugin keeps them for the run, and for one module under the daemon)."""

    __slots__ = ("files", "finders", "options")

    def __init__(self, options: Options) -> None:
        self.options = options
        self.finders: dict[str, FindModuleCache] = {}
        self.files: dict[tuple[str, str], str] = {}  # what finds() found, by (root, name)

    def finds(self, root: str, name: str) -> bool:
        """Whether mypy finds `name` under `root` as a source file (never only as a stub:
        uvicorn imports the .py), and would follow an import of it."""
        finder = self.finders.get(root)
        if finder is None:
            finder = mypy_internals.root_finder(root, self.options)
            self.finders[root] = finder
        found = mypy_internals.found_path(finder, name, fast=True)
        if (
            isinstance(found, str)  # a file, not True for "there, but no file" nor a failure
            and found.endswith(".py")
            and os.path.abspath(found).startswith(root + os.sep)
            and mypy_internals.follows_imports_of(self.options, name)
        ):
            self.files[(root, name)] = found
            return True
        return False


def additional_deps(file: MypyFile, finders: RootFinders) -> list[tuple[int, str, int]]:
    """mypy's extra dependencies of a module of the program that imports uvicorn: the modules its
    strings may name, each at the first line that names it (Plugin.get_additional_deps)."""
    path = file.path
    if not path or not path.endswith(".py") or outside_program(path):
        return []
    is_init = _is_init(path)
    deps: list[tuple[int, str, int]] = []
    modules: set[str] = set()
    added: set[str] = {file.fullname}  # never the module itself
    text = _source(path)
    for module, line in scan(text) if text is not None else ():
        if module in modules:
            continue  # the first line that names it is where mypy reports on the dependency
        modules.add(module)
        for name in dependency_names(path, file.fullname, is_init, module, finders):
            if name not in added:
                added.add(name)
                deps.append((mypy_internals.DEPENDENCY_PRIORITY, name, line))
    return deps


def fingerprint(
    module_id: str, path: str | None, finders: Callable[[], RootFinders]
) -> list[list[str]] | None:
    """What the strings of a program module name, for mypy's cache: when a module they name is
    created or deleted, or a name of it stops or starts being bound at import (a change mypy
    does not see in the module's interface: text.py), the cached result of the calling module
    is thrown away (mypy would keep it, and report a deleted dependency as a missing import).
    None for a module whose text does not mention uvicorn: every module get_additional_deps
    gives dependencies to does, in whatever form it imports uvicorn (`import os, uvicorn`
    too)."""
    if not path or not path.endswith(".py") or outside_program(path):
        return None
    text = _source(path)
    if text is None or ("uvicorn" not in text and not _may_pass_strings(text)):
        return None
    is_init = _is_init(path)
    modules = sorted({module for module, _ in scan(text)})
    found = finders()
    root = _root(path, module_id, is_init)
    entries: list[list[str]] = []
    for module in modules:
        names = dependency_names(path, module_id, is_init, module, found)
        unbound = [
            f"{name} does not bind {','.join(sorted(names_unbound))}"
            for name in names
            if (file := found.files.get((root, name))) is not None
            and (names_unbound := unbound_at_import(file))
        ]
        entries.append([module, *names, *unbound])
    return entries


def _may_pass_strings(text: str) -> bool:
    """Whether the text of a module that does not mention uvicorn may still hold a string that
    reaches it (plugin._may_pass_strings reads the same from the tree): an import of a `run` or
    a `Config` (`from runner import run`), or a `Final` bound to a string at module level.
    Substring searches first: this runs on every module of the program."""
    at = text.find("Final")
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        rest = text[at + 5 : at + 200]
        if rest.startswith("["):
            rest = rest.partition("]")[2]
        value = rest.lstrip(" \t")
        if (
            text[line_start : line_start + 1] not in (" ", "\t")
            and value.startswith("=")
            and value[1:].lstrip(" \t")[:1] in _QUOTES
        ):
            return True
        at = text.find("Final", at + 5)
    if not any(mark in text for mark in _IMPORT_MARKS):
        return False
    for line in text.split("\n"):
        if line.startswith("from ") and " import " in line:
            names = line.partition(" import ")[2].partition("#")[0].strip("()\\ ")
            for name in names.split(","):
                if name.split(" as ")[0].strip() in ("run", "Config"):
                    return True
    return False


# Text that a `from ... import` of a `run` or a `Config` has.
_IMPORT_MARKS: Final = ("import run", "import Config", ", run", ", Config", "(run", "(Config")


def may_pass_strings(path: str) -> bool:
    """The source of a module that does not import uvicorn may still hold a string that reaches
    it (read from the text)."""
    text = _source(path)
    return text is not None and _may_pass_strings(text)


def _source(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            return source.read()
    except OSError:
        return None


def scan(text: str) -> list[tuple[str, int]]:
    """The module part of each quoted string that may reach uvicorn as the application, with its
    line; a malformed string is read as its evident correction ("main.py:ap" as "main:ap").

    Read from the text with string methods (parsing the module would cost more than the rest of
    the plugin's work on it): a quoted `"a:b"` counts where an application string stands, after
    `(` (the first argument of a call), `=` (`app=`, or a name bound to it), `if` / `else` (a
    conditional expression), or at the start of a line (an argument on a line of its own), and
    not before a `:` (a dict key). A dict's keys and values and later arguments
    (`scopes={"read:items": ...}`) are no import strings. A superset still (the first argument of
    any call): the hook decides the findings, and a dependency only makes mypy analyse an
    existing module first."""
    found: list[tuple[str, int]] = []
    joined = False  # two literals may be joined: read after the loop (_concatenated)
    ends_quoted = False
    for number, line in enumerate(text.split("\n"), 1):
        if not joined and ('"' in line or "'" in line):
            stripped = line.strip()
            joined = (ends_quoted and stripped[:1] in _QUOTES) or any(
                pair in line for pair in _SAME_LINE_PAIRS
            )
            ends_quoted = stripped[-1:] in _QUOTES
        else:
            ends_quoted = False
        if ":" not in line or ('"' not in line and "'" not in line):
            continue
        for string in _quoted(line):
            problem = format_problem(string)
            if problem is not None:
                if problem.fix is None:
                    continue
                string = problem.fix
            found.append((string.partition(":")[0], number))
    if joined:
        found.extend(_concatenated(text))
    return found


@functools.cache
def _pair() -> re.Pattern[str]:
    """Two string literals with only spaces or line breaks between them, which Python joins
    (`"web" ":app"`, also over lines inside brackets); compiled on first use."""
    return re.compile(r"""(["'])([^"'\n\\]*)\1[ \t]*(?:\n[ \t]*)*(["'])([^"'\n\\]*)\3""")


_QUOTES: Final = ("'", '"')
_SAME_LINE_PAIRS: Final = ('" "', "' '", '"  "', "'  '")


def _concatenated(text: str) -> list[tuple[str, int]]:
    """The module part of each string written as two implicitly joined literals where an
    application string may stand, with the line of the first."""
    found: list[tuple[str, int]] = []
    for match in _pair().finditer(text):
        first, second = match.group(2), match.group(4)
        if ":" in first or ":" not in second:
            continue  # one literal holds the whole form: the line scan reads it
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        after = text[match.end() :].partition("\n")[0]
        if not _in_application_place(text[line_start:start], after):
            continue
        string = first + second
        problem = format_problem(string)
        if problem is not None:
            if problem.fix is None:
                continue
            string = problem.fix
        found.append((string.partition(":")[0], text.count("\n", 0, start) + 1))
    return found


def _quoted(line: str) -> list[str]:
    """The text between two quote characters (either kind, the nearest pair first, left to
    right) that holds a ":" with 1 to 200 characters on each side (any number when both sides
    are dotted Python names), the left side without ":", where an application string may stand
    (scan)."""
    quotes: list[int] = []  # where each quote character is, in order: one pass per kind
    for quote in "\"'":
        at = line.find(quote)
        while at >= 0:
            quotes.append(at)
            at = line.find(quote, at + 1)
    quotes.sort()
    strings: list[str] = []
    i = 0
    while i + 1 < len(quotes):
        start, end = quotes[i], quotes[i + 1]
        body = line[start + 1 : end]
        colon = body.find(":")
        if (0 < colon <= _LONGEST and 0 < len(body) - colon - 1 <= _LONGEST) or (
            0 < colon < len(body) - 1 and body.replace(".", "_").replace(":", "_", 1).isidentifier()
        ):
            if _in_application_place(line[:start], line[end + 1 :]):
                strings.append(body)
            i += 2  # on after the closing quote
        else:
            i += 1  # the closing quote may open the next string
    return strings


def _in_application_place(before: str, after: str) -> bool:
    before = before.rstrip()
    if after.lstrip().startswith(":"):
        return False  # a dict key
    if not before or before.endswith(("(", " if", " else")):
        return True
    # `app=`, `APP = `, `APP: Final = `; not a comparison (`==`, `!=`, `<=`, `>=`).
    return before.endswith("=") and not before.endswith(("==", "!=", "<=", ">="))


def dependency_names(
    path: str,
    fullname: str,
    is_init: bool,
    module: str,
    finders: RootFinders,
) -> list[str]:
    """The modules of the program that the string module `module`, written in the module
    `fullname` (file `path`), may name, as mypy names them; only modules mypy finds.

    uvicorn imports through sys.path: for `python path/to/file.py` it starts with the file's own
    directory, for `python -m pkg.main` with the working directory. From the program's root the
    name is `module`; from the file's directory inside a package `pkg` it is `pkg.module`. A
    module found nowhere gives its parent package instead (uvicorn imports it first, and it
    tells a certainly missing submodule). The modules a suggestion may name are never made
    dependencies: mypy would analyse files nothing imports (verdict.py finds them on disk).
    """
    if not all(part.isidentifier() for part in module.split(".")):
        return []
    if module.partition(".")[0] in STDLIB or fullname == "__main__":
        return []
    root = _root(path, fullname, is_init)
    package = fullname if is_init else fullname.rpartition(".")[0]
    names = [module, f"{package}.{module}"] if package else [module]
    found = [name for name in names if finders.finds(root, name)]
    if found:
        return found
    for name in names:
        parent = name.rpartition(".")[0]
        if parent and finders.finds(root, parent):
            found.append(parent)
    return found


def _root(path: str, fullname: str, is_init: bool) -> str:
    """The directory the module `fullname` (file `path`) is named from."""
    depth = fullname.count(".") + (1 if is_init else 0)
    root = os.path.dirname(os.path.abspath(path))
    for _ in range(depth):
        root = os.path.dirname(root)
    return root


def _is_init(path: str) -> bool:
    return os.path.basename(path).startswith("__init__.")
