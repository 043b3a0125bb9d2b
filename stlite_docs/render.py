"""The mount element: the HTML contract shared by both front ends and the loader.

Same ``AppSpec`` in, same bytes out, whichever front end calls it. The config
JSON is made safe to sit inside ``<script>``: no ``<``, ``>`` or ``&`` survive
literally, so app source containing ``</script>`` or ``<!--`` cannot end the tag.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from functools import cache

import jinja2
from markupsafe import Markup

from .app import AppSpec
from .assets import Settings
from .sharing import edit_url, share_url

_JSON_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")
_ID_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]+")


def json_for_script(data: object) -> str:
    """JSON that round-trips exactly and cannot break out of a script element.

    ``ensure_ascii`` also writes control characters and lone surrogates as
    escapes, so NUL or CR in an app source cannot alter the HTML parse.
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=False)
    return _JSON_UNSAFE_RE.sub(lambda m: _JSON_UNSAFE[m.group()], text)


def element_id(document: str, index: int) -> str:
    """Deterministic, CSS-safe id from the document name (without its file
    extension, which front ends strip) and the app's index on the page."""
    slug = _ID_UNSAFE_RE.sub("-", document)
    slug = slug.strip("-").lower() or "index"
    return f"stlite-{slug}-{index}"


def plain_source_html(source: str, language: str = "python") -> str:
    """Fallback code block for front ends without a highlighter at hand."""
    return f'<div class="highlight"><pre><code>{html.escape(source)}</code></pre></div>'


Highlighter = Callable[[str, str], str]
"""``(code, language) -> HTML``: each front end passes its site's highlighter."""

_LANGUAGES = {".py": "python", ".toml": "toml", ".md": "markdown", ".json": "json"}


def _file_html(path: str, content: str | bytes, highlight: Highlighter) -> str:
    if isinstance(content, bytes):
        return f'<p class="stlite-docs-binary">(binary file, {len(content)} bytes)</p>'
    language = _LANGUAGES.get(path[path.rfind(".") :], "text") if "." in path else "text"
    return highlight(content, language)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stlite_docs", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("app.html")


def render_mount(
    spec: AppSpec, elem_id: str, highlight: Highlighter, *, share_links: bool = False
) -> str:
    """The element the loader mounts into, plus the code pane and links its
    layout asks for. Highlighter output is trusted HTML; the rest is escaped.

    ``share_links`` is the site default; the app's own ``share`` option wins.
    """
    code = [(path, Markup(_file_html(path, content, highlight))) for path, content in spec.files]
    links = None
    if spec.share if spec.share is not None else share_links:
        links = {"share": share_url(spec), "edit": edit_url(spec)}
    if spec.layout == "app":
        fallback = code[0][1]
    else:
        fallback = Markup('<p class="stlite-docs-placeholder">The live app runs here.</p>')
    return _template().render(
        wrapped=spec.layout != "app" or links is not None,
        layout=spec.layout,
        code=code,
        links=links,
        element_id=elem_id,
        config_json=Markup(json_for_script(spec.to_config())),
        fallback_html=fallback,
    )


def loader_tags(js_src: str, css_href: str, settings: Settings) -> str:
    """``<head>`` tags for a page with apps, for front ends that write HTML
    themselves; the URLs travel as attributes, so no inline script is needed."""
    attrs = "".join(
        f' {name}="{html.escape(value, quote=True)}"'
        for name, value in settings.script_attributes().items()
    )
    return (
        f'<link rel="stylesheet" href="{html.escape(css_href, quote=True)}">\n'
        f'<script type="module" src="{html.escape(js_src, quote=True)}"{attrs}></script>\n'
    )
