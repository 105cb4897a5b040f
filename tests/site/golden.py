"""What a reader gets from a page, as plain data a golden file can hold and a diff can show.

``page_record`` keeps the page's title, the visible text of ``<main>`` one block per line (a link as
``text <href>``, a form field as ``{name=value}``), and a digest of each inline SVG (the map, charts,
the QR code); markup, classes and the header and footer around ``<main>`` are left out, so the record
changes only when what a reader sees in the page's content changes. ``api_record`` keeps the JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from django.utils import timezone

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
# GOLDEN_REGENERATE=1 .venv/bin/python -m pytest tests/site/test_golden.py  rewrites the files.
REGENERATE = os.environ.get("GOLDEN_REGENERATE") == "1"

BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "tr", "th", "td", "legend", "label",
    "option", "summary", "figcaption", "caption", "div", "section", "article", "aside", "nav", "ol",
    "ul", "table", "form", "fieldset", "details", "blockquote", "br", "header", "footer", "pre",
}  # fmt: skip
SKIPPED = {"script", "style", "svg", "template"}
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main> when > 0
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False
        self.lines: list[str] = []
        self.current: list[str] = []
        self.links: list[str] = []

    def _break(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
        if tag == "main":
            self.depth += 1
            return
        if not self.depth:
            return
        if tag in SKIPPED:
            self.skip += 1
        if self.skip:
            return
        if tag in BLOCKS:
            self._break()
        if tag == "a":
            self.links.append(attrs.get("href") or "")
        elif tag in ("input", "textarea", "select", "button"):
            name = attrs.get("name")
            if name is not None or tag == "input":
                flags = "".join(f" {f}" for f in ("checked", "selected", "hidden") if f in attrs)
                self.current.append(f" {{{name}={attrs.get('value', '')}{flags}}} ")
        elif tag == "option" and "selected" in attrs:
            self.current.append("[selected] ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if not self.depth:
            return
        if tag == "main":
            self._break()
            self.depth -= 1
            return
        if tag in SKIPPED:
            self.skip -= 1
            return
        if self.skip:
            return
        if tag == "a" and self.links:
            self.current.append(f" <{self.links.pop()}>")
        if tag in BLOCKS:
            self._break()

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if self.depth and not self.skip:
            self.current.append(data)


def _mask(text: str) -> str:
    # The reference to a case names the day it was read: today.
    return text.replace(timezone.localdate().isoformat(), "<today>")


def page_record(response) -> dict:
    html = response.content.decode()
    parser = _MainText()
    parser.feed(html)
    parser.close()
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return {
        "status": response.status_code,
        "title": _mask(" ".join("".join(parser.title).split())),
        "main": [_mask(line) for line in parser.lines],
        "svg_sha256": [hashlib.sha256(svg.encode()).hexdigest()[:16] for svg in SVG.findall(main)],
    }


def api_record(response) -> dict:
    return {"status": response.status_code, "json": json.loads(_mask(response.content.decode()))}


def check(name: str, record: dict, vendor: str) -> None:
    """Compare ``record`` with the golden file ``name`` (a vendor's own file wins where one exists)."""
    own = GOLDEN_DIR / f"{name}.{vendor}.json"
    path = own if own.exists() else GOLDEN_DIR / f"{name}.json"
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if REGENERATE:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with GOLDEN_REGENERATE=1"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert record == expected, f"{name} differs from {path.name}"
