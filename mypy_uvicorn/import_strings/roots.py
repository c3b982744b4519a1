"""The files a module name gives from each root a launch could put on `sys.path`.

uvicorn imports through `sys.path` as the process has it: for `python path/to/main.py` that
starts with the script's own directory, for `python -m pkg.main` with the working directory.
A module of an import string is one file only when every root that has it gives the same file,
and certainly missing only when no root has it and mypy's own search does not find it either.
"""

from __future__ import annotations

import configparser
import importlib.machinery
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from mypy.plugin import CheckerPluginInterface

from mypy_uvicorn import mypy_internals
from mypy_uvicorn.constants import LAUNCH_DIR_VARIABLE, outside_program, toml
from mypy_uvicorn.import_strings.dependencies import STDLIB
from mypy_uvicorn.import_strings.text import closest
from mypy_uvicorn.state import ProgramValues, State

if TYPE_CHECKING:
    from mypy.modulefinder import SearchPaths


class Roots:
    """The roots of one module being checked, and what each gives (`api` and `state` held for
    the call being read)."""

    __slots__ = ("api", "state")

    def __init__(self, api: CheckerPluginInterface, state: State) -> None:
        self.api = api
        self.state = state

    def module_files(self, module_name: str) -> set[str]:
        """The files (real paths) `module_name` imports from each root a launch could give
        uvicorn: the calling file's own directory (`python path/to/file.py`), the working
        directory (`python -m`), the program's roots, and mypy's own search (installed
        packages)."""
        api, state = self.api, self.state
        values = state.module(api)
        cached = values.module_files.get(module_name)
        if cached is not None:
            return cached
        roots = self._launch_roots()
        files: set[str] = set()
        program = state.program(api)
        for root in roots:
            in_root = _module_file(program, root, module_name)
            if in_root is not None:
                files.add(real_path(program, in_root))
        if all(part.isidentifier() for part in module_name.split(".")):
            found = self._installed_file(module_name, program)
            if found is True:
                files.add(_UNKNOWN_FILE)  # the search could not run: somewhere, not known where
            elif found:
                files.add(real_path(program, found))
        values.module_files[module_name] = files
        return files

    def file_exists(self, module_name: str) -> bool:
        """Whether some root has a file Python imports as `module_name` (any file name)."""
        return bool(self.module_files(module_name))

    def missing(self, module_name: str) -> bool:
        """Whether uvicorn certainly cannot import the module, from any root.

        A submodule of a package of the program is looked for beside the package: certain. Any
        other module is missing when no root has it and mypy's own search does not find it
        either, and is reported only where mypy would report an import of it
        (ignore_missing_imports)."""
        api = self.api
        if self.module_files(module_name):
            return False
        parent_name, _, last = module_name.rpartition(".")
        if parent_name:
            parent = mypy_internals.get_module(api, parent_name)
            if (
                parent is not None
                and parent.path
                and parent.is_package_init_file()
                and not outside_program(parent.path)
            ):
                return not _on_disk(os.path.dirname(parent.path), last)
        if mypy_internals.ignores_missing_imports(api.options, module_name):
            return False
        return not self._found_by_mypy(module_name, self.roots())

    def roots(self) -> list[str]:
        """The directories the program's modules are imported from, and the working
        directory."""
        values = self.state.program(self.api)
        if values.roots is None:
            values.roots = _program_roots(self.api)
        return values.roots

    def close_on_disk(self, module_name: str) -> list[tuple[str, str]]:
        """Modules spelt like `module_name` beside where it would be, as (name, file), from
        each root a launch could give: the files a suggestion may name, whether mypy analysed
        them or not. Only for a string certainly missing (a listing per root, and a close-name
        search)."""
        parent, _, last = module_name.rpartition(".")
        program = self.state.program(self.api)
        found: list[tuple[str, str]] = []
        for root in dict.fromkeys(self._launch_roots()):
            directory = os.path.join(root, *parent.split(".")) if parent else root
            try:
                entries = os.listdir(directory)
            except OSError:
                continue
            names = {entry.partition(".")[0] for entry in entries}
            modules = [name for name in names if name.isidentifier() and name != "__init__"]
            for close in closest(last, modules, 3):
                name = f"{parent}.{close}" if parent else close
                file = _module_file(program, root, name)
                if file is not None and (name, file) not in found:
                    found.append((name, file))
        return found

    def shown_roots(self) -> list[str]:
        """The roots a launch could give, as a message shows them: from the working
        directory."""
        return [os.path.relpath(root) for root in dict.fromkeys(self._launch_roots())]

    def _launch_roots(self) -> list[str]:
        """The calling file's own directory (`python path/to/file.py`), then the roots."""
        roots = list(self.roots())
        tree = mypy_internals.current_tree(self.api)
        if tree is not None and tree.path:
            roots.insert(0, os.path.dirname(os.path.abspath(tree.path)))
        return roots

    def program_modules(self) -> list[str]:
        """The modules mypy read from the checked program (not typeshed, not installed
        packages)."""
        values = self.state.program(self.api)
        if values.modules is None:
            values.modules = program_modules(self.api)
        return values.modules

    def _installed_file(self, module_name: str, program: ProgramValues) -> str | bool:
        """The file an import of `module_name` finds beyond the program's roots, where mypy's
        own search looks (mypy_path, then the installed packages of the target Python); False
        when none has it, True when the search cannot run. The working directory is one of the
        roots: a module there does not hide an installed one of the same name (a script started
        from another directory imports the installed one).

        A standard library name is left to mypy's own search (typeshed), which is what mypy
        resolves it to; any other name is looked up in the directory listings, as Python's path
        finder would: mypy's full search would list typeshed for every name (most of the
        plugin's cost in a program with one uvicorn call)."""
        if module_name.partition(".")[0] in STDLIB:
            return self._found_by_mypy(module_name, ())
        try:
            paths = self._search_paths(())
        except Exception:  # an internal API: on any change, say nothing rather than guess
            return True
        for directory in (*paths.mypy_path, *paths.package_path):
            found = _module_file(program, directory, module_name)
            if found is not None:
                return found
        return False

    def _found_by_mypy(self, name: str, roots: Sequence[str]) -> str | bool:
        """The file mypy's own module search finds for `name` from `roots` and the installed
        packages (False when none); True when the search cannot run (it is one of the internals
        the plugin reads)."""
        api, state = self.api, self.state
        try:
            key = (str(api.options.python_executable), *roots)
            finders = state.module(api).finders
            finder = finders.get(key)
            if finder is None:
                paths = self._search_paths(roots)
                versions = state.stdlib_versions(api.options)
                finder = finders[key] = mypy_internals.module_finder(api, paths, versions)
            return mypy_internals.found_path(finder, name)
        except Exception:  # an internal API: on any change, say nothing rather than guess
            return True

    def _search_paths(self, roots: Sequence[str]) -> SearchPaths:
        api = self.api
        key = (str(api.options.python_executable), *roots)
        search_paths = self.state.session(api).search_paths
        paths = search_paths.get(key)
        if paths is None:
            paths = search_paths[key] = mypy_internals.module_search_paths(api, roots)
        return paths


