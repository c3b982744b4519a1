"""What mypy-uvicorn costs mypy (and what the stubs cost pyright). Not a test: it prints figures.

    python benchmarks/overhead.py [--only callgrind|wall|pyright] [--skip-frameworks]

Run it with the Python of an environment where this package is installed as a wheel, with
fastapi and starlette (the test venv made by scripts/test.py has all of it).

1. Instruction counts (valgrind's callgrind, PYTHONHASHSEED=0, one parse thread and the GIL's
   switch interval out of reach, the median of LAYOUTS memory layouts, cold cache): mypy on
   a. a generated annotated project of 30 modules, each with 3 uvicorn.run calls and 1
      uvicorn.Config call,
   b. the same project with those calls in its first module only (an application usually
      starts uvicorn in one place),
   c. the installed sources of fastapi and starlette (copied, checked as files),
   each with no plugin, with a plugin that does nothing (the price of mypy's plugin dispatch),
   and with mypy_uvicorn; project a also with mypy_uvicorn's hooks returning at once, which
   splits its cost into what any uvicorn call brings and the work for each call. Printed:
   instructions, each plugin's cost in percentage points of the run without a plugin, and the
   plugin's own instructions (counted only inside mypy's calls into plugins: PLUGIN_CALLS).
   Target: mypy_uvicorn <= 0.3 points above the do-nothing plugin.
2. Wall time: medians of interleaved cold runs of the three mypy set-ups on 300 generated
   modules, and of pyright on them with and without the stubs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SITE = Path(sysconfig.get_paths()["purelib"])
NOOP_PLUGIN = '''\
from mypy.plugin import Plugin


class NoOp(Plugin):
    """Answers every hook question with None: only mypy's plugin dispatch is paid for."""


def plugin(version: str) -> type[Plugin]:
    return NoOp
'''

# mypy_uvicorn with hooks that return at once: the plugin, its rule book imported (on the first
# uvicorn call, as always) and its signature widening, without the per-call work. Measured on the
# project where every module calls uvicorn, to split what any call costs from what is paid once.
HOOKS_ONLY_PLUGIN = """\
from mypy.plugin import FunctionContext, Plugin
from mypy.types import Type

from mypy_uvicorn.plugin import UvicornPlugin


class HooksOnly(UvicornPlugin):
    __slots__ = ()

    def run_call_hook(self, ctx: FunctionContext) -> Type:
        self.hooks()
        return ctx.default_return_type

    def config_call_hook(self, ctx: FunctionContext) -> Type:
        self.hooks()
        return ctx.default_return_type


def plugin(version: str) -> type[Plugin]:
    return HooksOnly
"""

MODULE = '''\
"""Generated module {index}."""

from __future__ import annotations

import os
from dataclasses import dataclass
{serve_imports}

@dataclass
class Settings{index}:
    host: str = "127.0.0.1"
    port: int = {port}
    reload: bool = False
    workers: int = 1


def load{index}() -> Settings{index}:
    return Settings{index}(port=int(os.environ.get("PORT", "{port}")))


def numbers{index}(values: list[int]) -> dict[str, int]:
    total = 0
    for value in values:
        total += value * {index}
    return {{"total": total, "count": len(values)}}
