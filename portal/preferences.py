"""Display preferences a reader chooses (适老化), kept in cookies whose names start with "pref_".

Each preference has a fixed set of values and a default. Pages treat any other value as the default,
and the page cache keys on the valid, non-default values only (``cache_key_parts``), so a made-up
cookie value neither misses the cache nor adds an entry to it.
"""

from __future__ import annotations

TEXT_SIZE_COOKIE = "pref_text_size"
TEXT_SIZES = {"large": "大", "medium": "中", "small": "小"}

# cookie name: (allowed values, default)
PREFERENCES: dict[str, tuple[tuple[str, ...], str]] = {
    TEXT_SIZE_COOKIE: (tuple(TEXT_SIZES), "medium"),
}


def cache_key_parts(cookies: dict[str, str]) -> list[str]:
    """``name=value`` for each preference cookie set to an allowed value other than its default."""
    parts = []
    for name, (allowed, default) in sorted(PREFERENCES.items()):
        value = cookies.get(name)
        if value in allowed and value != default:
            parts.append(f"{name}={value}")
    return parts
