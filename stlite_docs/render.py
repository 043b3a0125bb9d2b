"""The mount element: the HTML contract shared by both front ends and the loader.

Same ``AppSpec`` in, same bytes out, whichever front end calls it. The config
JSON sits in a ``<template>``: inert (never rendered, never run, also not by
Material's instant navigation, which re-runs every inline ``<script>`` of a new
page as JavaScript), and plain text to the HTML parser because no ``<``, ``>``
or ``&`` survive literally, so app source containing ``</template>``,
``</script>`` or ``<!--`` cannot end it or alter it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .app import AppSpec
from .assets import LOADER_INLINE_CSS, LOADER_INLINE_JS, shipped_text
from .loader_tag import loader_attributes
from .settings import Settings
from .sharing import EDIT_BASE, SHARE_BASE, share_payload

if TYPE_CHECKING:
    from .worker_script import WorkerScript

_JSON_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ID_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")


def json_for_script(data: object) -> str:
    """JSON that round-trips exactly and cannot break out of a script element.

    ``ensure_ascii`` also writes control characters and lone surrogates as
    escapes, so NUL or CR in an app source cannot alter the HTML parse.
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=False)
    for char, escaped in _JSON_UNSAFE.items():  # str.replace: no per-match callback
        if char in text:
            text = text.replace(char, escaped)
    return text


def element_id(document: str, index: int) -> str:
    """Deterministic, CSS-safe id from the document name (without its file
    extension, which front ends strip) and the app's index on the page."""
    slug = _ID_UNSAFE_RE.sub("-", document)
    slug = slug.strip("-").lower() or "index"
    return f"stlite-{slug}-{index}"


def plain_source_html(source: str, language: str = "python") -> str:
    """Fallback code block for front ends without a highlighter at hand; the
    ``language-*`` class is what client-side highlighters look for."""
    return (
        f'<div class="highlight"><pre><code class="language-{_attr(language)}">'
        f"{html.escape(source)}</code></pre></div>"
    )


Highlighter = Callable[[str, str], str]
"""``(code, language) -> HTML``: each front end passes its site's highlighter."""

_LANGUAGES = {".py": "python", ".toml": "toml", ".md": "markdown", ".json": "json"}


def _file_html(path: str, content: str | bytes, highlight: Highlighter) -> str:
    if isinstance(content, bytes):
        return f'<p class="stlite-docs-binary">(binary file, {len(content)} bytes)</p>'
    language = _LANGUAGES.get(path[path.rfind(".") :], "text") if "." in path else "text"
    return highlight(content, language)


def _attr(value: str) -> str:
    """Escape a value for text or a double-quoted attribute (``&``, ``<``, ``>``, quotes)."""
    return html.escape(value, quote=True)


def render_mount(
    spec: AppSpec,
    elem_id: str,
    highlight: Highlighter,
    *,
    share_links: bool = False,
    full_page_href: str | None = None,
    actions: bool = False,
) -> str:
    """The element the loader mounts into, plus the code pane and links its
    layout asks for. Highlighter output and the script-safe config JSON are
    trusted HTML; every other value is escaped here.

    ``share_links`` is the site default; the app's own ``share`` option wins.
    ``actions``: the reader's Copy code and Download buttons under the app (the site's
    ``app_actions``), hidden until the loader wires them: they need JavaScript. They are
    links in the role of buttons: the theme styles them as the links beside them.
    ``full_page_href``: the app's own page (see :mod:`stlite_docs.fullpage`), linked
    under it; ``None`` where the host writes none or the app asks for none.
    Plain string building, not a template: this runs once per app, and a
    Jinja environment cost a site of 150 apps ~10 ms (compiling the template
    each build, then a render context per app) for eight interpolations.
    """
    # The "app" layout shows only the entrypoint (first): highlight no other file.
    shown = spec.files if spec.layout != "app" else spec.files[:1]
    code = [(path, _file_html(path, content, highlight)) for path, content in shown]
    links = spec.share if spec.share is not None else share_links
    wrapped = spec.layout != "app" or links or full_page_href is not None or actions
    parts: list[str] = []
    if wrapped:
        parts.append(f'<div class="stlite-docs-block stlite-docs-layout-{_attr(spec.layout)}">')
        if spec.layout != "app":
            parts.append('\n<div class="stlite-docs-code">')
            for path, code_html in code:
                name = _attr(path)
                parts.append(f'<div class="stlite-docs-file" data-path="{name}">')
                if len(code) > 1:
                    parts.append(f'<div class="stlite-docs-filename">{name}</div>')
                parts.append(f"{code_html}</div>")
            parts.append("</div>")
        parts.append("\n")
    if spec.layout == "app":
        fallback = code[0][1]
    else:
        fallback = '<p class="stlite-docs-placeholder">The live app runs here.</p>'
    parts.append(
        f'<div class="stlite-docs-app" id="{_attr(elem_id)}" data-stlite-docs-state="source">\n'
        f'<template class="stlite-docs-config">{json_for_script(spec.to_config())}</template>\n'
        f'<div class="stlite-docs-source">{fallback}</div>\n</div>'
    )
    if wrapped:
        anchors = []
        if full_page_href is not None:
            anchors.append((full_page_href, "Open full page"))
        if links:
            payload = share_payload(spec)
            anchors += [
                (SHARE_BASE + payload, "Open in stlite sharing"),
                (EDIT_BASE + payload, "Edit in stlite sharing"),
            ]
        buttons = ""
        if actions:
            buttons = (
                '<span class="stlite-docs-actions" hidden>'
                '<a href="#" role="button" data-stlite-docs-action="copy">Copy code</a> · '
                '<a href="#" role="button" data-stlite-docs-action="download">Download</a>'
                + (" · " if anchors else "")
                + "</span>"
            )
        if anchors or buttons:
            parts.append(
                '\n<p class="stlite-docs-links">'
                + buttons
                + " · ".join(
                    f'<a href="{_attr(href)}" target="_blank" rel="noopener"'
                    # the loader carries an editor's edits to the app's own page and to
                    # stlite sharing
                    + (" data-stlite-docs-" + ("full" if href == full_page_href else "share"))
                    + f">{text}</a>"
                    for href, text in anchors
                )
                + "</p>"
            )
        parts.append("\n</div>\n")
    return "".join(parts)


