"""The files of other modules whose unannotated factories a module's uvicorn calls read, for mypy's
cache.

`app = create_app()` with `def create_app(): return App()` in backend/app.py: what the call gets is
read from backend/app.py's source (returns.py), which mypy's cache of the calling module knows
nothing of. An edit of the function's body leaves backend.app's interface as it was, so a warm run
would keep the caller's cached result. The plugin's data for the caller's cache entry therefore
holds a digest of each such file (Plugin.report_config_data): mypy writes it with the caller's
entry and, on the next run, compares it with the digest of the file as it is then. Which files
to digest is a note the plugin keeps beside mypy's cache, one per calling module, written when the
call is read: when mypy asks whether the entry is still good, the caller has not been read yet.
The files are the factory's module and the modules of the classes it was found to return. No
note, no cost: a module that reads no other module's factory has none, and a run without a cache
(`--cache-dir=/dev/null`) writes none.
"""

from __future__ import annotations

import hashlib
import json
import os

from mypy.options import Options

_FOLDER = "mypy_uvicorn-factories"


def record(options: Options, module: str, files: dict[str, str]) -> None:
    """Add `files` ({module: path}) to the note of `module`, at once: mypy writes a module's
    cache entry after its module level is checked and before its function bodies are, so the
    note of a call in a function is read by the next run. A note only grows (a file no longer
    read costs at most a check of the calling module when it changes)."""
    folder = _folder(options)
    if folder is None:
        return
    note = os.path.join(folder, f"{module}.json")
    known = _read_note(note) or {}
    if all(known.get(name) == path for name, path in files.items()):
        return
    _write_note(folder, note, {**known, **files})


def cache_data(options: Options, module: str) -> list[list[str]] | None:
    """[[module, digest of its file]] for each file the note of `module` names, or None for no
    note: the same when mypy writes the entry and when it asks whether it is still good."""
    folder = _folder(options)
    if folder is None:
        return None
    files = _read_note(os.path.join(folder, f"{module}.json"))
    if not files:
        return None
    return [[name, _digest(path)] for name, path in sorted(files.items())]


def _folder(options: Options) -> str | None:
    if options.cache_dir == os.devnull or options.bazel:
        return None
    major, minor = options.python_version
    return os.path.join(options.cache_dir, f"{major}.{minor}", _FOLDER)


def _read_note(note: str) -> dict[str, str] | None:
    try:
        with open(note, encoding="utf-8") as handle:
            value = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    return {str(name): str(path) for name, path in value.items()}


def _write_note(folder: str, note: str, read: dict[str, str]) -> None:
    # Written whole, then renamed: in mypy's parallel mode another process may read it.
    partial = f"{note}.{os.getpid()}"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(read, handle, sort_keys=True)
        os.replace(partial, note)
    except OSError:
        pass  # a cache that cannot be written: mypy reports its own failure to write there


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:16]
    except OSError:
        return ""  # gone: differs from any digest of a file
