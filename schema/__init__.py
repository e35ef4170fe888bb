"""serokg.schema: the pydantic models (single source of truth) and files generated from them."""

from serokg.schema.models import *  # noqa: F403
from serokg.schema.models import __all__  # noqa: F401
