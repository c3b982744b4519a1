"""What the stubs make each checker show, beyond flag or clean (tests/test_checkers.py, the
README's table "In the editor"): a deprecation for reload + workers, and wording that names the
argument at fault. Every call is in a function that nothing calls: no start-up finding of the
plugin other than the one the marker names."""

import uvicorn


async def app(scope: object, receive: object, send: object) -> None: ...


def reload_and_workers(count: int, flag: bool) -> None:
    uvicorn.run("calls:app", reload=True, workers=4)  # expect: deprecated
    uvicorn.run("calls:app", workers=3, reload=True, port=8001)  # expect: deprecated
    uvicorn.run("calls:app", reload=True, workers=count)  # expect: deprecated-dynamic
    uvicorn.run("calls:app", reload=True, workers=1)  # expect: clean
    uvicorn.run("calls:app", reload=True, workers=None)  # expect: clean
    uvicorn.run("calls:app", reload=False, workers=4)  # expect: clean
    uvicorn.run("calls:app", reload=flag, workers=4)  # expect: clean
    uvicorn.run("calls:app", workers=4)  # expect: clean
    uvicorn.run("calls:app", reload=True)  # expect: clean


def other_mistakes() -> None:
    uvicorn.run(app, debug=True)  # expect: debug
    uvicorn.run("calls:app", debug=False)  # expect: debug
    uvicorn.run(app, port="8000")  # expect: own-wording
    uvicorn.run("calls:app", host=1)  # expect: own-wording
    uvicorn.run(app, reload=False, log_level=[1])  # expect: own-wording
