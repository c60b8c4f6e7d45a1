"""Development and the demo: SQLite under var/, debug pages, demo accounts allowed."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
EVIDENT_DEMO = env_bool("EVIDENT_DEMO", True)

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
