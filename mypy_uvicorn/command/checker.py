"""One mypy run for the command: the options it adds, the build, and what stops a check.

mypy is driven through `mypy.main.process_options` (which finds and reads the configuration
exactly as the `mypy` command does) and `mypy.build.build`, which hands over each message as
one string, so a message is never split at a newline inside it.
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mypy import build as mypy_build
from mypy.errors import CompileError
from mypy.main import process_options
from mypy.modulefinder import BuildSource
from mypy.options import Options

from mypy_uvicorn.command.mypy_messages import Message, parse
from mypy_uvicorn.constants import is_module_of

PLUGIN = "mypy_uvicorn"


class CannotCheck(Exception):
    """The check cannot mean anything: the text says why and what to do (exit status 2).

    An empty text: the reason is already on stderr (the plugin's settings stop mypy that way).
    """


class Blocked(CannotCheck):
    """mypy stopped on a blocking error; the text is that error and its notes. `module`: the
    module it is in, when mypy says; `imported`: that module is not one the command gave mypy
    (a checked module imports it, so leaving its file out of the check does not help)."""

    def __init__(self, text: str, module: str | None = None, imported: bool = False) -> None:
        super().__init__(text)
        self.module = module
        self.imported = imported


def read_options(mypy_args: Sequence[str]) -> tuple[list[BuildSource], Options]:
    """Sources and options as `mypy ARGS` would have them (configuration file included)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        sources, options = process_options(
            list(mypy_args), stdout=stdout, stderr=stderr, require_targets=False
        )
    except SystemExit:
        # mypy's usage and configuration errors; its text ends in the line that matters.
        text = (stderr.getvalue() + stdout.getvalue()).strip().splitlines()
        raise CannotCheck(text[-1] if text else "mypy cannot read its options") from None
    sys.stderr.write(stderr.getvalue())  # warnings about the configuration, as mypy shows them
    return sources, options


def for_this_run(options: Options, cache_dir: str) -> Options:
    """The command's additions on top of the user's options, and the output it reads."""
    if PLUGIN not in options.plugins:
        options.plugins = [*options.plugins, PLUGIN]
    # mypy calls no plugin hook in a function without annotations unless this is on.
    options.check_untyped_defs = True
    options.show_column_numbers = True
    options.show_error_end = True
    options.hide_error_codes = False
    options.show_error_context = False
    options.show_absolute_path = True
    options.pretty = False
    options.color_output = False
    options.error_summary = False
    options.output = None
    options.junit_xml = None
    options.report_dirs = {}
    options.cache_dir = cache_dir
    # uvicorn itself is read whatever `follow_imports` says: with skip or error, the runtime
    # module the stubs take `Config` from (uvicorn.config) would be Any, and uvicorn would look
    # not installed. Its own errors stay silent.
    for pattern in ("uvicorn", "uvicorn.*"):
        section = options.per_module_options.setdefault(pattern, {})
        section["follow_imports"] = "silent"
    options.build_per_module_cache()
    return options


@contextmanager
def plugin_loaded(options: Options) -> Iterator[None]:
    """Without a configuration file, one that names the plugin: mypy loads plugins only from
    a configuration file."""
    if options.config_file is not None:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="mypy-uvicorn-") as folder:
        options.config_file = os.path.join(folder, "mypy.ini")
        with open(options.config_file, "w", encoding="utf-8") as config:
            config.write(f"[mypy]\nplugins = {PLUGIN}\n")
        try:
            yield
        finally:
            options.config_file = None


def ensure_writable(cache_dir: str) -> None:
    if cache_dir == os.devnull:  # mypy's own way to write no cache
        return
    try:
        os.makedirs(cache_dir, exist_ok=True)
        with tempfile.TemporaryFile(dir=cache_dir):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise CannotCheck(
            f"cannot write mypy's cache in {cache_dir}: {reason}; "
            "pass --cache-dir with a writable directory"
        ) from None


@dataclass(frozen=True)
class Build:
    messages: list[Message]
    # Each module mypy read, with its file.
    files: dict[str, str]
    # The modules imported somewhere that mypy did not find (or was told to skip).
    missing: frozenset[str]


