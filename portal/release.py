"""Which release of the code is serving: part of every page-cache key.

A cached page (the API schema included) is only valid for the code that rendered it; without the
release in the key, a deploy that changed a template or the schema but not the library kept serving
the old answer from Redis until the entry expired (up to 600 s). ``PORTAL_RELEASE`` (e.g. the commit
id, set by the deploy) names it; otherwise it is a digest of the code and templates this process
loaded, the same on every app server that runs the same files.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings

# What a deploy changes that shapes an answer: code, templates, search data, translations.
_PARTS = ("portal", "cases", "awards", "templates", "locale")
_SUFFIXES = {".py", ".html", ".txt", ".json", ".yaml", ".yml", ".po", ".mo"}


@lru_cache(maxsize=1)
def release_id() -> str:
    """A short token naming the code release: ``PORTAL_RELEASE`` or a digest of the files (~10 ms once
    per process)."""
    named = os.environ.get("PORTAL_RELEASE", "").strip()
    if named:
        return named[:64]
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for part in _PARTS:
        for path in sorted((root / part).rglob("*")):
            if path.suffix in _SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
