"""The embedded profile: a clone runs with no server and nothing configured."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