_UNKNOWN_FILE = "<unknown>"


def real_path(values: ProgramValues, path: str) -> str:
    real = values.real_paths.get(path)
    if real is None:
        real = values.real_paths[path] = os.path.realpath(path)
    return real


def _module_file(values: ProgramValues, root: str, module_name: str) -> str | None:
    """What Python's path finder imports `module_name` from under `root`: a package, a file of
    any suffix it loads (extension modules, source, bytecode), whatever its name (importlib
    imports "my-app" from my-app.py), or else a namespace directory: a folder without
    `__init__.py` beside `app.py` does not hide the module (the finder takes a namespace
    portion only when no file of that name is there)."""
    *packages, last = module_name.split(".")
    directory = os.path.join(root, *packages)
    entries = values.listings.get(directory)
    if entries is None:
        try:
            entries = values.listings[directory] = os.listdir(directory)
        except OSError:
            entries = values.listings[directory] = []
    namespace = None
    if last in entries and os.path.isdir(os.path.join(directory, last)):
        init = os.path.join(directory, last, "__init__.py")
        if os.path.exists(init):
            return init
        namespace = os.path.join(directory, last)
    for suffix in _SUFFIXES:
        if last + suffix in entries:
            return os.path.join(directory, last + suffix)
    # An extension module built for another platform or Python ("app.cp312-win_amd64.pyd")
    # where the program is deployed.
    prefix = last + "."
    for entry in entries:
        if entry.startswith(prefix) and entry.endswith(_EXTENSIONS):
            return os.path.join(directory, entry)
    return namespace


