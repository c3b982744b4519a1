"""`mypy-uvicorn [PATH...] [-- MYPY_ARGS...]`: mypy with the plugin, printing only this project's
findings, for CI and pre-commit.

mypy calls no plugin hook inside functions without annotations unless `check_untyped_defs` is on,
so this command turns it on and adds the plugin, on top of the project's own mypy configuration
(found as `mypy` finds it). Without a configuration it checks the modules that import uvicorn
(see `discover.py`). Exit status: 1 when there are findings, 0 when there are none, 2 when
the check cannot mean anything (a usage error, mypy stopped, uvicorn not installed, ...).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import metadata

from mypy.version import __version__ as mypy_version

from mypy_uvicorn import constants
from mypy_uvicorn.command import calls, checker, discover, fix, mypy_messages, output
from mypy_uvicorn.command.checker import Blocked, CannotCheck

DEFAULT_CACHE = os.path.join(".mypy_cache", "mypy-uvicorn")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after the first `--` is mypy's.
    ours, mypy_args = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args = _parser().parse_args(ours)  # argparse exits with status 2 on a usage error
    if args.version:
        print(f"mypy-uvicorn {_version()} (mypy {mypy_version})")
        return 0
    missing = [path for path in args.paths if not os.path.exists(path)]
    if missing:
        return _stop(f"no such file or directory: {missing[0]}")
    try:
        found = _check(args.paths, mypy_args, args.cache_dir)
        if args.diff:
            return _diff(found)
        if args.fix and _fix(found):
            # Checked again: what is left, and the exit status, are the fixed files'.
            _calls_in.cache_clear()
            found = _check(args.paths, mypy_args, args.cache_dir)
    except Blocked as blocked:
        # mypy names files by absolute path here: shown as the findings are, from the cwd.
        print(str(blocked).replace(os.getcwd() + os.sep, ""), file=sys.stderr)
        return _stop(_blocked_advice(blocked))
    except CannotCheck as reason:
        return _stop(str(reason)) if str(reason) else 2
    return _print(found, args.output_format)


def _plans(found: list[mypy_messages.Message]) -> list[fix.FilePlan]:
    by_file: dict[str, list[mypy_messages.Message]] = {}
    for message in found:
        if message.code in (fix.IMPORT_STRING, fix.INVALID):
            by_file.setdefault(os.path.abspath(message.file), []).append(message)
    plans = []
    for path, findings in sorted(by_file.items()):
        text = fix.read(path)
        if text is not None:
            file_plan = fix.plan(path, text, findings)
            if file_plan.edits:
                plans.append(file_plan)
    return plans


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _diff(found: list[mypy_messages.Message]) -> int:
    """`--diff`: what `--fix` would write, as a unified diff; nothing is written."""
    plans = _plans(found)
    for file_plan in plans:
        shown = _shown(file_plan.path)
        sys.stdout.write(
            file_plan.diff(shown if os.path.isabs(shown) else shown.replace(os.sep, "/"))
        )
    fixes = sum(len(file_plan.fixed) for file_plan in plans)
    print(f"Would fix {_count(fixes, 'finding')} in {_count(len(plans), 'file')}", file=sys.stderr)
    return 1 if plans else 0


def _fix(found: list[mypy_messages.Message]) -> bool:
    """`--fix`: write the certain fixes; whether a file was written."""
    written = fixes = 0
    for file_plan in _plans(found):
        if fix.write(file_plan):
            written += 1
            fixes += len(file_plan.fixed)
        else:
            print(
                f"mypy-uvicorn: {_shown(file_plan.path)} changed on disk since it was checked:"
                " not written",
                file=sys.stderr,
            )
    print(f"Fixed {_count(fixes, 'finding')} in {_count(written, 'file')}", file=sys.stderr)
    return written > 0


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mypy-uvicorn",
        usage="%(prog)s [options] [PATH ...] [-- MYPY_ARGS ...]",
        description="Check uvicorn calls with mypy and the mypy_uvicorn plugin, including in "
        "functions without annotations, on top of the project's mypy configuration. Prints "
        "only mypy-uvicorn's findings and mypy's errors on uvicorn calls. Arguments after "
        "`--` go to mypy.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders to check (default: `files` of the mypy configuration)",
    )
    parser.add_argument(
        "--output-format",
        choices=output.FORMATS,
        default="text",
        help="text (mypy's, with column), json (one object per line), github (workflow"
        " commands) or sarif (a SARIF 2.1.0 log, for code scanning); default: %(default)s",
    )
    parser.add_argument(
        "--cache-dir",
        help=f"mypy's incremental cache (default: {DEFAULT_CACHE}, under mypy's cache_dir)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="write the import string each certain finding names (and factory=True where it"
        " says so), then check again and report what is left",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print what --fix would write as a unified diff, write nothing; exit status 1 when"
        " there is something to fix",
    )
    parser.add_argument("--version", action="store_true", help="print the versions and exit")
    return parser


def _version() -> str:
    try:
        return metadata.version("mypy-uvicorn")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _blocked_advice(blocked: Blocked) -> str:
    """What ends a blocking error there: only the remedies that work for that file."""
    stopped = "mypy stopped on this error, so nothing was checked: fix it"
    if blocked.imported and blocked.module:
        # A checked module imports it: mypy reads it whatever `exclude` says. With a
        # configuration the command checks what mypy finds in the folders, so both are needed.
        return (
            f"{stopped}, or have mypy neither check nor read the module {blocked.module} that a"
            " checked module imports: in the mypy configuration, `exclude` its file and set"
            f" [mypy-{blocked.module}] follow_imports = skip (a call that depends on what it"
            " defines is then reported not checked: uvicorn-unchecked)"
        )
    return (
        f"{stopped}, or leave the file out (`exclude` in the mypy configuration, or"
        " mypy-uvicorn FOLDER -- --exclude REGEX; neither leaves out a file named on the"
        " command line)"
    )


def _stop(reason: str) -> int:
    print(f"mypy-uvicorn: error: {reason}", file=sys.stderr)
    return 2


def _check(
    paths: Sequence[str], mypy_args: Sequence[str], cache_dir: str | None
) -> list[mypy_messages.Message]:
    sources, options = checker.read_options(mypy_args)
    _warn_if_old(options.python_executable)
    configured = options.config_file is not None
    cache = os.path.abspath(cache_dir or os.path.join(options.cache_dir, "mypy-uvicorn"))
    if cache_dir == os.devnull or options.cache_dir == os.devnull:
        cache = os.devnull
    checker.ensure_writable(cache)
    if configured:
        if paths:
            sources, options = checker.read_options([*mypy_args, "--", *paths])
        if not sources:
            raise CannotCheck(
                f"nothing to check: pass the files or folders (mypy-uvicorn src/), or set"
                f" `files` in {options.config_file}"
            )
        _nameable(source.path for source in sources)
        result = checker.build(sources, checker.for_this_run(options, cache))
        checker.verify(result, options)
        return mypy_messages.select(result.messages, _calls_in)
    if not paths:
        raise CannotCheck(
            "nothing to check: pass the files or folders (mypy-uvicorn .), or set `files` in a"
            " mypy configuration"
        )
    found: list[mypy_messages.Message] = []
    try:
        roots = discover.find(paths, options.exclude)
    except discover.Unreadable as unreadable:
        raise CannotCheck(
            f"cannot read {_shown(unreadable.path)}: {unreadable.reason}; give the command"
            " access to it, or leave it out (`-- --exclude REGEX`)"
        ) from None
    for root in roots:
        _nameable(root.modules.values())
        _, options = checker.read_options(mypy_args)
        # Only the modules that call uvicorn are checked; what they import is read silently.
        options.follow_imports = "silent"
        options = checker.for_this_run(options, cache)
        with (
            checker.plugin_loaded(options),
            discover.search_folder(root, cache) as folder,
            _launched_from(os.getcwd()),
            _working_directory(folder),
        ):
            result = checker.build(discover.sources(root, folder), options, forget=True)
        checker.verify(result, options)
        found += mypy_messages.select(result.messages, _calls_in)
    return found


def _warn_if_old(python_executable: str | None) -> None:
    """One line when the uvicorn mypy checks against is older than the releases the findings
    are tested against: which releases they follow."""
    release = constants.uvicorn_release(python_executable)
    if release is None or release >= constants.OLDEST_TESTED:
        return
    oldest, newest = (
        constants.shown(constants.OLDEST_TESTED),
        constants.shown(constants.NEWEST_TESTED),
    )
    line = (
        f"mypy-uvicorn: warning: uvicorn {constants.shown(release)} is installed, older than"
        f" {oldest}; the findings follow uvicorn {oldest} to {newest}"
    )
    if release < constants.DEBUG_REMOVED_IN:
        line += ", except `debug=`, read as this release reads it"
    print(line, file=sys.stderr)


def _nameable(paths: Iterable[str | None]) -> None:
    """Stop, naming the file, when a file to check has a name that is not UTF-8: mypy keys its
    cache by module name and stops with a traceback on such a name."""
    for path in paths:
        if path is None:
            continue
        try:
            path.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(_shown(path)).decode("ascii", "backslashreplace")
            raise CannotCheck(
                f"cannot check {shown}: its name is not UTF-8, and mypy cannot name its module;"
                " rename it, or leave it out (`exclude` in the mypy configuration, or"
                " `-- --exclude REGEX`)"
            ) from None


@contextmanager
def _launched_from(folder: str) -> Iterator[None]:
    """The folder the command was started in stays a root of the import strings while mypy runs
    in a root's folder (as with a configuration, where mypy runs there)."""
    previous = os.environ.get(constants.LAUNCH_DIR_VARIABLE)
    os.environ[constants.LAUNCH_DIR_VARIABLE] = folder
    try:
        yield
    finally:
        if previous is None:
            del os.environ[constants.LAUNCH_DIR_VARIABLE]
        else:
            os.environ[constants.LAUNCH_DIR_VARIABLE] = previous


@contextmanager
def _working_directory(folder: str) -> Iterator[None]:
    # mypy puts its working directory first on the module search path.
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


@cache
def _calls_in(file: str) -> calls.Calls:
    try:
        with open(file, "rb") as handle:
            return calls.read(handle.read()) or calls.NONE
    except OSError:
        return calls.NONE


def _print(found: list[mypy_messages.Message], output_format: str) -> int:
    cwd = os.getcwd()
    shown = [message.shown_from(cwd) for message in found]
    lines = output.render(shown, output_format, _version())
    try:
        for line in lines:
            print(line)
        if output_format != "text":
            print(output.summary(shown), file=sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`| head`): the rest is not wanted; mypy-uvicorn's status still is.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1 if any(message.severity == "error" for message in found) else 0
