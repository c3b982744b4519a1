from uvicorn.config import Config as Config
from uvicorn.main import Server as Server, main as main, run as run

__version__: str
__all__ = ["main", "run", "Config", "Server"]
