"""TOOLKIT_* settings read from the environment at call time."""

import os

from toolkit.errors import ConfigError


def env_seconds(name: str, default: float) -> float:
    """A positive number of seconds from $name, else `default`; anything else is exit 2."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise ConfigError(f"{name}={value!r}: expected a number of seconds above 0")
    return seconds
