"""Storing a reader's error report (纠错): the one write path, with every limit it must keep.

Nothing submitted is shown on a public page. What a reader typed is cleaned by the site's one rule
(``portal.text.clean_text``), must show at least two characters (spaces and zero-width characters
alone are refused), its length is checked, and each address (IPv6: each /64), each network and the
whole site may file only so many reports: the limits are counted in the database, so they hold when
the cache (Redis) is down.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from cases.models import Case, Feedback
from portal.client_ip import address_group
from portal.text import clean_text

# (window, at most this many stored reports from one address within it). An "address" is an IPv4
# address, or an IPv6 /64 (one household or phone gets a whole /64 and can pick any address in it);
# an IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 address.
ADDRESS_LIMITS = ((timedelta(minutes=10), 3), (timedelta(days=1), 10))
# One network (an IPv4 /24, an IPv6 /48: one provider's customer or data centre), so that a single
# party with many addresses cannot use up the site-wide allowance below on its own.
NETWORK_LIMIT = (timedelta(hours=1), 30)
# Every reader together: generous, only a brake on a flood from very many networks.
SITE_LIMIT = (timedelta(hours=1), 1000)
MESSAGE_MIN = 2

_BLANK_LINES = re.compile(r"\n{3,}")
# Characters that draw nothing although they are letters or symbols (Hangul fillers, the braille blank).
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


class FeedbackRefused(Exception):
    """Nothing was stored. ``message`` tells the reader why (Chinese); ``field`` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def report_text(value: str, *, multiline: bool) -> str:
    """What is stored of a reader's text: ``portal.text.clean_text`` (the site's one rule for control
    characters), then tidied: tabs as spaces, no trailing spaces, at most one empty line in a row,
    trimmed."""
    value = clean_text(value, multiline=multiline).replace("\t", " ")
    lines = [line.rstrip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def visible_length(value: str) -> int:
    """How many characters of ``value`` show on the screen: not spaces, not format characters
    (zero-width spaces and joiners, bidirectional marks), not lone combining marks, not blank glyphs."""
    return sum(
        1
        for ch in value
        if not ch.isspace()
        and ch not in _BLANK_GLYPHS
        and unicodedata.category(ch) not in ("Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me")
    )


def network_group(address: str) -> str:
    """The wider network of ``address`` for NETWORK_LIMIT: an IPv4 /24 or an IPv6 /48."""
    group = address_group(address)
    try:
        network = ipaddress.ip_network(group, strict=False)
    except ValueError:
        return group
    prefix = 24 if network.version == 4 else 48
    return str(network.supernet(new_prefix=prefix))


def _keyed(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def client_key(address: str) -> str:
    """An HMAC of the reader's address group: counts their reports without storing the address."""
    return _keyed("feedback", address_group(address))


def network_key(address: str) -> str:
    """An HMAC of the reader's wider network (see ``network_group``)."""
    return _keyed("feedback-network", network_group(address))


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
    message = report_text(message, multiline=True)
    contact = report_text(contact, multiline=False)
    if visible_length(message) < MESSAGE_MIN:
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
    if contact and not visible_length(contact):
        contact = ""
    page = page if len(page) <= Feedback.PAGE_MAX else ""
    key = client_key(client_address)
    network = network_key(client_address)
    using = router.db_for_write(Feedback)
    now = timezone.now()
    with transaction.atomic(using=using):
        _lock(key, using)
        reports = Feedback.objects.using(using)
        for window, limit in ADDRESS_LIMITS:
            if reports.filter(client_key=key, created__gte=now - window).count() >= limit:
                minutes = int(ADDRESS_LIMITS[0][0].total_seconds() // 60)
                raise FeedbackRefused(
                    f"您提交得太频繁了。为防止滥用，同一网络地址 {minutes} 分钟内最多提交 "
                    f"{ADDRESS_LIMITS[0][1]} 条、一天内最多 {ADDRESS_LIMITS[1][1]} 条纠错。请稍后再试。"
                )
        window, limit = NETWORK_LIMIT
        if reports.filter(network_key=network, created__gte=now - window).count() >= limit:
            raise FeedbackRefused("您所在的网络近一小时内提交的纠错已经很多，请一小时后再试。")
        window, limit = SITE_LIMIT
        if reports.filter(created__gte=now - window).count() >= limit:
            raise FeedbackRefused(
                "近一小时内全站收到的纠错特别多，暂时无法接收新的反馈，请一小时后再试；"
                "急需更正的，请通过页面底部的联系方式告诉我们。"
            )
        # bulk_create sends no post_save: a report changes no public page, so it must not empty the
        # page cache (portal/cache.py invalidates on every save in the cases app).
        (feedback,) = reports.bulk_create(
            [
                Feedback(
                    case=case,
                    page=page,
                    message=message,
                    contact=contact,
                    client_key=key,
                    network_key=network,
                )
            ]
        )
    return feedback
