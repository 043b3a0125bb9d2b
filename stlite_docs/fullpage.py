"""An app on a page of its own: the target of the "Open full page" link under each app.

The build writes one small HTML page per app next to the site's pages (Sphinx:
``_stlite/<document>/<id>.html``; the MkDocs plugin: ``assets/stlite-docs/apps/...``). It
loads the site's own loader with the site's settings (so the same stlite and Pyodide URLs,
the vendored ones in a self-contained site, and it works offline there) and holds the same
mount element as the docs page, for the app alone: as tall as its content, the whole width,
started at once (the reader asked for it), in Streamlit's own look (a bare page has no site
look to take). A separate document gets a runtime of its own, so the app's state is not
shared with the docs page; multipage apps navigate inside it as on the docs page.

Hosts without a build step that writes files (the Python-Markdown extension, mystmd) write
no full pages and show no link.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
from pathlib import Path

from .app import AppSpec
from .assets import LOADER_CSS, LOADER_JS, write_file
from .render import loader_tags, plain_source_html, render_mount
from .settings import Settings
from .worker_script import WorkerScript


def full_page_folder(document: str) -> str:
    """The folder of a document's apps' pages, inside the host's folder for them: one per
    document (element ids are unique on a page, not across the site)."""
    stem = document.rsplit(".", 1)[0] if document.endswith((".md", ".rst", ".ipynb")) else document
    return stem.strip("/") or "index"


def full_page_name(document: str, elem_id: str) -> str:
    """Where an app's page goes, inside the host's folder for them."""
    return posixpath.join(full_page_folder(document), f"{elem_id}.html")


def full_page_html(
    spec: AppSpec,
    elem_id: str,
    *,
    title: str,
    loader_js: str,
    loader_css: str,
    settings: Settings,
    static_dir: Path | None = None,
    worker: WorkerScript | None = None,
) -> str:
    """The page's HTML. ``loader_js`` and ``loader_css`` are the loader's files as seen from
    the page; ``settings`` are the docs pages' (their relative URLs resolve against the
    loader, so they hold from here too); ``title`` is plain text; ``worker``: stlite's worker
    served next to the loader, as on the docs pages."""
    own = dataclasses.replace(settings, inherit=False)  # no site look on a bare page

    def highlight(code: str, language: str) -> str:
        return plain_source_html(code, language)

    alone = spec.on_full_page()
    app = render_mount(alone, elem_id, highlight)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"{loader_tags(loader_js, loader_css, own, static_dir, worker, apps=[alone])}"
        '</head>\n<body class="stlite-docs-full">\n'
        f"{app}\n"
        "</body>\n</html>\n"
    )


def write_full_page(
    site_dir: Path,
    path: str,
    spec: AppSpec,
    elem_id: str,
    *,
    title: str,
    loader_dir: str,
    settings: Settings,
    worker: WorkerScript | None = None,
) -> None:
    """Write an app's page (:func:`full_page_html`) at ``path`` (a URL path under the built
    site ``site_dir``), loading the site's loader from ``loader_dir`` (where the host put the
    loader's files, relative to the site's root): the one way every host writes it."""
    here = posixpath.dirname(path)
    text = full_page_html(
        spec,
        elem_id,
        title=title,
        loader_js=posixpath.relpath(f"{loader_dir}/{LOADER_JS}", here),
        loader_css=posixpath.relpath(f"{loader_dir}/{LOADER_CSS}", here),
        settings=settings,
        static_dir=site_dir / loader_dir,
        worker=worker,
    )
    write_file(site_dir / path, text.encode("utf-8"))
