"""Generate many call shapes of uvicorn.run / uvicorn.Config and check mypy never crashes on them.

Each shape is one call (callee spelling x application x reload x workers x other arguments),
placed in one of many contexts (module level, annotated and unannotated functions, lambdas,
comprehensions, decorators, class bodies, default values, async functions, `__main__` blocks).
The shapes are written into modules of at most 200 calls and mypy runs once, with the plugin and
`check_untyped_defs`, over all of them. Type errors are expected (many shapes are wrong on
purpose); an "INTERNAL ERROR", a traceback or an exit status other than 0 and 1 is a crash.

    python tests/fuzzing.py --shapes 5000 --seed 1   # the large run (prints its figures)

tests/test_fuzz.py runs a fixed-seed sample of this in the suite.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HEADER = """\
import os
from collections.abc import Callable
from typing import Any, Final, NewType, Optional, TypedDict, TypeVar, Union

import uvicorn
import uvicorn as uv
import uvicorn.config
from starlette.applications import Starlette
from uvicorn import Config, run
from uvicorn.main import run as main_run

NewStr = NewType("NewStr", str)
S = TypeVar("S", bound=str)
F = TypeVar("F", bound=Callable[..., Any])


class Options(TypedDict, total=False):
    reload: bool
    workers: int
    app: str


class Required(TypedDict):
    reload: bool
    workers: Optional[int]


async def app(scope: object, receive: object, send: object) -> None: ...


class App:
    async def __call__(self, scope: object, receive: object, send: object) -> None: ...


class Holder:
    asgi = app
    reload: bool = False
    workers: int = 1


def factory() -> Starlette:
    return Starlette()


def keep(value: object) -> Callable[[F], F]:
    return lambda function: function


def inner(config: Any, default: Any) -> Any: ...


class Local: ...


star = Starlette()
obj = Holder()
settings = Holder()
flag: bool = bool(os.environ.get("F"))
maybe: Optional[bool] = None
n: int = 2
opt_n: Optional[int] = None
anything: Any = None
maybe_app: Union[str, Starlette] = "m:app"
opt_app: Optional[Starlette] = None
RELOAD = True
FINAL: Final = False
N = 4
options: dict[str, Any] = {}
typed: Options = {}
required: Required = {"reload": True, "workers": None}
args: list[Any] = []
new_str = NewStr("m:app")


def generic(target: S) -> None:
    uvicorn.run(target, reload=True)

