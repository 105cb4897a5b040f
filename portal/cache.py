"""The public page cache: keys, the library version, and invalidation when an editor saves.

Every cached page is stored with the "library version" current when its request began. Any save, delete or many-to-many change
of a model in settings.PAGE_CACHE_APPS replaces the version once the transaction commits, so every page
and API response cached before no longer matches, on every app server (they share the cache).

When the shared cache cannot be reached, ``library_version()`` is None and the middleware serves every
request uncached; a version change that could not be written then is written as soon as the cache
answers again, so pages stored before the outage are not served after an edit made during it.
"""

import hashlib
import threading
import uuid
from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.http import quote_etag

from portal.preferences import cache_key_parts
from portal.redis_cache import cache_available

VERSION_KEY = "page-cache:library-version"
# Cookies that mean the page may differ from the anonymous one (signed in, a form token, pending
# messages, a language choice): requests carrying them are never answered from, nor stored in, the cache.
PERSONAL_COOKIES = ("sessionid", "csrftoken", "messages", "django_language")

# Set when a version change could not reach the cache (see bump_library_version).
_bump_pending = threading.Event()


def personal_cookie_names() -> set[str]:
    return {
        *PERSONAL_COOKIES,
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }


def library_version() -> str | None:
    """The current version; None when the shared cache cannot be reached (nothing is cached then)."""
    if _bump_pending.is_set() and cache_available(cache):
        bump_library_version()
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random token (never a counter) so an evicted version can never bring stale pages back.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_library_version() -> None:
    """Invalidate every cached page now. Call it after writes that send no signals (update(), bulk_create())."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    if cache_available(cache):
        _bump_pending.clear()
    else:
        _bump_pending.set()


def representation(request) -> str:
    """What of the Accept header the page reads: the media type the API's content negotiation picks
    (so any Accept header that gives the same answer gives the same key); nothing for other pages."""
    cls = getattr(getattr(request, "declared_view", None), "cls", None)
    if cls is None:
        return ""
    from django.http import Http404
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    view = cls()
    view.format_kwarg = None  # our URLs have no format suffixes
    try:
        renderer, media_type = view.perform_content_negotiation(Request(request))
    except (APIException, Http404):  # refused (406, unknown ?format=): an error, never stored
        return "unacceptable"
    # Parameters other than q reach the renderer (JSON's "; indent=4"); q only ranked the choices.
    kept = [p.strip() for p in media_type.split(";")[1:] if not p.strip().lower().startswith("q=")]
    return ";".join([renderer.format, *sorted(kept)])


def _origin(request) -> str:
    origin = request.headers.get("Origin")
    if origin is None:
        return ""
    try:
        urlsplit(origin)
    except ValueError:
        return "origin:invalid"
    return "origin"


def page_key(request) -> str:
    """The cache key of one page: host, path and canonical query, and what the response may vary on.

    The query is the canonical one the request guard made (declared parameters only, sorted); the
    preference cookies count only with a valid, non-default value; Origin counts only by its presence
    (answers that name one origin are not stored). The library version is stored inside the entry, not
    in the key: a request asks the shared cache for the version and serves the page from this process's
    copy when it was stored under that version.
    """
    parts = [request.get_host(), request.get_full_path(), representation(request), _origin(request)]
    if len(settings.LANGUAGES) > 1:
        parts.append(request.headers.get("Accept-Language", ""))
    parts += cache_key_parts(request.COOKIES)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page-cache:{digest}"


def etag_for(content: bytes) -> str:
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


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
    """(version now, the stored entry if it was stored under that version, else None); the version is
    None when the shared cache cannot be reached."""
    version = library_version()
    if version is None:
        return None, None
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
