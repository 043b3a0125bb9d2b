"""A snapshot in a built page: where it goes, what it is keyed by, how it is written.

Pure text in, text out (no browser): the box the build wrote (``render.render_mount``) has a
``<div class="stlite-docs-source">`` that the page shows until the live app draws; the snapshot
becomes its content, in a declarative shadow root (so it shows before any script, and the
page's CSS cannot reach into it). Writing again replaces the last snapshot, so a page that an
incremental build did not rewrite is updated in place.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_APP_RE = re.compile(
    r'<div class="stlite-docs-app" id="(?P<id>[^"]*)"[^>]*>\s*'
    r'<template class="stlite-docs-config">(?P<json>.*?)</template>\s*'
    r'<div class="stlite-docs-source">',
    re.S,
)
_HELD_RE = re.compile(r'<div class="stlite-docs-snapshot" data-scheme="[^"]*" data-key="(\w+)"')
_DIV_RE = re.compile(r"<div\b|</div>")
_LOADER_TAG_RE = re.compile(r'<script\b[^>]*\bdata-stlite-js="[^"]*"[^>]*>')
_ROOT_TAGS_RE = re.compile(r"<(?:html|body)\b[^>]*>")
_STYLE_RE = re.compile(r"<style\b[^>]*>.*?</style>", re.S)
_STYLESHEET_RE = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')
_HREF_RE = re.compile(r'\bhref="(?P<href>[^"]*)"')

#: Bump when what a snapshot is made of changes in a way its inputs do not show.
FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    """What the build's browser captured of one app (``loader/src/capture.js``)."""

    html: str
    css: str
    fonts: str
    text: str
    height: float
    scheme: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        return cls(
            html=str(data["html"]),
            css=str(data["css"]),
            fonts=str(data["fonts"]),
            text=str(data["text"]),
            height=float(data["height"]),
            scheme=str(data["scheme"]),
        )


@dataclass(frozen=True)
class PageApp:
    """An app of a built page: its box's id, its config as written, whether it asked for none."""

    elem_id: str
    config: str
    wanted: bool


def page_apps(page: str) -> list[PageApp]:
    """The apps of a built page, in order."""
    apps = []
    for match in _APP_RE.finditer(page):
        config = html.unescape(match["json"])
        try:
            wanted = json.loads(config).get("prerender", True) is not False
        except ValueError:
            wanted = False  # the loader reports a broken config; nothing to render
        apps.append(PageApp(match["id"], config, wanted))
    return apps


def page_look(page: str, page_path: Path, site_dir: Path) -> str:
    """What of a page, besides an app's config, changes how the app looks: the loader's tag
    (stlite's and Pyodide's URLs, the theme and what apps inherit), the ``<html>`` and
    ``<body>`` tags (the attributes themes keep their scheme and palette in), the ``<style>``
    elements of its head (the snapshots' own are in the body), and the page's stylesheets
    (their URLs, and the bytes of those the site holds: the site's look, which apps take)."""
    parts = []
    head = page[: page.find("<body")] if "<body" in page else page
    for found, text in ((_LOADER_TAG_RE, page), (_ROOT_TAGS_RE, page), (_STYLE_RE, head)):
        parts += [match.group(0) for match in found.finditer(text)]
    for link in _STYLESHEET_RE.finditer(page):
        href_match = _HREF_RE.search(link.group(0))
        if href_match is None:
            continue
        href = html.unescape(href_match["href"])
        parts.append(href)
        local = href.split("?", 1)[0].split("#", 1)[0]
        if "://" in local or local.startswith("//"):
            continue
        folder = site_dir if local.startswith("/") else page_path.parent
        target = folder / local.lstrip("/")
        try:
            parts.append(hashlib.sha256(target.read_bytes()).hexdigest())
        except OSError:
            parts.append("missing")
    return "\n".join(parts)


