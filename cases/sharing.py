"""Sharing a page to a phone: its address as a QR code, drawn here as inline SVG (segno).

segno is a small, well-kept pure-Python QR encoder; drawing the code on the server keeps the page free
of scripts and of requests to other hosts (a QR service would learn every address shared).
"""

from __future__ import annotations

import functools

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@functools.lru_cache(maxsize=256)  # a pure function of its arguments; drawing one takes milliseconds
def qr_svg(url: str, *, label: str) -> SafeString:
    """An ``<svg>`` QR code of ``url`` (error correction M, 4 user units a module, quiet zone 4).

    ``label`` is its accessible name. Black on white whatever the page's colours: scanners need
    dark modules on a light ground. No ``style`` attributes (CSP): fills are presentation attributes.
    """
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-code")
    attributes = f'role="img" aria-label="{escape(label)}" focusable="false" class="qr-code"'
    return mark_safe(svg.replace('class="qr-code"', attributes, 1))  # segno's output holds no user text
