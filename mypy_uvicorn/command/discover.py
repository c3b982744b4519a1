"""Without a mypy configuration: the modules that call uvicorn, named so that none collide.

mypy maps every file it is given to one module name and stops on the first clash (two
`main.py` of two services, a stale `build/lib` copy, a folder without `__init__.py`). The
command only needs the modules that import uvicorn, so it finds those, names each from its own
root (the first folder up that is not a package), and checks each root in a build of its own,
where the modules they import are found from that root, as Python finds them at run time.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

from mypy import build as mypy_build
from mypy.modulefinder import BuildSource

from mypy_uvicorn.command import calls

# Folders that hold no code of the project: mypy's own crawl skips the first three and hidden
# ones; build/ and dist/ hold copies of it (a stale `build/lib` is the common clash).
SKIPPED: Final = frozenset({"__pycache__", "site-packages", "node_modules", "build", "dist"})

# A file or folder of these names on the search path stops mypy ("shadows library module"):
# it needs them from typeshed before it reads any module.
_CORE: Final = frozenset(
    name.partition(".")[0] for name in getattr(mypy_build, "CORE_BUILTIN_MODULES", ())
) | {"builtins", "typing", "types", "typing_extensions", "abc", "sys", "collections"}


class Unreadable(Exception):
    """A file to look into that the command may not read: (path, reason)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason


@dataclass
class Root:
    """A folder from which modules are named, and the modules of it that call uvicorn."""

    path: str
    modules: dict[str, str] = field(default_factory=dict)  # module name -> file


def find(paths: Sequence[str], exclude: Sequence[str] = ()) -> list[Root]:
    """The roots of the modules that import uvicorn under `paths` (a named file always counts).

    `exclude`: mypy's `--exclude` regular expressions, as mypy applies them to what it finds
    in a folder: searched in each path relative to the working directory, with `/` between
    parts and after a folder's name."""
    patterns = [re.compile(pattern) for pattern in exclude]
    roots: dict[str, Root] = {}
    for path in paths:
        if os.path.isfile(path):
            files: Iterable[str] = [os.path.abspath(path)]
        else:
            files = _callers(path, patterns)
        for file in files:
            named = _module_of(file)
            if named is not None:
                root, module = named
                roots.setdefault(root, Root(root)).modules.setdefault(module, file)
    return sorted(roots.values(), key=lambda root: root.path)


def _callers(directory: str, exclude: Sequence[re.Pattern[str]] = ()) -> list[str]:
    """The files under `directory` that import uvicorn, then those that import its `run` or
    `Config` from one of them (`from runner import run`, where runner.py re-exports it)."""

    def excluded(path: str, folder: bool) -> bool:
        shown = os.path.relpath(path).replace(os.sep, "/") + ("/" if folder else "")
        return any(pattern.search(shown) for pattern in exclude)

    importers: list[str] = []
    others: dict[str, bytes] = {}
    for folder, subfolders, names in os.walk(os.path.abspath(directory)):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in SKIPPED
            and not name.startswith(".")
            and not os.path.exists(os.path.join(folder, name, "pyvenv.cfg"))
            and not excluded(os.path.join(folder, name), folder=True)
        )
        for name in sorted(names):
            if name.endswith(".py"):
                file = os.path.join(folder, name)
                if excluded(file, folder=False):
                    continue
                try:
                    with open(file, "rb") as handle:
                        source = handle.read()
                except PermissionError as error:
                    # It may call uvicorn: never left out in silence.
                    raise Unreadable(file, error.strerror or str(error)) from None
                except OSError:
                    continue  # gone meanwhile, a dangling link: not a file of the project
                found = calls.read(source)
                if found is None or found.imports_uvicorn:
                    importers.append(file)
                elif b"run" in source or b"Config" in source:
                    others[file] = source
    stems = {_stem_of(file) for file in importers}
    return importers + [file for file, source in others.items() if _imports_from(source, stems)]