def snapshot_key(config: str, look: str, *, capture_js: str, width: int) -> str:
    """The cache key of an app's snapshot: everything that changes it (its files,
    requirements and config; the page's look; stlite's and Pyodide's URLs, which name their
    versions; the capture code; the viewport)."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), config, look, capture_js, str(width)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _style(css: str, nonce: str) -> str:
    """A ``<style>`` element; ``</style`` in the text cannot end it early (CSS reads ``\\/``
    as ``/``)."""
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)
    nonce_attr = f' nonce="{html.escape(nonce, quote=True)}"' if nonce else ""
    return f"<style{nonce_attr}>{css}</style>"


@dataclass(frozen=True)
class Shots:
    """An app's snapshots: its light scheme's, and its dark one's where the site has one.
    ``system``: the site follows the reader's system setting (so a page without scripts can
    show the right one: a media query), else only the loader knows which to show."""

    light: Snapshot
    dark: Snapshot | None = None
    system: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "light": self.light.__dict__,
                "dark": self.dark.__dict__ if self.dark else None,
                "system": self.system,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Shots:
        data = json.loads(text)
        return cls(
            light=Snapshot.from_dict(data["light"]),
            dark=Snapshot.from_dict(data["dark"]) if data["dark"] else None,
            system=bool(data["system"]),
        )


#: When each of a pair shows without the loader (which shows the one of the site's scheme, as
#: it follows the site's toggle): by the reader's system setting where the site follows it,
#: else the light one. Last in the snapshot's rules: it overrides the host's ``display``.
_SHOWN_WITHOUT_LOADER = {
    ("light", True): "@media (prefers-color-scheme:dark){:host{display:none}}",
    ("dark", True): "@media not all and (prefers-color-scheme:dark){:host{display:none}}",
    ("dark", False): ":host{display:none}",
}


def snapshot_html(shots: Shots, key: str, nonce: str = "") -> str:
    """The snapshots' markup: for each, a host element whose declarative shadow root holds the
    app's rules and its static copy, then (in the page, where a browser reads @font-face rules;
    not shown, as a shadow host's other children are not) the fonts those rules name."""
    out = []
    for shot in (shots.light, shots.dark):
        if shot is None:
            continue
        shown = _SHOWN_WITHOUT_LOADER.get((shot.scheme, shots.system), "") if shots.dark else ""
        fonts = _style(shot.fonts, nonce) if shot.fonts else ""
        out.append(
            f'<div class="stlite-docs-snapshot" data-scheme="{html.escape(shot.scheme)}" '
            f'data-key="{key}"><template shadowrootmode="open">'
            f"{_style(shot.css + shown, nonce)}{shot.html}</template>{fonts}</div>"
        )
    return "".join(out)


def relative_urls(snapshot: Snapshot, site_url: str, page_url: str) -> Snapshot:
    """The snapshot with the build server's URLs made as the site's own are: relative to the
    page for files of the site (under ``site_url``), root-relative for other files of that
    server (a site whose pages load stlite from ``/...`` outside it). Other hosts' URLs (a
    CDN's fonts) stay as they are."""
    parts = urlsplit(site_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    site_path = parts.path if parts.path.endswith("/") else parts.path + "/"
    page_dir = posixpath.dirname(urlsplit(page_url).path)

    def local(match: re.Match[str]) -> str:
        path = match.group(1) or "/"
        if not path.startswith(site_path):
            return path
        return posixpath.relpath(path, page_dir) + ("/" if path.endswith("/") else "")

    pattern = re.compile(re.escape(origin) + r"(/[^\s\"'<>)]*)?")
    return replace(
        snapshot,
        html=pattern.sub(local, snapshot.html),
        css=pattern.sub(local, snapshot.css),
        fonts=pattern.sub(local, snapshot.fonts),
    )


def _source_span(page: str, start: int) -> tuple[int, int]:
    """The content of the source ``<div>`` opened just before ``start``: up to its ``</div>``."""
    depth = 1
    for tag in _DIV_RE.finditer(page, start):
        depth += 1 if tag.group(0) == "<div" else -1
        if depth == 0:
            return start, tag.start()
    raise ValueError("the app's source element is not closed")


def with_snapshots(page: str, snapshots: dict[str, str]) -> str:
    """The page with each app's source content (by box id) replaced by its snapshot markup."""
    out = []
    at = 0
    for match in _APP_RE.finditer(page):
        markup = snapshots.get(match["id"])
        if markup is None:
            continue
        start, end = _source_span(page, match.end())
        out += [page[at:start], markup]
        at = end
    out.append(page[at:])
    return "".join(out)


def current_keys(page: str) -> Iterator[tuple[str, str]]:
    """``(box id, key)`` of the snapshots a page holds already."""
    for match in _APP_RE.finditer(page):
        head = page[match.end() : match.end() + 200]
        found = _HELD_RE.match(head)
        if found:
            yield match["id"], found.group(1)
