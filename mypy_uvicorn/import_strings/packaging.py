"""The folders a project installs its own packages from: `src/`, and those its packaging
declares. An installed package of the project (`pip install -e .` in the image) is imported
from there by uvicorn wherever it is started, so a string naming it is looked for there too.

Read from the project's files, never by importing anything: pyproject.toml (setuptools
`package-dir` and `packages.find.where`, hatch `packages`, poetry `packages`), setup.cfg
(`package_dir`, `packages.find` `where`) and setup.py (a `package_dir={"": "src"}` literal).
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from collections.abc import Iterable
from typing import Any, Final

_SETUP_PY_PACKAGE_DIR: Final = re.compile(r"""package_dir\s*=\s*\{\s*["']{2}\s*:\s*["']([^"']+)""")


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
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # mypy itself depends on tomli before Python 3.11
        import tomli as tomllib
    try:
        data = tomllib.loads(text.decode("utf-8"))
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
_DECLARING: Final = (b"package-dir", b"where", b"packages")


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
    # poetry: `packages = [{ include = "shop", from = "src" }]`.
    poetry = _table(data, "tool", "poetry", "packages")
    for entry in poetry if isinstance(poetry, list) else []:
        if isinstance(entry, dict):
            folders += _strings(entry.get("from"))
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
    return _SETUP_PY_PACKAGE_DIR.findall(text)
