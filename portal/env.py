"""Small readers for settings that come from the environment."""

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def url_prefix(name: str) -> str:
    """A path the site is mounted under: "" or "/anli" (leading slash, no trailing slash)."""
    raw = os.environ.get(name, "").strip().strip("/")
    if not raw:
        return ""
    if any(ch in raw for ch in "?#: ") or "//" in raw:
        raise ValueError(f"{name} must be a URL path such as /anli, got {raw!r}")
    return "/" + raw


def admin_path(name: str, default: str) -> str:
    """The admin's path relative to the site root: "admin/" or "staff/desk/" (no leading slash)."""
    raw = os.environ.get(name, default).strip().strip("/")
    if not raw or any(ch in raw for ch in "?#: ") or "//" in raw:
        raise ValueError(f"{name} must be a URL path such as guanli/, got {raw!r}")
    return raw + "/"