# What Python's path finder loads, in its order, and extension modules of every platform.
_SUFFIXES = tuple(importlib.machinery.all_suffixes())


_EXTENSIONS = (".so", ".pyd")


def _on_disk(directory: str, name: str) -> bool:
    if os.path.isdir(os.path.join(directory, name)):
        return True
    try:
        entries = os.listdir(directory)
    except OSError:
        return True
    return any(entry.split(".", 1)[0] == name for entry in entries)


def program_modules(api: CheckerPluginInterface) -> list[str]:
    """The modules mypy read from the checked program (not typeshed, not installed packages)."""
    modules = mypy_internals.all_modules(api)
    return sorted(
        name
        for name, module in modules.items()
        if module.path and not module.is_stub and not outside_program(module.path)
    )


def launch_dirs() -> list[str]:
    """The working directory, and the folder the command was started in."""
    folders = [os.getcwd()]
    started_in = os.environ.get(LAUNCH_DIR_VARIABLE)
    if started_in and os.path.isdir(started_in) and started_in not in folders:
        folders.append(started_in)
    return folders


# Where a project's packaging is looked for, from the folder the program is started in up.
_PACKAGING: Final = ("pyproject.toml", "setup.cfg", "setup.py")
_PROJECT_DEPTH: Final = 4


def _project_of(folder: str) -> str | None:
    """The nearest folder from `folder` up (a few levels, not past a repository's top) that holds
    packaging files: the project whose packages are installed (started from `scripts/`, the
    project is the folder above)."""
    for _ in range(_PROJECT_DEPTH):
        if any(os.path.isfile(os.path.join(folder, name)) for name in _PACKAGING):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder or os.path.exists(os.path.join(folder, ".git")):
            return None
        folder = parent
    return None


def _program_roots(api: CheckerPluginInterface) -> list[str]:
    """The directories the program's modules are imported from (as program_modules tells them),
    the working directory (and the folder the command was started in), and the folders their
    project installs its own packages from (`src/`, the packaging's declared folders). One path
    computation per directory and package depth: a program has many modules in few
    directories."""
    roots = set()
    for folder in launch_dirs():
        roots.add(folder)
        project = _project_of(folder)
        if project is not None:
            roots.update(package_folders(project))
    seen: set[tuple[str, int]] = set()
    for name, module in mypy_internals.all_modules(api).items():
        path = module.path
        if not path or module.is_stub or outside_program(path):
            continue
        depth = name.count(".") + (1 if module.is_package_init_file() else 0)
        key = (path.rpartition(os.sep)[0], depth)
        if key in seen:
            continue
        seen.add(key)
        root = os.path.dirname(os.path.abspath(path))
        for _ in range(depth):
            root = os.path.dirname(root)
        roots.add(root)
    return sorted(roots)


# --- the folders a project installs its own packages from: `src/`, and those its packaging
# declares. An installed package of the project (`pip install -e .` in the image) is imported from
# there by uvicorn wherever it is started, so a string naming it is looked for there too. Read
# from the project's files, never by importing anything: pyproject.toml (setuptools
# `package-dir` and `packages.find.where`, hatch `packages`, poetry `packages`), setup.cfg
# (`package_dir`, `packages.find` `where`) and setup.py (a `package_dir={"": "src"}` literal).
# (Here, not in a module of its own: each module the plugin imports costs every mypy run.)