def loader_tags(
    js_src: str,
    css_href: str,
    settings: Settings,
    static_dir: Path | None = None,
    worker: WorkerScript | None = None,
    *,
    apps: Iterable[AppSpec] = (),
) -> str:
    """``<head>`` tags for a page with apps, for front ends that write HTML
    themselves: :func:`loader_link` and :func:`loader_script`."""
    return loader_link(css_href) + loader_script(js_src, settings, static_dir, worker, apps=apps)


def loader_link(css_href: str) -> str:
    """The loader's stylesheet (the app box), after the theme's: it styles the theme's page."""
    return f'<link rel="stylesheet" href="{html.escape(css_href, quote=True)}">\n'


def loader_script(
    js_src: str,
    settings: Settings,
    static_dir: Path | None = None,
    worker: WorkerScript | None = None,
    *,
    apps: Iterable[AppSpec] = (),
) -> str:
    """The loader's tag; the URLs travel as attributes, so no inline script is needed
    (``static_dir``: the site folder holding the loader, see ``preload_urls``; ``worker``:
    stlite's worker, served next to the loader, ``worker_script.site_worker``; ``apps``: the
    page's apps, ``loader_tag.loader_attributes``). It may come before the theme's scripts: it is
    async, and the sooner the parser creates it, the sooner Python starts."""
    attrs = "".join(
        f' {name}="{html.escape(value, quote=True)}"'
        for name, value in loader_attributes(settings, static_dir, worker, apps=apps).items()
    )
    return f'<script type="module" src="{html.escape(js_src, quote=True)}"{attrs}></script>\n'


def _script_slot(page: str, head_end: int) -> int:
    """Where the loader's tag goes in a page's ``<head>`` (ending at ``head_end``): before its
    first script (themes' scripts there wait for every stylesheet, and the parser with them;
    the loader, async, starts Python meanwhile), or at its end."""
    first_script = page.find("<script", 0, head_end)
    return head_end if first_script == -1 else first_script


def with_loader(
    page: str,
    js_src: str,
    css_href: str,
    settings: Settings,
    *,
    static_dir: Path | None = None,
    worker: WorkerScript | None = None,
    apps: Iterable[AppSpec] = (),
) -> str:
    """A whole page of a theme's with the loader's tags in its ``<head>`` (see
    :func:`loader_tags`): the tag early (:func:`_script_slot`), the stylesheet last (after
    the theme's, which it overrides)."""
    script = loader_script(js_src, settings, static_dir, worker, apps=apps)
    link = loader_link(css_href)
    head_end = page.find("</head>")
    if head_end == -1:
        return link + script + page
    at = _script_slot(page, head_end)
    return page[:at] + script + page[at:head_end] + link + page[head_end:]


def loader_tag_early(page: str, file_name: str) -> str:
    """A written page with the loader's tag (the script whose ``src`` names ``file_name``,
    with or without a query) moved to where :func:`with_loader` puts it, for hosts whose
    themes place scripts themselves: some (Furo, Shibuya) put them all at the end of
    ``<body>``, after an inline script that waits for every stylesheet, so the loader, and
    Python, would start only once the page's stylesheets are in. Unchanged when the tag is
    already there, missing, or the page has no ``<head>``."""
    tag = re.search(
        r'<script\b[^>]*\bsrc="(?:[^"]*/)?' + re.escape(file_name) + r'(?:\?[^"]*)?"[^>]*>'
        r"</script>\n?",
        page,
    )
    if tag is None or "</head>" not in page:
        return page
    rest = page[: tag.start()] + page[tag.end() :]
    at = _script_slot(rest, rest.find("</head>"))
    return rest[:at] + tag.group(0) + rest[at:]


# Printable ASCII that may stay as it is in a data: URL inside a double-quoted attribute
# (``%`` and ``#`` are URL syntax; quotes, ``&``, ``<`` and ``>`` are HTML syntax).
_DATA_URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "%#\"&'<>")


@cache
def _inline_loader() -> tuple[str, str]:
    js = "data:text/javascript," + quote(shipped_text(LOADER_INLINE_JS), safe=_DATA_URL_SAFE)
    return js, shipped_text(LOADER_INLINE_CSS)


def inline_loader_tags(settings: Settings) -> str:
    """The loader and its stylesheet inside the page, for hosts that cannot add files to
    the site or tags to ``<head>`` (Zensical, plain Python-Markdown).

    The loader is a module script whose ``src`` is a ``data:`` URL: a document evaluates a
    module once per URL, so themes that re-insert the page's scripts on navigation (Zensical's
    and Material's instant navigation) do not start a second loader; the one running picks up
    the new page's apps. Needs ``data:`` in ``script-src`` under a Content Security Policy, as
    stlite's worker does; the ``<style>`` gets the ``style_nonce``.
    """
    js, css = _inline_loader()
    nonce = f' nonce="{_attr(settings.style_nonce)}"' if settings.style_nonce else ""
    attrs = "".join(
        f' {name}="{_attr(value)}"' for name, value in loader_attributes(settings).items()
    )
    return (
        f'<style class="stlite-docs-style"{nonce}>{css.strip()}</style>\n'
        f'<script type="module" src="{js}"{attrs}></script>\n'
    )
