import argparse
import os

import uvicorn

from shop.app import app, create_app
from shop.settings import settings


def serve_from_settings() -> None:
    # The reload flag comes from the environment: it may be on in development.
    uvicorn.run(app, reload=settings.debug)


def serve_production() -> None:
    uvicorn.run(app, workers=os.cpu_count())


def serve_factory() -> None:
    application = create_app()
    uvicorn.run(application, workers=4)


def serve_cli() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    # Correct: the application is an import string whenever reload is on.
    uvicorn.run("shop.app:app" if args.reload else app, reload=args.reload)


def serve_single_process() -> None:
    # Correct: one process, no reload.
    uvicorn.run(app, workers=1)
