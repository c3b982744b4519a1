"""Callers of the wrapper in servelib.py: flagged exactly like direct uvicorn.run calls."""

from servelib import serve


async def app(scope: object, receive: object, send: object) -> None: ...


def callers(flag: bool, count: int) -> None:
    serve(app, reload=True)  # expect: flag
    serve(app, workers=4)  # expect: flag
    serve(app, reload=flag)  # expect: flag
    serve(app, workers=count)  # expect: flag
    serve(app)  # expect: clean
    serve(app, port=9000, workers=1)  # expect: clean
    serve("callers:app", reload=True, workers=4)  # expect: clean
    serve("callers:app", reload=flag, workers=count)  # expect: clean
