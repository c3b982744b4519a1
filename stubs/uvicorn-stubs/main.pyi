import asyncio
import logging
import os
import ssl
from collections.abc import Callable
from configparser import RawConfigParser
from typing import IO, Any, Literal, TypeAlias, overload

import click
from typing_extensions import Never, deprecated
from uvicorn.config import Config as Config
from uvicorn.server import Server as Server

# uvicorn 0.54's literal aliases of uvicorn/config.py, restated here: importing them would break
# the stubs with older uvicorn releases (0.30 has `LoopSetupType`, not `LoopFactoryType`).
_HTTPProtocolType: TypeAlias = Literal["auto", "h11", "httptools", "zttp"]
_WSProtocolType: TypeAlias = Literal["auto", "none", "websockets", "websockets-sansio", "wsproto"]
_LifespanType: TypeAlias = Literal["auto", "on", "off"]
_LoopFactoryType: TypeAlias = Literal["none", "auto", "asyncio", "uvloop", "zuvloop"]
_InterfaceType: TypeAlias = Literal["auto", "asgi3", "asgi2", "wsgi"]

# The rule this stub carries for every type checker: uvicorn.run exits at start-up when reload is
# on or workers > 1 and the application is not an import string ("module:attribute"), because
# reload and workers start new processes that must import the application themselves.
# An import string accepts every option; an application object only reload=False and
# workers of 0, 1 or None (uvicorn uses `workers or 1`).

# Stub-only aliases (not importable at run time). They exist for their names: pyright,
# basedpyright and Pylance print an alias's name in their messages, so a wrong call reads
# `"Literal[True]" is not assignable to type "ReloadNeedsImportString"` and names the fix.
ImportString: TypeAlias = str  # "module:attribute", e.g. "main:app"
ReloadNeedsImportString: TypeAlias = Literal[False]
WorkersAbove1NeedImportString: TypeAlias = Literal[0, 1] | None
# uvicorn removed `debug` in 0.19 (TypeError at start-up): a parameter no value fits, so that the
# checkers name it (pyright: `"Literal[True]" is not assignable to "DebugWasRemovedInUvicorn019"`)
# instead of only "No overloads for run".
DebugWasRemovedInUvicorn019: TypeAlias = Never
# uvicorn's `ASGIApplication | Callable[..., Any]` accepts exactly what `Callable[..., Any]` does
# (an ASGI 3 callable or an ASGI 2 class); restated so that the stubs import nothing from
# `uvicorn._types`, which releases before 0.19 lack.
ASGIApplication: TypeAlias = Callable[..., Any]

LEVEL_CHOICES: click.Choice
LIFESPAN_CHOICES: click.Choice
INTERFACE_CHOICES: click.Choice
logger: logging.Logger

def print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None: ...

main: click.Command

