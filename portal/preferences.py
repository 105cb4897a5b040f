"""The reader's display preferences (适老化): text size and contrast, kept in ``pref_*`` cookies.

``PREFERENCE_COOKIES`` is the one list of the cookies and the values each may hold. Pages read them
through ``preference()``, the switch (``cases.views.set_preferences``) writes nothing else, and the page
cache may key on them: a cookie that is not listed, or holds a value that is not, means the default.
Cookies only, no JavaScript: the switch is a plain form post.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preference:
    cookie: str
    default: str
    choices: dict[str, str]  # value -> label shown on the switch


TEXT_SIZE = Preference("pref_text_size", "medium", {"large": "大", "medium": "中", "small": "小"})
CONTRAST = Preference("pref_contrast", "normal", {"normal": "标准", "high": "高对比度"})
PREFERENCES = (TEXT_SIZE, CONTRAST)

# cookie name -> every value it may hold (defaults included).
PREFERENCE_COOKIES: dict[str, tuple[str, ...]] = {p.cookie: tuple(p.choices) for p in PREFERENCES}

# A year: older readers should not have to choose again every visit.
COOKIE_MAX_AGE = 365 * 24 * 3600


# Set in request.META (shared by Django's request and DRF's wrapper) once a response read a preference.
READ_MARK = "portal.read_preferences"


def preference(request, pref: Preference) -> str:
    """The reader's value of ``pref`` (its default when the cookie is missing or holds anything else).

    Every read goes through here, so it marks the request: its response depends on the pref_* cookies.
    """
    if request is None:
        return pref.default
    request.META[READ_MARK] = True
    value = request.COOKIES.get(pref.cookie, "")
    return value if value in pref.choices else pref.default


def vary_on_preferences(request, response) -> None:
    """Add ``Vary: Cookie`` to a response that read the preference cookies and that shared HTTP caches
    may serve without asking us (``public``, ``max-age``, ``s-maxage``): they would otherwise give one
    reader's 大 or high-contrast page to the next. Responses without freshness are revalidated by
    ETag, which differs between the variants, and the page cache keys on the cookies' values
    (``cache_key_parts``), so neither needs it."""
    from django.utils.cache import patch_vary_headers

    if not request.META.get(READ_MARK):
        return
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("public", "max-age", "s-maxage")):
        patch_vary_headers(response, ["Cookie"])


def cache_key_parts(cookies: dict[str, str]) -> list[str]:
    """``name=value`` for each preference cookie set to an allowed value other than its default.

    What the page cache keys on: a cookie that is not listed, or holds a value that is not, means the
    default, so a made-up cookie value neither misses the cache nor adds an entry to it.
    """
    parts = []
    for pref in PREFERENCES:
        value = cookies.get(pref.cookie)
        if value in pref.choices and value != pref.default:
            parts.append(f"{pref.cookie}={value}")
    return parts
