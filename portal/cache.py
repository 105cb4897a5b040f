"""The public page cache: keys, the library version, and invalidation when an editor saves.

Every cached page is stored with the "library version" current when its request began. Any save, delete
or many-to-many change of a model in settings.PAGE_CACHE_APPS replaces the version once the transaction
commits, so every page and API response cached before no longer matches, on every app server.

The version lives in the database (``portal.models.LibraryVersion``), not in Redis or in a process: an
edit made while Redis is frozen or down, or by a worker that gunicorn replaces right after (HUP,
max_requests), is never lost, and no stale page is served once Redis answers again. Each process reads
it at most once per ``PAGE_CACHE_VERSION_SECONDS`` (1 s; 0 under pytest), so a save on one app server
reaches the others within that time; the process that saved knows the new version at once.
When the shared cache cannot be reached the middleware serves every request uncached.
"""

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.http import quote_etag

from portal.preferences import cache_key_parts
from portal.redis_cache import cache_available
from portal.release import release_id

VERSION_PK = 1
# Cookies that mean the page may differ from the anonymous one (signed in, a form token, pending
# messages, a language choice): requests carrying them are never answered from, nor stored in, the cache.
PERSONAL_COOKIES = ("sessionid", "csrftoken", "messages", "django_language")


def personal_cookie_names() -> set[str]:
    return {
        *PERSONAL_COOKIES,
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }


class _VersionMemo:
    """This process's copy of the version per database alias: (token, monotonic time read)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values: dict[str, tuple[str, float]] = {}

    def get(self, alias: str, max_age: float) -> str | None:
        with self.lock:
            entry = self.values.get(alias)
        if entry is None or time.monotonic() - entry[1] >= max_age:
            return None
        return entry[0]

    def put(self, alias: str, token: str) -> None:
        with self.lock:
            self.values[alias] = (token, time.monotonic())

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


version_memo = _VersionMemo()


def _version_model():
    from portal.models import LibraryVersion

    return LibraryVersion


def _write_version(alias: str) -> str:
    token = uuid.uuid4().hex
    model = _version_model()
    rows = model.objects.using(alias).filter(pk=VERSION_PK)
    if not rows.update(token=token, changed_at=timezone.now()):
        try:
            with transaction.atomic(using=alias):
                model.objects.using(alias).create(pk=VERSION_PK, token=token, changed_at=timezone.now())
        except IntegrityError:  # created meanwhile by another process
            rows.update(token=token, changed_at=timezone.now())
    return token


def library_version() -> str:
    """The current version token, from the database (at most once per PAGE_CACHE_VERSION_SECONDS)."""
    model = _version_model()
    alias = router.db_for_read(model)
    max_age = getattr(settings, "PAGE_CACHE_VERSION_SECONDS", 1.0)
    token = version_memo.get(alias, max_age)
    if token is None:
        try:
            token = model.objects.using(alias).filter(pk=VERSION_PK).values_list("token", flat=True).first()
            if token is None:  # a database without the row (flushed): make one
                token = _write_version(router.db_for_write(model))
        except DatabaseError:
            # The database cannot be reached: no edit can be saved either, so the version this process
            # read last is still current and the pages stored under it can still be served. Tried again
            # after the same interval; with nothing read yet, the error goes to the caller (no cache).
            token = version_memo.get(alias, float("inf"))
            if token is None:
                raise
        version_memo.put(alias, token)
    return token


def bump_library_version(using: str | None = None) -> None:
    """Invalidate every cached page now. Call it after writes that send no signals (update(), bulk_create())."""
    alias = using or router.db_for_write(_version_model())
    token = _write_version(alias)
    version_memo.clear()
    version_memo.put(alias, token)


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
    return ";".join([renderer.format, *_renderer_parameters(media_type)])


def _renderer_parameters(media_type: str) -> list[str]:
    """The media type parameters a renderer reads, written canonically: only JSON's ``indent``, which
    DRF clamps to 0-8 (0 is none); q, charset and any made-up parameter change nothing in the answer."""
    from django.utils.http import parse_header_parameters

    _, parameters = parse_header_parameters(media_type)  # as DRF's JSONRenderer reads them
    try:
        indent = max(min(int(parameters["indent"]), 8), 0)
    except (KeyError, ValueError, TypeError):
        return []
    return [f"indent={indent}"] if indent else []


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
    """The cache key of one page: the code release, scheme, host, path and canonical query, and what the
    response may vary on.

    The query is the canonical one the request guard made (declared parameters only, sorted); the
    preference cookies count only with a valid, non-default value; Origin counts only by its presence
    (answers that name one origin are not stored). The library version is stored inside the entry, not
    in the key: a request reads the version and serves the page from this process's copy, or from the
    shared cache, only when it was stored under that version.
    """
    parts = [
        release_id(),
        # The scheme: absolute links (canonical URL, the API's links) name it.
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        representation(request),
        _origin(request),
    ]
    if len(settings.LANGUAGES) > 1:
        parts.append(request.headers.get("Accept-Language", ""))
    parts += cache_key_parts(request.COOKIES)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page-cache:{digest}"


def etag_for(content: bytes) -> str:
    return quote_etag(hashlib.sha256(content).hexdigest()[:32])


class _LocalPages:
    """A small per-process copy of recently served pages, in front of the shared cache.

    A hit still checks the library version (read from the database at most once a second), so an
    editor's save invalidates every app server; only the page body, which can be tens of kilobytes, is
    not fetched and unpickled again.
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
    None when the shared cache cannot be reached (nothing is served from or stored in it then)."""
    if not cache_available(cache):
        return None, None
    version = library_version()
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


class _BumpAfterCommit:
    def __init__(self, using: str):
        self.using = using

    def __call__(self) -> None:
        bump_library_version(self.using)


def schedule_invalidation(using: str) -> None:
    """Bump the version when the current transaction commits (at once outside one), once per transaction.

    After the commit, not before: a request that read the old rows before the commit must not store them
    under the new version. (Not inside the transaction either: every editorial transaction would hold the
    version row's lock until its commit, and two of them could deadlock.)
    """
    connection = connections[using]
    if connection.in_atomic_block and any(
        isinstance(item[1], _BumpAfterCommit) for item in connection.run_on_commit
    ):
        return
    transaction.on_commit(_BumpAfterCommit(using), using=using)


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
