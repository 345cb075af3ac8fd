"""The read-only REST API over the warehouse (FastAPI), mounted at ``/api/v1``."""

from steppe.api.app import create_app

__all__ = ["create_app"]
