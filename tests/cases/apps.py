"""The kinds of application object: Starlette, FastAPI, an ASGI function, a callable instance,
a factory."""

import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette

starlette_app = Starlette()
fastapi_app = FastAPI()


async def asgi_function(scope: object, receive: object, send: object) -> None: ...


class CallableApp:
    async def __call__(self, scope: object, receive: object, send: object) -> None: ...


callable_app = CallableApp()


def create_app() -> Starlette:
    return Starlette()


def apps() -> None:
    uvicorn.run(starlette_app, reload=True)  # expect: flag
    uvicorn.run(fastapi_app, reload=True)  # expect: flag
    uvicorn.run(fastapi_app, workers=4)  # expect: flag
    uvicorn.run(asgi_function, workers=2)  # expect: flag
    uvicorn.run(callable_app, reload=True)  # expect: flag
    uvicorn.run(create_app, factory=True, reload=True)  # expect: flag
    uvicorn.run(create_app, factory=True)  # expect: clean
    uvicorn.run(starlette_app)  # expect: clean
    uvicorn.run(fastapi_app, reload=False, workers=1)  # expect: clean
    uvicorn.run(callable_app, port=9000)  # expect: clean
    uvicorn.run("apps:fastapi_app", reload=True)  # expect: clean
    uvicorn.run("apps:create_app", factory=True, workers=4)  # expect: clean
