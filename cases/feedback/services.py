"""Storing a reader's error report (纠错): the one write path, with every limit it must keep.

Nothing submitted is shown on a public page. What a reader typed is cleaned (control characters,
bidirectional overrides), its length checked, and each address may file only a few reports: the
limit is counted in the database, so it holds when the cache (Redis) is down.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from cases.models import Case, Feedback

# (window, at most this many stored reports from one address within it)
ADDRESS_LIMITS = ((timedelta(minutes=10), 3), (timedelta(days=1), 10))
# Every reader together: a flood from many addresses cannot bury the staff's queue.
SITE_LIMIT = (timedelta(hours=1), 200)
MESSAGE_MIN = 2

# Bidirectional overrides and isolates: invisible, and they can make a report read differently
# in the admin from what was typed.
_BIDI_CONTROLS = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_BLANK_LINES = re.compile(r"\n{3,}")


class FeedbackRefused(Exception):
    """Nothing was stored. ``message`` tells the reader why (Chinese); ``field`` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def clean_text(value: str, *, multiline: bool) -> str:
    """``value`` without control characters, surrogates or bidirectional controls, trimmed.

    Line breaks become ``\\n`` (kept only when ``multiline``, else a space), tabs a space, and more
    than one empty line in a row one empty line.
    """
    value = value.replace("\r\n", "\n").translate({0x0D: "\n", 0x2028: "\n", 0x2029: "\n", 0x09: " "})
    kept = []
    for ch in value:
        if ch == "\n":
            kept.append("\n" if multiline else " ")
        elif ord(ch) in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        else:
            kept.append(ch)
    lines = [line.rstrip() for line in "".join(kept).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def client_key(address: str) -> str:
    """An HMAC of the reader's address: counts their reports without storing the address."""
    return hmac.new(settings.SECRET_KEY.encode(), f"feedback:{address}".encode(), hashlib.sha256).hexdigest()


def _lock(key: str, using: str) -> None:
    """Serialise the reports of one address, so parallel posts cannot all pass the limit at once.

    PostgreSQL: a transaction-scoped advisory lock. SQLite allows one writer at a time anyway.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])


def feedback_create(
    *, message: str, contact: str = "", page: str = "", case: Case | None = None, client_address: str
) -> Feedback:
    """Store a report as 新 (new) and return it; raise ``FeedbackRefused`` and store nothing when
    the text is empty or too long, or the address (or the whole site) sent too many lately."""
    message = clean_text(message, multiline=True)
    contact = clean_text(contact, multiline=False)
    if len(message) < MESSAGE_MIN:
        raise FeedbackRefused("请写下您发现的问题（至少 2 个字），例如哪一段、哪个字有误。", field="message")
    if len(message) > Feedback.MESSAGE_MAX:
        raise FeedbackRefused(
            f"问题描述最多 {Feedback.MESSAGE_MAX} 个字，您写了 {len(message)} 个字，请删减后再提交。",
            field="message",
        )
    if len(contact) > Feedback.CONTACT_MAX:
        raise FeedbackRefused(
            f"联系方式最多 {Feedback.CONTACT_MAX} 个字，请只留电话或电子邮箱。", field="contact"
        )
    page = page if len(page) <= Feedback.PAGE_MAX else ""
    key = client_key(client_address)
    using = router.db_for_write(Feedback)
    now = timezone.now()
    with transaction.atomic(using=using):
        _lock(key, using)
        recent = Feedback.objects.using(using).filter(client_key=key)
        for window, limit in ADDRESS_LIMITS:
            if recent.filter(created__gte=now - window).count() >= limit:
                minutes = int(ADDRESS_LIMITS[0][0].total_seconds() // 60)
                raise FeedbackRefused(
                    f"您提交得太频繁了。为防止滥用，同一网络地址 {minutes} 分钟内最多提交 "
                    f"{ADDRESS_LIMITS[0][1]} 条、一天内最多 {ADDRESS_LIMITS[1][1]} 条纠错。请稍后再试。"
                )
        window, limit = SITE_LIMIT
        if Feedback.objects.using(using).filter(created__gte=now - window).count() >= limit:
            raise FeedbackRefused("近来收到的纠错较多，暂时无法接收新的反馈，请一小时后再试。")
        # bulk_create sends no post_save: a report changes no public page, so it must not empty the
        # page cache (portal/cache.py invalidates on every save in the cases app).
        (feedback,) = Feedback.objects.using(using).bulk_create(
            [Feedback(case=case, page=page, message=message, contact=contact, client_key=key)]
        )
    return feedback