# A pattern, compiled only for a project with a setup.py: compiling one at import would cost
# every mypy run more than the rest of this module.
_SETUP_PY_PACKAGE_DIR: Final = r"""package_dir\s*=\s*\{\s*["']{2}\s*:\s*["']([^"']+)"""


def package_folders(project: str) -> list[str]:
    """The folders under `project` (a directory) that the project's packages are installed
    from: what its packaging declares, and `src/` when it holds a package."""
    declared: list[str] = []
    declared += _from_pyproject(os.path.join(project, "pyproject.toml"))
    declared += _from_setup_cfg(os.path.join(project, "setup.cfg"))
    declared += _from_setup_py(os.path.join(project, "setup.py"))
    src = os.path.join(project, "src")
    if os.path.isdir(src):
        declared.append("src")
    found: list[str] = []
    for relative in declared:
        folder = os.path.normpath(os.path.join(project, relative))
        inside = folder == project or folder.startswith(project + os.sep)
        if inside and folder != project and os.path.isdir(folder) and folder not in found:
            found.append(folder)
    return found


def _toml(text: bytes) -> dict[str, Any]:
    try:
        data = toml().loads(text.decode("utf-8"))
    except ValueError:  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        return {}
    return data if isinstance(data, dict) else {}


def _table(data: object, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


# A pyproject.toml without one of these declares no folder: it is not parsed (loading a TOML
# parser costs more than the rest of the plugin's start-up).
_DECLARING: Final = (b"package-dir", b"where", b"packages", b"sources")


def _from_pyproject(path: str) -> list[str]:
    try:
        with open(path, "rb") as handle:
            text = handle.read()
    except OSError:
        return []
    if not any(key in text for key in _DECLARING):
        return []
    data = _toml(text)
    folders: list[str] = []
    setuptools = _table(data, "tool", "setuptools")
    package_dir = _table(setuptools, "package-dir")
    if isinstance(package_dir, dict):
        folders += _strings(package_dir.get(""))
    folders += _strings(_table(setuptools, "packages", "find", "where"))
    # hatch: `packages = ["src/shop"]` installs the folder's package from its parent folder.
    for target in ("wheel", "sdist"):
        for package in _strings(
            _table(data, "tool", "hatch", "build", "targets", target, "packages")
        ):
            folders.append(os.path.dirname(package.rstrip("/")) or ".")
        # hatch: `sources = {"lib" = ""}` (or `["lib"]`) installs the folder's contents.
        sources = _table(data, "tool", "hatch", "build", "targets", target, "sources")
        if isinstance(sources, dict):
            folders += [folder for folder, prefix in sources.items() if prefix == ""]
        folders += _strings(sources)
    # poetry: `packages = [{ include = "shop", from = "src" }]`.
    poetry = _table(data, "tool", "poetry", "packages")
    for entry in poetry if isinstance(poetry, list) else []:
        if isinstance(entry, dict):
            folders += _strings(entry.get("from"))
    # pdm: `package-dir = "lib"`.
    folders += _strings(_table(data, "tool", "pdm", "build", "package-dir"))
    return folders


def _from_setup_cfg(path: str) -> list[str]:
    if not os.path.isfile(path):
        return []
    parser = configparser.RawConfigParser()
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return []
    folders: list[str] = []
    if parser.has_option("options", "package_dir"):
        # `package_dir =\n    = src`: the entry for the empty name.
        for line in parser.get("options", "package_dir").splitlines():
            name, equals, folder = line.partition("=")
            if equals and not name.strip() and folder.strip():
                folders.append(folder.strip())
    if parser.has_option("options.packages.find", "where"):
        folders += parser.get("options.packages.find", "where").split()
    return folders


def _from_setup_py(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return []
    if "package_dir" not in text:
        return []
    return re.findall(_SETUP_PY_PACKAGE_DIR, text)
