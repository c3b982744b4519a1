from uvicorn.config import Config as Config
from uvicorn.main import Server as Server
from uvicorn.main import main as main
from uvicorn.main import run as run

__version__: str
__all__ = ["Config", "Server", "main", "run"]