def _source(file: str) -> bytes | None:
    try:
        with open(file, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _stem_of(file: str) -> str:
    folder, name = os.path.split(file)
    return os.path.basename(folder) if name == "__init__.py" else _stem(name)


def _imports_from(source: bytes, stems: set[str]) -> bool:
    """Whether the source imports `run` or `Config` from a module whose last name is one of
    `stems` (a module of the tree that imports uvicorn)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").rpartition(".")[2] in stems
        and any(alias.name in ("run", "Config") for alias in node.names)
        for node in ast.walk(tree)
    )


def _module_of(file: str) -> tuple[str, str] | None:
    """(root, module name): the first folder up that is not a package, unless the module's own
    imports say it is run from elsewhere (see _root_from_imports)."""
    folder, name = os.path.split(file)
    parts = [] if name == "__init__.py" else [name.removesuffix(".py")]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        package = os.path.basename(folder)
        if not package.isidentifier():
            break
        parts.insert(0, package)
        folder = os.path.dirname(folder)
    if not parts:
        return None
    folder, parts = _root_from_imports(file, folder, parts)
    return folder, ".".join(parts)


# How many folders up a module's imports may move its root.
_IMPORT_DEPTH: Final = 4


def _root_from_imports(file: str, folder: str, parts: list[str]) -> tuple[str, list[str]]:
    """The root a module's own absolute imports tell. `app/main.py` (no `__init__.py`) that
    imports `app.config`, with `app/config.py` there, is run as `python -m app.main` from the
    folder above `app/`. A package's `__main__.py` that imports a sibling as a top-level module
    (`from main import app`) is run as `python FOLDER`: its own folder is the root."""
    heads = _absolute_imports(file)
    if not heads:
        return folder, parts
    own = os.path.dirname(file)
    if parts[-1] == "__main__" and len(parts) > 1:
        for head, rest in heads:
            if not rest and _on_disk_under(own, [head]) and head != parts[0]:
                return own, ["__main__"]
    current, above = folder, list(parts)
    for _ in range(_IMPORT_DEPTH):
        name = os.path.basename(current)
        parent = os.path.dirname(current)
        if not name.isidentifier() or parent == current:
            break
        above.insert(0, name)
        if any(head == name and rest and _on_disk_under(current, rest) for head, rest in heads):
            return parent, above
        current = parent
    return folder, parts


def _absolute_imports(file: str) -> list[tuple[str, list[str]]]:
    """Each absolute import of the file as (first name, the names after it)."""
    source = _source(file)
    if source is None:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            # `from app import config` may import the submodule app.config.
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    parted = (name.partition(".") for name in names)
    return [(head, rest.split(".") if rest else []) for head, _, rest in parted]


def _on_disk_under(folder: str, names: list[str]) -> bool:
    """Whether `folder` has the module `names` as a file or a folder."""
    path = os.path.join(folder, *names)
    return os.path.isdir(path) or os.path.isfile(path + ".py")


@contextmanager
def search_folder(root: Root, cache_dir: str | None = None) -> Iterator[str]:
    """The folder mypy runs in and searches modules from for this root: the root itself, or,
    when it holds a `types.py` or the like, a folder of links to everything else in it.

    That folder is the same in every run (under `cache_dir`, named from the root's path): mypy's
    cache names each module by its path, and a new folder each run made a warm run read the
    modules an import string names from a folder that was gone (the finding was lost)."""
    entries = os.listdir(root.path)
    if not any(_stem(entry) in _CORE for entry in entries):
        yield root.path
        return
    if cache_dir is None or cache_dir == os.devnull:
        with tempfile.TemporaryDirectory(prefix="mypy-uvicorn-") as links:
            _link(root.path, entries, links)
            yield links
        return
    name = hashlib.sha256(os.fsencode(root.path)).hexdigest()[:16]
    links = os.path.join(cache_dir, "search-folders", name)
    os.makedirs(links, exist_ok=True)
    for entry in os.listdir(links):  # the links of the last run: the folder may have changed
        if os.path.islink(os.path.join(links, entry)):
            os.unlink(os.path.join(links, entry))
    _link(root.path, entries, links)
    yield links


def _link(folder: str, entries: list[str], links: str) -> None:
    for entry in entries:
        if _stem(entry) not in _CORE:
            os.symlink(os.path.join(folder, entry), os.path.join(links, entry))


def _stem(entry: str) -> str:
    for suffix in (".py", ".pyi"):
        if entry.endswith(suffix):
            return entry.removesuffix(suffix)
    return entry


def sources(root: Root, folder: str) -> list[BuildSource]:
    return [
        BuildSource(path, module, base_dir=folder) for module, path in sorted(root.modules.items())
    ]
