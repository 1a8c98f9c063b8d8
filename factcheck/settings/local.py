"""Local development: DEBUG on unless the environment says otherwise."""

import re
import warnings

from .base import *  # noqa: F401,F403
from .base import STATIC_ROOT, env_bool

DEBUG = env_bool("DEBUG", True)
WHITENOISE_AUTOREFRESH = DEBUG  # base.py set it from its own default, DEBUG off
# Nothing is collected into STATIC_ROOT here (WhiteNoise serves from the finders): no warning that it is missing.
warnings.filterwarnings("ignore", message=re.escape(f"No directory at: {STATIC_ROOT}"), category=UserWarning)
