"""Literal reload and workers values, with an application object and with an import string.

Each call ends with its expected verdict for every type checker (see tests/checkers.py).
"""

from typing import Final

import uvicorn


async def app(scope: object, receive: object, send: object) -> None: ...


def literal_values() -> None:
    uvicorn.run(app, reload=True)  # expect: flag
    uvicorn.run(app, reload=False)  # expect: clean
    uvicorn.run(app, workers=4)  # expect: flag
    uvicorn.run(app, workers=2)  # expect: flag
    uvicorn.run(app, workers=1)  # expect: clean
    uvicorn.run(app, workers=0)  # expect: clean
    uvicorn.run(app, workers=None)  # expect: clean
    uvicorn.run(app, workers=-1)  # expect: limitation=negative-workers
    uvicorn.run(app, reload=True, workers=4)  # expect: flag
    uvicorn.run(app, reload=False, workers=1)  # expect: clean
    uvicorn.run(app)  # expect: clean
    uvicorn.run(app, host="0.0.0.0", port=8080, log_level="info")  # expect: clean
    uvicorn.run("literals:app", reload=True)  # expect: clean
    uvicorn.run("literals:app", workers=4)  # expect: clean
    uvicorn.run("literals:app", workers=4, port=8080)  # expect: clean


def by_keyword() -> None:
    uvicorn.run(app=app, reload=True)  # expect: flag
    uvicorn.run(reload=True, app=app)  # expect: flag
    uvicorn.run(workers=8, app=app)  # expect: flag
    uvicorn.run(app=app, workers=1)  # expect: clean
    uvicorn.run(app="literals:app", reload=True)  # expect: clean
    uvicorn.run(reload=True, app="literals:app")  # expect: clean


RELOAD = False
WORKERS = 1
FINAL_RELOAD: Final = False
FINAL_WORKERS: Final = 1


def module_constants() -> None:
    uvicorn.run(app, reload=RELOAD)  # expect: clean
    uvicorn.run(app, workers=WORKERS)  # expect: clean
    uvicorn.run(app, reload=FINAL_RELOAD, workers=FINAL_WORKERS)  # expect: clean


def local_names() -> None:
    reload = False
    uvicorn.run(app, reload=reload)  # expect: clean
