"""Every way to import and call uvicorn.run.

(`import uvicorn.main`, then `uvicorn.main.run`, is not one: uvicorn's package rebinds the name
`main` to its click command, so that attribute has no `run`, and every checker says so.)
"""

import uvicorn
import uvicorn as uv
from uvicorn import run
from uvicorn import run as start
from uvicorn.main import run as main_run


async def app(scope: object, receive: object, send: object) -> None: ...


def spellings() -> None:
    uvicorn.run(app, reload=True)  # expect: flag
    uv.run(app, reload=True)  # expect: flag
    run(app, workers=3)  # expect: flag
    start(app, reload=True)  # expect: flag
    main_run(app, workers=2)  # expect: flag
    uv.run("spellings:app", reload=True)  # expect: clean
    run("spellings:app", workers=3)  # expect: clean
    start(app)  # expect: clean
    main_run("spellings:app", reload=True)  # expect: clean