'''

# 3 uvicorn.run calls and 1 uvicorn.Config call, added to the modules that serve.
SERVE_CALLS = 4
SERVE_IMPORTS = """
import uvicorn

from {package}.base import app, create_app
"""
SERVE = """

def serve{index}(settings: Settings{index}) -> None:
    uvicorn.run("{package}.base:app", host=settings.host, port=settings.port,
                reload=settings.reload, workers=settings.workers)


def serve_object{index}(settings: Settings{index}) -> None:
    uvicorn.run(app, host=settings.host, port=settings.port)


def serve_factory{index}() -> None:
    uvicorn.run(create_app, factory=True, workers=1)


def config{index}() -> uvicorn.Config:
    return uvicorn.Config("{package}.base:app", port={port})
"""

BASE = """\
async def app(scope: object, receive: object, send: object) -> None: ...


def create_app() -> object:
    return app
"""


def generate(where: Path, package: str, modules: int, serving: int | None = None) -> Path:
    """`modules` annotated modules; the first `serving` of them (all by default) call uvicorn."""
    root = where / package
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "base.py").write_text(BASE)
    for index in range(modules):
        serves = serving is None or index < serving
        fields = {"index": index, "port": 8000 + index, "package": package}
        imports = SERVE_IMPORTS.format(**fields) if serves else ""
        text = MODULE.format(serve_imports=imports, **fields)
        (root / f"module{index:03d}.py").write_text(
            text + (SERVE.format(**fields) if serves else "")
        )
    return root


def frameworks(where: Path) -> list[Path]:
    copies = []
    for name in ("fastapi", "starlette"):
        target = where / name
        shutil.copytree(SITE / name, target, ignore=shutil.ignore_patterns("__pycache__"))
        copies.append(target)
    return copies


# The mypy set-ups; "hooks only" only where the cost is split per call (see callgrind()).
SETUPS = ("none", "noop", "mypy_uvicorn")


def mypy_command(setup: str, targets: list[Path], work: Path) -> list[str]:
    plugins = {
        "none": "",
        "noop": str(work / "noop_plugin.py"),
        "hooks only": str(work / "hooks_only.py"),
        "mypy_uvicorn": "mypy_uvicorn",
    }
    # Names of one length: instruction counts move with the text of paths (string hashing).
    ini = work / f"config-{setup[:4]}.ini"
    ini.write_text(f"[mypy]\nplugins = {plugins[setup]}\n" if plugins[setup] else "[mypy]\n")
    return [
        sys.executable, "-m", "mypy", "--config-file", str(ini), "--no-incremental",
        "--cache-dir", os.devnull, "--no-error-summary", *map(str, targets),
    ]  # fmt: skip


# How mypy runs under callgrind. mypy 2 parses with a pool of threads, and which thread allocates
# first followed real time (callgrind slows a run some 50 times, and the machine's load varied):
# one project measured 21 and 30 million instructions above the do-nothing plugin on two idle
# runs. Here the pool has one thread (`_AVAILABLE_THREADS`, read by mypy.build) and the GIL's
# switch interval is out of reach, so a run is the same run whatever the load: repeats agree
# within 0.2 million instructions, and runs can go side by side.
#
# What remains is memory layout. mypy hashes its types with their classes' addresses (object
# identity); where those land decides how many hashes stay small integers in mypy's compiled
# code, and that moved one project's count by 8 million instructions (0.12 points) between two
# builds of this plugin that do the same work on it (the difference was all in mypy's
# `Instance.__hash__`). So each set-up runs in LAYOUTS layouts: before mypy starts, `layout`
# pages (4 KiB) of small objects are held, which moves every later object, and the median counts.
LAYOUTS = 3


def mypy_under_callgrind(layout: int) -> str:
    return (
        f"import runpy, sys; _layout = [object() for _ in range({256 * layout})]; "
        "sys.setswitchinterval(1e6); import mypy.util; mypy.util._AVAILABLE_THREADS = 1; "
        "sys.argv[0] = 'mypy'; runpy.run_module('mypy', run_name='__main__', alter_sys=True)"
    )


# Where mypy calls into a plugin, in its compiled code: loading the plugins, ChainedPlugin's
# questions (each hook looked up, get_additional_deps, ...), and running a function's hooks.
# Counted only inside these, a run gives the plugin's own instructions, its imports included,
# and leaves out mypy's own work, which the memory layout moves. callgrind turns counting off
# again inside a nested match, so the names are chosen not to nest: `get_*`, not ChainedPlugin's
# `_find_hook` (called by most of them); left out all the same: the few dozen hook look-ups that
# apply_function_plugin makes itself.
PLUGIN_CALLS = (
    "CPyDef_mypy___build___load_plugins_from_config",
    "CPyDef_plugin___ChainedPlugin___get_*",
    "CPyDef_checkexpr___ExpressionChecker___apply_function_plugin",
    "CPyDef_checkexpr___ExpressionChecker___apply_signature_hook",
)


def instructions(command: list[str], cwd: Path, layout: int = 0, own: bool = False) -> int:
    """`own`: only inside PLUGIN_CALLS."""
    if command[1:3] == ["-m", "mypy"]:
        command = [command[0], "-c", mypy_under_callgrind(layout), *command[3:]]
    toggles = (
        ["--collect-atstart=no", *(f"--toggle-collect={n}" for n in PLUGIN_CALLS)] if own else []
    )
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *toggles, *command],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    match = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode not in (0, 1) or match is None:
        raise RuntimeError(f"{command[:4]} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return int(match[1])


def callgrind(
    name: str, targets: list[Path], work: Path, calls: int | None = None, layouts: int = LAYOUTS
) -> None:
    """`calls`: the number of uvicorn calls; given, the hooks-only plugin is measured too. The
    runs go side by side, one per core (a run's count does not depend on the load)."""
    setups = SETUPS if calls is None else (*SETUPS[:2], "hooks only", SETUPS[2])
    commands = {setup: mypy_command(setup, targets, work) for setup in setups}
    # (set-up, layout, own): each set-up in each layout, and the two plugins' own instructions.
    runs = [(setup, layout, False) for setup in setups for layout in range(layouts)]
    runs += [("noop", 0, True), ("mypy_uvicorn", 0, True)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        found = pool.map(lambda run: instructions(commands[run[0]], work, *run[1:]), runs)
        measured = dict(zip(runs, found, strict=True))
    counts = {}
    for setup in setups:
        each = [measured[setup, layout, False] for layout in range(layouts)]
        counts[setup] = statistics.median(each)
        print(f"  {name}: {setup:<13} {counts[setup]:>16,.0f} instructions (median of"
              f" {', '.join(f'{count:,}' for count in each)})", flush=True)  # fmt: skip
    base = counts["none"]
    noop = 100 * (counts["noop"] - base) / base
    ours = 100 * (counts["mypy_uvicorn"] - base) / base
    spread = [
        100 * (measured["mypy_uvicorn", layout, False] - measured["noop", layout, False]) / base
        for layout in range(layouts)
    ]
    print(
        f"  {name}: do-nothing plugin {noop:+.3f} points, mypy_uvicorn {ours:+.3f} points;"
        f" mypy_uvicorn - do-nothing = {ours - noop:+.3f} points (target <= 0.3; layout by"
        f" layout {', '.join(f'{points:+.3f}' for points in spread)});"
        f" {len(runs)} runs in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    ours_own, noop_own = measured["mypy_uvicorn", 0, True], measured["noop", 0, True]
    own = ours_own - noop_own
    print(
        f"  {name}: the plugin's own instructions (counted inside mypy's calls into plugins):"
        f" mypy_uvicorn {ours_own:,}, do-nothing {noop_own:,}; the difference {own:,}"
        f" = {100 * own / base:+.3f} points",
        flush=True,
    )
    if calls is not None:
        floor = 100 * (counts["hooks only"] - base) / base
        per_call = (counts["mypy_uvicorn"] - counts["hooks only"]) / calls
        print(
            f"  {name}: hooks only - do-nothing = {floor - noop:+.3f} points (paid with any"
            f" uvicorn call); the per-call work: {per_call:,.0f} instructions per call, which"
            f" leaves {(0.003 * base - (counts['hooks only'] - counts['noop'])) / calls:,.0f}"
            " per call within the target",
            flush=True,
        )


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{command[:4]} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def interleaved(commands: dict[str, list[str]], cwd: Path, rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(timed(command, cwd))
    return {name: statistics.median(values) for name, values in times.items()}


def baseline_python(where: Path) -> Path:
    """A venv that sees every package of this one except mypy-uvicorn (and so its stubs)."""
    venv.create(where, with_pip=False, symlinks=True)
    python = where / "bin" / "python"
    own = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    for entry in SITE.iterdir():
        if not entry.name.startswith(("uvicorn-stubs", "uvicorn_stubs", "mypy_uvicorn")):
            (Path(own) / entry.name).symlink_to(entry)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["callgrind", "wall", "pyright"])
    parser.add_argument("--skip-frameworks", action="store_true")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "mypy-uvicorn-benchmark",
        help="a directory to (re)create; a fixed path keeps instruction counts comparable",
    )
    options = parser.parse_args()
    shutil.rmtree(options.work, ignore_errors=True)
    options.work.mkdir(parents=True)
    try:
        work = options.work
        (work / "noop_plugin.py").write_text(NOOP_PLUGIN)
        (work / "hooks_only.py").write_text(HOOKS_ONLY_PLUGIN)
        if options.only in (None, "callgrind"):
            if shutil.which("valgrind") is None:
                print("valgrind is not installed (apt-get install valgrind): callgrind skipped")
            else:
                print("instruction counts, cold cache (callgrind):", flush=True)
                callgrind(
                    "30 generated modules",
                    [generate(work, "small", 30)],
                    work,
                    calls=30 * SERVE_CALLS,
                )
                callgrind("30 modules, 1 serving", [generate(work, "typic", 30, serving=1)], work)
                if not options.skip_frameworks:
                    callgrind("fastapi + starlette", frameworks(work / "src"), work)
        large = [generate(work, "large", 300)]
        if options.only in (None, "wall"):
            commands = {s: mypy_command(s, large, work) for s in SETUPS}
            medians = interleaved(commands, work, options.rounds)
            print(
                f"mypy wall time, 300 modules, medians of {options.rounds} interleaved cold runs:"
            )
            for name, seconds in medians.items():
                print(f"  {name:<13} {seconds:6.2f} s  ({seconds / medians['none']:.3f}x)")
        if options.only in (None, "pyright"):
            pyright = shutil.which("pyright", path=str(Path(sys.executable).parent))
            base = baseline_python(work / "baseline-venv")
            commands = {
                "stubs": [str(pyright), "--pythonpath", sys.executable, *map(str, large)],
                "no stubs": [str(pyright), "--pythonpath", str(base), *map(str, large)],
            }
            medians = interleaved(commands, work, options.rounds)
            print(f"pyright wall time, 300 modules, medians of {options.rounds} interleaved runs:")
            for name, seconds in medians.items():
                print(f"  {name:<13} {seconds:6.2f} s  ({seconds / medians['no stubs']:.3f}x)")
    finally:
        shutil.rmtree(options.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
