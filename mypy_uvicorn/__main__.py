import sys

from mypy_uvicorn.cli import main

sys.exit(main())
