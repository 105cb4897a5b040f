"""The public page cache: keys, the library version, and invalidation when an editor saves.

Every cached page is stored with the "library version" current when its request began. Any save, delete or many-to-many change
of a model in settings.PAGE_CACHE_APPS replaces the version once the transaction commits, so every page
and API response cached before no longer matches, on every app server (they share the cache).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "page-cache:library-version"
# Cookies that mean the page may differ from the anonymous one (signed in, a form token, pending
# messages, a language choice): requests carrying them are never answered from, nor stored in, the cache.
PERSONAL_COOKIES = ("sessionid", "csrftoken", "messages", "django_language")
# Display preferences (e.g. the text-size choice) are part of the cache key instead.
PREFERENCE_COOKIE_PREFIX = "pref_"


def personal_cookie_names() -> set[str]:
    return {
        *PERSONAL_COOKIES,
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }


def library_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random token (never a counter) so an evicted version can never bring stale pages back.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_library_version() -> None:
    """Invalidate every cached page now. Call it after writes that send no signals (update(), bulk_create())."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def page_key(request) -> str:
    """The cache key of one page: host, full path, and what the response may vary on.

    The library version is stored inside the entry, not in the key, so one round trip to the cache
    (get_many of the version and the page) answers a request.
    """
    parts = [
        request.get_host(),
        request.get_full_path(),
        request.headers.get("Accept", ""),
        request.headers.get("Origin", ""),
    ]
    if len(settings.LANGUAGES) > 1:
        parts.append(request.headers.get("Accept-Language", ""))
    parts += sorted(
        f"{name}={value}"
        for name, value in request.COOKIES.items()
        if name.startswith(PREFERENCE_COOKIE_PREFIX)
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page-cache:{digest}"


def get_page(key: str):
    """(version now, the stored entry if it was stored under that version, else None)."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or library_version()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return version, entry[1:]
    return version, None


def store_page(key: str, version: str, status: int, headers: list, content: bytes) -> None:
    cache.set(key, (version, status, headers, content), settings.PAGE_CACHE_SECONDS)


def _bump_after_commit() -> None:
    bump_library_version()


def schedule_invalidation(using: str) -> None:
    """Bump the version when the current transaction commits (at once outside one), once per transaction.

    After the commit, not before: a request that read the old rows before the commit must not store them
    under the new version.
    """
    connection = connections[using]
    if connection.in_atomic_block and any(item[1] is _bump_after_commit for item in connection.run_on_commit):
        return
    transaction.on_commit(_bump_after_commit, using=using)


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in settings.PAGE_CACHE_APPS


def _on_change(sender, using="default", **kwargs) -> None:
    if _watched(sender):
        schedule_invalidation(using)


def _on_m2m_change(sender, instance, action, using="default", **kwargs) -> None:
    # The through model of Case.themes belongs to the cases app; check the instance's model too.
    if action.startswith("post_") and (_watched(sender) or _watched(type(instance))):
        schedule_invalidation(using)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="portal.cache.post_save")
    post_delete.connect(_on_change, dispatch_uid="portal.cache.post_delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="portal.cache.m2m_changed")
