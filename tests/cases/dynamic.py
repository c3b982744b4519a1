"""Values only known at run time: a bool or an int may enable reload or several workers."""

import os
from typing import Any, TypedDict

import uvicorn


async def app(scope: object, receive: object, send: object) -> None: ...


class Options(TypedDict, total=False):
    reload: bool
    workers: int


class Quiet(TypedDict, total=False):
    host: str
    port: int


def dynamic(flag: bool, count: int, maybe: int | None) -> None:
    uvicorn.run(app, reload=flag)  # expect: flag
    uvicorn.run(app, workers=count)  # expect: flag
    uvicorn.run(app, workers=maybe)  # expect: flag
    uvicorn.run(app, workers=os.cpu_count())  # expect: flag
    uvicorn.run(app, reload=os.environ.get("RELOAD") == "1")  # expect: flag
    uvicorn.run("dynamic:app", reload=flag, workers=count)  # expect: clean
    uvicorn.run("dynamic:app", workers=os.cpu_count())  # expect: clean


def unpacked(options: dict[str, Any], args: list[Any], typed: Options, quiet: Quiet) -> None:
    uvicorn.run(app, **options)  # expect: clean
    uvicorn.run("dynamic:app", **options)  # expect: clean
    uvicorn.run(*args)  # expect: clean
    uvicorn.run(*args, **options)  # expect: clean
    uvicorn.run(app, **typed)  # expect: flag
    uvicorn.run("dynamic:app", **typed)  # expect: clean
    uvicorn.run(app, **quiet)  # expect: clean


def dict_displays(flag: bool) -> None:
    uvicorn.run(app, **{"reload": flag})  # expect: flag
    uvicorn.run("dynamic:app", **{"reload": flag})  # expect: limitation=dict-display


def unknown_and_strings(anything: Any, target: str, flag: bool) -> None:
    uvicorn.run(anything, reload=True)  # expect: clean
    uvicorn.run(anything, workers=4)  # expect: clean
    uvicorn.run(target, reload=flag)  # expect: clean
    uvicorn.run(target, workers=4)  # expect: clean


def branches(flag: bool) -> None:
    if flag:
        uvicorn.run("dynamic:app", reload=True)  # expect: clean
    else:
        uvicorn.run(app)  # expect: clean
    uvicorn.run("dynamic:app" if flag else app, reload=flag)  # expect: limitation=conditional-app
