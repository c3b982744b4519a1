"""Unannotated functions, as in most scripts (mypy checks their bodies only with
check_untyped_defs, which the mypy-uvicorn command turns on), and the module's main block."""

import uvicorn
from starlette.applications import Starlette

app = Starlette()


def main():
    uvicorn.run(app, reload=True)  # expect: flag


def main_workers(count):
    uvicorn.run(app, workers=4)  # expect: flag
    uvicorn.run("untyped:app", workers=count)  # expect: clean


def main_fixed():
    uvicorn.run("untyped:app", reload=True)  # expect: clean


if __name__ == "__main__":
    uvicorn.run(app, reload=True)  # expect: flag
    uvicorn.run(app)  # expect: clean
