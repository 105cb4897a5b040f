"""Per-process memos of what depends only on the published library: computed once per library version.

    value = memo.get("map", (text_size, link_to), compute)

A value is kept in this process under the key and the *library generation*: the page cache's library
version (``portal.cache.library_version``, the one every app server shares and every committed edit
replaces) and a counter of this process, which every save, delete or many-to-many change of a model
in ``settings.PAGE_CACHE_APPS`` (and ``forget()``) increases at once, before the commit. A value
computed before an edit is therefore never served after it, on this server or another.

Nothing is kept (the value is computed for the request) when the shared cache cannot be reached
(no version), or while this thread's own transaction holds uncommitted edits to the library: they
might still be rolled back.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import get_script_prefix

from portal.cache import library_version

MAX_ENTRIES = 512

_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple] = OrderedDict()
_local = itertools.count(1)
_generation = next(_local)
_state = threading.local()  # the shared version, read once per request


def _read_version() -> str | None:
    try:
        return library_version()
    except Exception:  # a cache backend that raises when unreachable: keep nothing, serve anyway
        return None


def _shared_version() -> str | None:
    # Read once per request, unless the request itself changed the library (its commit replaces it).
    if getattr(_state, "in_request", False) and not getattr(_state, "wrote", False):
        if not hasattr(_state, "version"):
            _state.version = _read_version()
        return _state.version
    return _read_version()


def _dirty() -> bool:
    """Whether this thread's open transaction changed the library (its writes may be rolled back)."""
    for alias in connections:
        conn = connections[alias]
        if conn.in_atomic_block and any(getattr(block, "memo_dirty", False) for block in conn.atomic_blocks):
            return True
    return False


def generation() -> tuple | None:
    """The library generation values are kept under; None when nothing may be kept now."""
    if not settings.LIBRARY_MEMO_ENABLED:
        return None
    version = _shared_version()
    if version is None or _dirty():
        return None
    return (version, _generation)


def get(name: str, key, compute):
    """The value of ``compute()`` for ``(name, key)`` under the current library generation."""
    current = generation()
    if current is None:
        return compute()
    # Links in a value carry the script prefix (a site mounted under a path).
    full = (name, key, get_script_prefix())
    with _lock:
        entry = _entries.get(full)
        if entry is not None and entry[0] == current:
            _entries.move_to_end(full)
            return entry[1]
    value = compute()
    with _lock:
        _entries[full] = (current, value)
        _entries.move_to_end(full)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Drop every value of this process (tests: a rolled-back test transaction sends no signal)."""
    global _generation
    with _lock:
        _generation = next(_local)
        _entries.clear()
    _state.__dict__.pop("version", None)


def forget(using: str | None = None) -> None:
    """The library changed (or is about to, in an open transaction): drop every value of this process.

    Writes that send no signals (``update()``, raw SQL) call this with ``portal.cache.schedule_invalidation``.
    """
    clear()
    _state.wrote = True
    conn = connections[using or "default"]
    if conn.in_atomic_block and conn.atomic_blocks:
        conn.atomic_blocks[0].memo_dirty = True


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.app_label in settings.PAGE_CACHE_APPS


def _on_change(sender, using="default", **kwargs) -> None:
    if _watched(sender):
        forget(using)


def _on_m2m_change(sender, instance, action, using="default", **kwargs) -> None:
    if action.startswith("post_") and (_watched(sender) or _watched(type(instance))):
        forget(using)


def _request_started(**kwargs) -> None:
    _state.in_request = True
    _state.wrote = False
    _state.__dict__.pop("version", None)


def _request_finished(**kwargs) -> None:
    _state.in_request = False
    _state.wrote = False
    _state.__dict__.pop("version", None)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="portal.memo.post_save")
    post_delete.connect(_on_change, dispatch_uid="portal.memo.post_delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="portal.memo.m2m_changed")
    request_started.connect(_request_started, dispatch_uid="portal.memo.request_started")
    request_finished.connect(_request_finished, dispatch_uid="portal.memo.request_finished")