def build(sources: list[BuildSource], options: Options, *, forget: bool = False) -> Build:
    """Run mypy. `forget`: leave nothing of the sources in the cache (see `_forget`)."""
    batches: list[list[str]] = []

    def flush(_file: str | None, new_messages: list[str], _serious: bool) -> None:
        batches.append(new_messages)

    try:
        result = mypy_build.build(
            sources, options, flush_errors=flush, stdout=io.StringIO(), stderr=io.StringIO()
        )
    except CompileError as error:
        # mypy hands the blocking error over last, with what it had not flushed yet.
        module = error.module_with_blocker
        given = {source.module for source in sources}
        imported = module is not None and module not in given
        texts = batches[-1] if batches else []
        bad_cache = [text for text in texts if "you likely have a bad cache" in text]
        if bad_cache:  # mypy 1's JSON cache: a file it cannot read
            reason = bad_cache[0].partition(": error: ")[2].partition(";")[0] or bad_cache[0]
            raise CannotCheck(
                f"cannot use mypy's cache in {options.cache_dir}: {reason}; remove that folder,"
                " or pass --cache-dir with another"
            ) from None
        text = _blocking_error(_of_module(texts, module))
        raise Blocked(text, module, imported) from None
    except SystemExit:
        raise CannotCheck("") from None
    except OSError as error:
        raise CannotCheck(f"mypy cannot run: {error}") from None
    except sqlite3.Error as error:
        # mypy 2's cache database: not a database, not writable, or locked.
        raise CannotCheck(
            f"cannot use mypy's cache database in {options.cache_dir}: {error}; remove that"
            " folder, or pass --cache-dir with another"
        ) from None
    try:
        # From the graph, not the trees: a warm run holds no tree of some fresh modules (the
        # uvicorn stubs were then "not found" on the second run without uvicorn).
        files = {name: state.path for name, state in result.graph.items() if state.path}
        files.update((name, tree.path) for name, tree in result.files.items() if tree.path)
        missing = frozenset(name for state in result.graph.values() for name in state.suppressed)
        if forget:
            _forget(sources, result.manager)
    finally:
        metastore = getattr(result.manager, "metastore", None)
        close = getattr(metastore, "close", None)
        if close is not None:  # mypy 2 keeps its cache in a database it closes itself
            close()
    found = [message for batch in batches for text in batch if (message := parse(text))]
    return Build(found, files, missing)


def _forget(sources: list[BuildSource], manager: mypy_build.BuildManager) -> None:
    # mypy 2 keeps a module's errors in its cache and replays them, with the file they were
    # found in, for a module of the same name and the same text: the `main.py` of another
    # service would get the first one's findings. The modules that call uvicorn are few and
    # checked again each run; what they import stays cached (read silently: no errors kept).
    for source in sources:
        if source.module and source.path:
            meta, data, _ = mypy_build.get_cache_names(source.module, source.path, manager.options)
            for name in (meta, data):
                # Never written: mypy 1 keeps no cache for a module with errors.
                with contextlib.suppress(OSError, KeyError):
                    manager.metastore.remove(name)
    manager.metastore.commit()


def _of_module(texts: list[str], module: str | None) -> list[str]:
    """The messages of the module with the blocking error, when mypy names it and they are
    there: the batch may begin with other files' errors (an import mypy did not find)."""
    if module is None:
        return texts
    tail = os.path.join(*module.split("."))
    files = (f"{tail}.py", f"{tail}.pyi", os.path.join(tail, "__init__.py"))

    def of_module(text: str) -> bool:
        path = text.split(":", 1)[0]
        return any(path == file or path.endswith(os.sep + file) for file in files)

    return [text for text in texts if of_module(text)] or texts


def _blocking_error(texts: list[str]) -> str:
    lines: list[str] = []
    for text in texts:
        is_note = ": note: " in text or text.startswith("note: ")
        if lines and not is_note:
            break
        if lines or not is_note:
            lines.append(text)
    return "\n".join(lines[:4] or texts[:4]) or "mypy stopped without a message"


def verify(result: Build, options: Options) -> None:
    """Raise CannotCheck when the run checked nothing of uvicorn that it should have. A missing
    module that only some calls depend on stops nothing: the plugin reports those calls
    (uvicorn-unchecked)."""
    python = options.python_executable or "no Python environment (--no-site-packages)"
    uses_uvicorn = "uvicorn" in result.files or any(is_module_of(m) for m in result.missing)
    if uses_uvicorn:
        stubs = result.files.get("uvicorn")
        if stubs is None:
            raise CannotCheck(
                f'mypy finds no "uvicorn" in {python}: install the project\'s dependencies'
                " and mypy-uvicorn there (with pre-commit: additional_dependencies:"
                " [uvicorn, <your framework>])"
            )
        if "uvicorn-stubs" not in Path(stubs).parts:
            raise CannotCheck(
                f'mypy reads "uvicorn" from {stubs}, not from the uvicorn-stubs package that'
                f" mypy-uvicorn installs: install mypy-uvicorn as a wheel in {python}"
                " (pip install mypy-uvicorn; an editable install has no uvicorn-stubs)"
            )
        if "uvicorn.config" not in result.files:
            raise CannotCheck(
                f"uvicorn is not installed in {python} (mypy finds only the stubs):"
                " install the project's dependencies there (with pre-commit:"
                " additional_dependencies: [uvicorn, <your framework>])"
            )
