import sys

from mypy_uvicorn.command.cli import main

sys.exit(main())
