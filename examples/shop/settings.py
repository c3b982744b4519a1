import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    debug: bool = os.environ.get("SHOP_DEBUG") == "1"
    workers: int = int(os.environ.get("SHOP_WORKERS", "1"))


settings = Settings()