"""

CALLEES = [
    "uvicorn.run", "uv.run", "run", "main_run", "uvicorn.Config", "Config",
    "uvicorn.config.Config", "uvicorn.main.run", "uvicorn.Server", "(uvicorn.run)",
]  # fmt: skip
APPS = [
    "app", "star", '"m:app"', '"m:"', '":app"', '"main.py:app"', '"m:create()"', '" m:app"',
    '"pkg.mod:obj.attr"', "factory", "factory()", "anything", "maybe_app", "opt_app", "new_str",
    "App", "App()", "obj.asgi", "(app)", '"m:app" if flag else app', 'app if flag else "m:app"',
    "flag and app", "1", "None", "lambda: app", "[app][0]", "Local", "inner", "f'{n}:app'",
    '"m" + ":app"', "NewStr('m:app')", "typed['app']",
]  # fmt: skip
RELOADS = [
    "True", "False", "flag", "not flag", "maybe", "1", "0", '""', '"yes"', "None", "anything",
    "settings.reload", 'os.environ.get("R") == "1"', "RELOAD", "FINAL", "n", "[]",
    "lambda: True", "(r := True)", "bool(n)", "flag or None",
]  # fmt: skip
WORKERS = [
    "1", "2", "0", "-1", "None", "n", "opt_n", "os.cpu_count()", "anything", '"2"', "2.5",
    "True", "N", 'int(os.environ["W"])', "settings.workers", "n if flag else None", "-n",
    "10**6",
]  # fmt: skip
EXTRAS = [
    'host="0.0.0.0"', "port=8000", "factory=True", "factory=flag", 'reload_dirs=["src"]',
    "reload_dirs=None", "reload_delay=1.0", "reload_includes='*.py'",
    "ssl_context_factory=lambda c, d: d()", "ssl_context_factory=inner", "debug=True",
    "debug=flag", "unknown=1", 'app_dir="src"', "http=Local", "log_config=None", "*args",
    "**options", "**typed", "**required", '**{"reload": flag}', "**anything", "workers=1",
    "reload=False", "lifespan='on'", "timeout_notify=5",
]  # fmt: skip
APP_FORMS = ["positional", "positional", "positional", "keyword", "missing", "twice"]
CONTEXTS = [
    "module", "annotated", "annotated", "unannotated", "unannotated", "lambda", "comprehension",
    "decorator", "class_body", "default", "async", "main_block", "nested", "generator",
]  # fmt: skip


@dataclass(frozen=True)
class Shape:
    call: str
    context: str


def random_call(rng: random.Random) -> str:
    callee = rng.choice(CALLEES)
    arguments: list[str] = []
    form = rng.choice(APP_FORMS)
    application = rng.choice(APPS)
    if form == "positional":
        arguments.append(application)
    elif form == "twice":
        arguments += [application, f"app={rng.choice(APPS)}"]
    keywords: list[str] = []
    if rng.random() < 0.7:
        keywords.append(f"reload={rng.choice(RELOADS)}")
    if rng.random() < 0.6:
        keywords.append(f"workers={rng.choice(WORKERS)}")
    keywords += rng.sample(EXTRAS, k=rng.choice([0, 0, 1, 1, 2, 3]))
    if form == "keyword":
        keywords.insert(rng.randrange(len(keywords) + 1), f"app={application}")
    rng.shuffle(keywords)
    # One keyword per name (a repeated keyword is a syntax error, not a shape).
    seen: set[str] = set()
    unique: list[str] = []
    for keyword in keywords:
        name = keyword.split("=", 1)[0] if not keyword.startswith("*") else keyword
        if name not in seen:
            seen.add(name)
            unique.append(keyword)
    keywords = unique
    # Python's grammar: a keyword argument or **mapping may not be followed by *args.
    starred = [k for k in keywords if k.startswith("*") and not k.startswith("**")]
    keywords = starred + [k for k in keywords if k not in starred]
    call = f"{callee}({', '.join(arguments + keywords)})"
    if callee == "uvicorn.Server":
        call = f"uvicorn.Server(uvicorn.Config({', '.join(arguments + keywords)})).run()"
    return call


def shapes(count: int, seed: int) -> list[Shape]:
    rng = random.Random(seed)
    return [Shape(random_call(rng), rng.choice(CONTEXTS)) for _ in range(count)]


def render(shape: Shape, index: int) -> str:
    call, context = shape.call, shape.context
    local = "    def inner(c: Any, d: Any) -> Any: ...\n    class Local: ...\n"
    if context == "module":
        return f"{call}\n"
    if context == "annotated":
        return f"def f{index}(flag: bool, n: int, anything: Any) -> None:\n{local}    {call}\n"
    if context == "unannotated":
        return f"def g{index}(flag, n):\n{local}    {call}\n"
    if context == "lambda":
        return f"h{index} = lambda: {call}\n"
    if context == "comprehension":
        return f"c{index} = [{call} for _ in range(1)]\n"
    if context == "generator":
        return f"def y{index}() -> Any:\n    yield {call}\n"
    if context == "decorator":
        return f"@keep({call})\ndef d{index}() -> None: ...\n"
    if context == "class_body":
        return f"class K{index}:\n    value = {call}\n"
    if context == "default":
        return f"def k{index}(value: object = {call}) -> None: ...\n"
    if context == "async":
        return f"async def a{index}(flag: bool) -> None:\n    {call}\n"
    if context == "main_block":
        return f'if __name__ == "__main__":\n    {call}\n'
    if context == "nested":
        return (
            f"def o{index}(flag: bool) -> None:\n{local}"
            f"    def i{index}() -> None:\n        {call}\n    i{index}()\n"
        )
    raise ValueError(context)


def write_project(where: Path, all_shapes: list[Shape], per_module: int = 200) -> list[Path]:
    modules: list[Path] = []
    for start in range(0, len(all_shapes), per_module):
        body = "\n".join(
            render(shape, start + i)
            for i, shape in enumerate(all_shapes[start : start + per_module])
        )
        path = where / f"shapes_{start // per_module:03d}.py"
        path.write_text(HEADER + "\n" + body)
        modules.append(path)
    return modules


@dataclass(frozen=True)
class Result:
    shapes: int
    modules: int
    status: int
    crashed: bool
    errors: int
    findings: int
    seconds: float
    output: str


def run_mypy(where: Path, modules: list[Path], plugins: str = "mypy_uvicorn") -> Result:
    (where / "mypy.ini").write_text(f"[mypy]\nplugins = {plugins}\ncheck_untyped_defs = True\n")
    command = [
        sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--no-incremental",
        "--show-traceback", "--no-error-summary", "--no-pretty", *(m.name for m in modules),
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(command, cwd=where, capture_output=True, text=True, timeout=3000)
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    crashed = result.returncode not in (0, 1) or "INTERNAL ERROR" in output or "Traceback" in output
    lines = result.stdout.splitlines()
    return Result(
        shapes=0,
        modules=len(modules),
        status=result.returncode,
        crashed=crashed,
        errors=sum(": error: " in line for line in lines),
        findings=sum("[uvicorn-" in line for line in lines),
        seconds=seconds,
        output=output,
    )


def fuzz(count: int, seed: int, where: Path) -> Result:
    all_shapes = shapes(count, seed)
    modules = write_project(where, all_shapes)
    result = run_mypy(where, modules)
    return Result(**{**result.__dict__, "shapes": len(all_shapes)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = fuzz(options.shapes, options.seed, Path(tmp))
    print(
        f"shapes: {result.shapes} in {result.modules} modules; mypy exit status {result.status};"
        f" crashes: {int(result.crashed)}; errors reported: {result.errors}"
        f" (of them mypy-uvicorn findings: {result.findings}); {result.seconds:.1f} s"
    )
    if result.crashed:
        print(result.output[-5000:])
    return 1 if result.crashed else 0


if __name__ == "__main__":
    sys.exit(main())
