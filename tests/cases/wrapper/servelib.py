"""The typed-wrapper recipe: a library function that wraps uvicorn.run gives its own callers the
same protection with two overloads, and narrows with isinstance before it calls uvicorn.run."""

from collections.abc import Callable
from typing import Any, Literal, overload

import uvicorn


@overload
def serve(
    app: str, *, port: int = 8000, reload: bool = False, workers: int | None = None
) -> None: ...
@overload
def serve(
    app: Callable[..., Any],
    *,
    port: int = 8000,
    reload: Literal[False] = False,
    workers: Literal[0, 1] | None = None,
) -> None: ...
def serve(
    app: str | Callable[..., Any],
    *,
    port: int = 8000,
    reload: bool = False,
    workers: int | None = None,
) -> None:
    if isinstance(app, str):
        uvicorn.run(app, port=port, reload=reload, workers=workers)  # expect: clean
    elif reload or (workers or 1) > 1:
        # Only reachable from unchecked callers: the overloads above reject these calls.
        raise ValueError("reload and workers need the application as an import string")
    else:
        uvicorn.run(app, port=port)  # expect: clean