# The overloads, in the order checkers try them:
# 1. an application object: reload off, at most one worker;
# 2. an import string with at most one worker, reload or not;
# 3. an import string with reload=True and an int of workers: marked deprecated, because uvicorn
#    ignores workers under reload (a warning or a hint in the checkers that show deprecations);
# 4. an import string with any reload and workers.
# The application object comes first: where no overload matches, pyright and pyrefly report the
# errors of the closest one, and for a call whose application fits, that is the first.
@overload
def run(
    app: ASGIApplication,  # an application object: reload off, at most one worker
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    uds: str | None = None,
    fd: int | None = None,
    loop: _LoopFactoryType | str = "auto",
    http: type[asyncio.Protocol] | _HTTPProtocolType | str = "auto",
    http2: bool = False,
    ws: type[asyncio.Protocol] | _WSProtocolType | str = "auto",
    ws_max_size: int = 16777216,
    ws_max_queue: int = 32,
    ws_ping_interval: float | None = 20.0,
    ws_ping_timeout: float | None = 20.0,
    ws_per_message_deflate: bool = True,
    lifespan: _LifespanType = "auto",
    interface: _InterfaceType = "auto",
    reload: ReloadNeedsImportString = False,  # reload=True: pass "module:attribute"
    reload_dirs: list[str] | str | None = None,
    reload_includes: list[str] | str | None = None,
    reload_excludes: list[str] | str | None = None,
    reload_delay: float = 0.25,
    workers: WorkersAbove1NeedImportString = None,  # above 1: pass "module:attribute"
    env_file: str | os.PathLike[str] | None = None,
    log_config: dict[str, Any] | str | os.PathLike[str] | RawConfigParser | IO[Any] | None = ...,
    log_level: str | int | None = None,
    access_log: bool = True,
    proxy_headers: bool = True,
    server_header: bool = True,
    date_header: bool = True,
    forwarded_allow_ips: list[str] | str | None = None,
    root_path: str = "",
    limit_concurrency: int | None = None,
    backlog: int = 2048,
    limit_max_requests: int | None = None,
    limit_max_requests_jitter: int = 0,
    timeout_keep_alive: int = 5,
    timeout_graceful_shutdown: int | None = None,
    timeout_worker_healthcheck: int = 5,
    ssl_keyfile: str | os.PathLike[str] | None = None,
    ssl_certfile: str | os.PathLike[str] | None = None,
    ssl_keyfile_password: str | None = None,
    ssl_version: int = ...,
    ssl_cert_reqs: int = ...,
    ssl_ca_certs: str | os.PathLike[str] | None = None,
    ssl_ciphers: str | None = None,
    ssl_context_factory: Callable[[Config, Callable[[], ssl.SSLContext]], ssl.SSLContext]
    | None = None,
    headers: list[tuple[str, str]] | None = None,
    use_colors: bool | None = None,
    app_dir: str | None = None,
    factory: bool = False,
    h11_max_incomplete_event_size: int | None = None,
    reset_contextvars: bool = False,
    debug: DebugWasRemovedInUvicorn019 = ...,
) -> None: ...
@overload
def run(
    app: ImportString,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    uds: str | None = None,
    fd: int | None = None,
    loop: _LoopFactoryType | str = "auto",
    http: type[asyncio.Protocol] | _HTTPProtocolType | str = "auto",
    http2: bool = False,
    ws: type[asyncio.Protocol] | _WSProtocolType | str = "auto",
    ws_max_size: int = 16777216,
    ws_max_queue: int = 32,
    ws_ping_interval: float | None = 20.0,
    ws_ping_timeout: float | None = 20.0,
    ws_per_message_deflate: bool = True,
    lifespan: _LifespanType = "auto",
    interface: _InterfaceType = "auto",
    reload: bool = False,
    reload_dirs: list[str] | str | None = None,
    reload_includes: list[str] | str | None = None,
    reload_excludes: list[str] | str | None = None,
    reload_delay: float = 0.25,
    workers: Literal[0, 1] | None = None,
    env_file: str | os.PathLike[str] | None = None,
    log_config: dict[str, Any] | str | os.PathLike[str] | RawConfigParser | IO[Any] | None = ...,
    log_level: str | int | None = None,
    access_log: bool = True,
    proxy_headers: bool = True,
    server_header: bool = True,
    date_header: bool = True,
    forwarded_allow_ips: list[str] | str | None = None,
    root_path: str = "",
    limit_concurrency: int | None = None,
    backlog: int = 2048,
    limit_max_requests: int | None = None,
    limit_max_requests_jitter: int = 0,
    timeout_keep_alive: int = 5,
    timeout_graceful_shutdown: int | None = None,
    timeout_worker_healthcheck: int = 5,
    ssl_keyfile: str | os.PathLike[str] | None = None,
    ssl_certfile: str | os.PathLike[str] | None = None,
    ssl_keyfile_password: str | None = None,
    ssl_version: int = ...,
    ssl_cert_reqs: int = ...,
    ssl_ca_certs: str | os.PathLike[str] | None = None,
    ssl_ciphers: str | None = None,
    ssl_context_factory: Callable[[Config, Callable[[], ssl.SSLContext]], ssl.SSLContext]
    | None = None,
    headers: list[tuple[str, str]] | None = None,
    use_colors: bool | None = None,
    app_dir: str | None = None,
    factory: bool = False,
    h11_max_incomplete_event_size: int | None = None,
    reset_contextvars: bool = False,
    debug: DebugWasRemovedInUvicorn019 = ...,
) -> None: ...
@overload
@deprecated(
    '"workers" is ignored when reload=True: uvicorn starts one reloading process. Use reload'
    " for development and workers for production, not both"
)
def run(
    app: ImportString,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    uds: str | None = None,
    fd: int | None = None,
    loop: _LoopFactoryType | str = "auto",
    http: type[asyncio.Protocol] | _HTTPProtocolType | str = "auto",
    http2: bool = False,
    ws: type[asyncio.Protocol] | _WSProtocolType | str = "auto",
    ws_max_size: int = 16777216,
    ws_max_queue: int = 32,
    ws_ping_interval: float | None = 20.0,
    ws_ping_timeout: float | None = 20.0,
    ws_per_message_deflate: bool = True,
    lifespan: _LifespanType = "auto",
    interface: _InterfaceType = "auto",
    reload: Literal[True],
    reload_dirs: list[str] | str | None = None,
    reload_includes: list[str] | str | None = None,
    reload_excludes: list[str] | str | None = None,
    reload_delay: float = 0.25,
    workers: int,
    env_file: str | os.PathLike[str] | None = None,
    log_config: dict[str, Any] | str | os.PathLike[str] | RawConfigParser | IO[Any] | None = ...,
    log_level: str | int | None = None,
    access_log: bool = True,
    proxy_headers: bool = True,
    server_header: bool = True,
    date_header: bool = True,
    forwarded_allow_ips: list[str] | str | None = None,
    root_path: str = "",
    limit_concurrency: int | None = None,
    backlog: int = 2048,
    limit_max_requests: int | None = None,
    limit_max_requests_jitter: int = 0,
    timeout_keep_alive: int = 5,
    timeout_graceful_shutdown: int | None = None,
    timeout_worker_healthcheck: int = 5,
    ssl_keyfile: str | os.PathLike[str] | None = None,
    ssl_certfile: str | os.PathLike[str] | None = None,
    ssl_keyfile_password: str | None = None,
    ssl_version: int = ...,
    ssl_cert_reqs: int = ...,
    ssl_ca_certs: str | os.PathLike[str] | None = None,
    ssl_ciphers: str | None = None,
    ssl_context_factory: Callable[[Config, Callable[[], ssl.SSLContext]], ssl.SSLContext]
    | None = None,
    headers: list[tuple[str, str]] | None = None,
    use_colors: bool | None = None,
    app_dir: str | None = None,
    factory: bool = False,
    h11_max_incomplete_event_size: int | None = None,
    reset_contextvars: bool = False,
    debug: DebugWasRemovedInUvicorn019 = ...,
) -> None: ...
@overload
def run(
    app: ImportString,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    uds: str | None = None,
    fd: int | None = None,
    loop: _LoopFactoryType | str = "auto",
    http: type[asyncio.Protocol] | _HTTPProtocolType | str = "auto",
    http2: bool = False,
    ws: type[asyncio.Protocol] | _WSProtocolType | str = "auto",
    ws_max_size: int = 16777216,
    ws_max_queue: int = 32,
    ws_ping_interval: float | None = 20.0,
    ws_ping_timeout: float | None = 20.0,
    ws_per_message_deflate: bool = True,
    lifespan: _LifespanType = "auto",
    interface: _InterfaceType = "auto",
    reload: bool = False,
    reload_dirs: list[str] | str | None = None,
    reload_includes: list[str] | str | None = None,
    reload_excludes: list[str] | str | None = None,
    reload_delay: float = 0.25,
    workers: int | None = None,
    env_file: str | os.PathLike[str] | None = None,
    log_config: dict[str, Any] | str | os.PathLike[str] | RawConfigParser | IO[Any] | None = ...,
    log_level: str | int | None = None,
    access_log: bool = True,
    proxy_headers: bool = True,
    server_header: bool = True,
    date_header: bool = True,
    forwarded_allow_ips: list[str] | str | None = None,
    root_path: str = "",
    limit_concurrency: int | None = None,
    backlog: int = 2048,
    limit_max_requests: int | None = None,
    limit_max_requests_jitter: int = 0,
    timeout_keep_alive: int = 5,
    timeout_graceful_shutdown: int | None = None,
    timeout_worker_healthcheck: int = 5,
    ssl_keyfile: str | os.PathLike[str] | None = None,
    ssl_certfile: str | os.PathLike[str] | None = None,
    ssl_keyfile_password: str | None = None,
    ssl_version: int = ...,
    ssl_cert_reqs: int = ...,
    ssl_ca_certs: str | os.PathLike[str] | None = None,
    ssl_ciphers: str | None = None,
    ssl_context_factory: Callable[[Config, Callable[[], ssl.SSLContext]], ssl.SSLContext]
    | None = None,
    headers: list[tuple[str, str]] | None = None,
    use_colors: bool | None = None,
    app_dir: str | None = None,
    factory: bool = False,
    h11_max_incomplete_event_size: int | None = None,
    reset_contextvars: bool = False,
    debug: DebugWasRemovedInUvicorn019 = ...,
) -> None: ...
def __getattr__(name: str) -> Any: ...
