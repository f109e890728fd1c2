"""The HTTP API of oncall: a thin FastAPI adapter over the oncall package and its storage."""

from api.app import create_app
from api.settings import Settings, get_settings

__all__ = ["Settings", "create_app", "get_settings"]
