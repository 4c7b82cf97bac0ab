"""Strict helpers to read settings from the environment.

Modelled on healthchecks' ``envbool``: a value that is not understood raises instead of being
silently taken as a default, so a typo in a deployment fails at start-up, not in production.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["env_bool", "env_database", "env_int", "env_list", "env_str"]


class ImproperlyConfiguredEnv(ValueError):
    pass


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfiguredEnv(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"true", "1", "yes", "on"}:
        return True
    if value.lower() in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name} must be an integer, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    """Parse a ``postgres://user:password@host:port/name?option=value`` URL into DATABASES."""
    url = urlsplit(env_str(name, default))
    if url.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfiguredEnv(f"{name} must be a postgres:// URL.")
    options = {key: values[-1] for key, values in parse_qs(url.query).items()}
    host = options.pop("host", None) or unquote(url.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(url.path.lstrip("/")),
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": host,
        "PORT": str(url.port or ""),
        "OPTIONS": options,
    }
