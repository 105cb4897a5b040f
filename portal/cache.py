"""The public page cache: keys, the library version, and invalidation when an editor saves.

Every cached page is stored with the "library version" current when its request began. Any save, delete or many-to-many change
of a model in settings.PAGE_CACHE_APPS replaces the version once the transaction commits, so every page
and API response cached before no longer matches, on every app server (they share the cache).
"""

import hashlib
import threading
import uuid
from collections import OrderedDict

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

    The library version is stored inside the entry, not in the key: a request asks the shared cache for
    the version and serves the page from this process's copy when it was stored under that version.
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


class _LocalPages:
    """A small per-process copy of recently served pages, in front of the shared cache.

    A hit still asks the shared cache for the library version (a few bytes), so an editor's save
    invalidates every app server at once; only the page body, which can be tens of kilobytes, is not
    fetched and unpickled again.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, version: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        cost = len(entry[3])
        if cost > self.max_bytes:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[3])
            self.entries[key] = entry
            self.size += cost
            while self.size > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[3])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = _LocalPages(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 32 * 1024 * 1024))


def get_page(key: str):
    """(version now, the stored entry if it was stored under that version, else None)."""
    version = cache.get(VERSION_KEY) or library_version()
    entry = local_pages.get(key, version)
    if entry is None:
        entry = cache.get(key)
        if entry is None or entry[0] != version:
            return version, None
        local_pages.put(key, entry)
    return version, entry[1:]


def store_page(key: str, version: str, status: int, headers: list, content: bytes) -> None:
    entry = (version, status, headers, content)
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    local_pages.put(key, entry)


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
