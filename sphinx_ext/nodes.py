"""The app's doctree node and how each builder writes it.

HTML pages get the app element (the core's ``render_mount``); every other output (LaTeX,
text, man, texinfo, e-books) shows the node's children: the app's source as literal blocks.
"""

from __future__ import annotations

from urllib.parse import quote

from docutils import nodes
from sphinx.util.docutils import SphinxTranslator
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from stlite_docs import AppSpec, render_mount
from stlite_docs.fullpage import full_page_name

from .highlight import highlight_block
from .site import is_live_html

FULL_PAGE_DIR = "_stlite"  # each app's own page: _stlite/<docname>/<element id>.html


class stlite_app(nodes.General, nodes.Element):
    """One app. Its child is a literal block of the source, which is what
    non-HTML builders (LaTeX, text, man, texinfo, epub) render."""


def full_page_path(docname: str, node: stlite_app) -> str:
    """The app's own page, relative to the output folder (a URL path)."""
    return quote(f"{FULL_PAGE_DIR}/{full_page_name(docname, node['element_id'])}")


def visit_stlite_html(self: HTML5Translator, node: stlite_app) -> None:
    if not is_live_html(self.builder):
        return  # the child literal block renders the source
    spec: AppSpec = node["spec"]

    def highlight(code: str, language: str) -> str:
        return highlight_block(self.highlighter, code, language, node)

    config = self.builder.config
    full_page = None
    if spec.wants_full_page(bool(config.stlite_full_page_links)):
        page = self.builder.get_target_uri(self.builder.current_docname)
        full_page = relative_uri(page, full_page_path(self.builder.current_docname, node))
    share = bool(config.stlite_share_links)
    self.body.append(
        render_mount(
            spec,
            node["element_id"],
            highlight,
            share_links=share,
            full_page_href=full_page,
            actions=bool(config.stlite_app_actions),
        )
    )
    raise nodes.SkipNode


def visit_children_only(self: SphinxTranslator, node: stlite_app) -> None:
    """Non-HTML output shows the source (the child literal block) and nothing else."""


def depart_nothing(self: SphinxTranslator, node: stlite_app) -> None:
    pass
