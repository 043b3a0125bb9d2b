"""Sphinx front end: the ``stlite`` directive (reST and MyST) and per-page assets.

Users add ``extensions = ["stlite_docs.sphinx_ext"]``. Everything that is not translation
between Sphinx and the core lives in ``stlite_docs``. Here: ``directive`` (the author's app to
a node), ``nodes`` (the node and how each builder writes it), ``events`` (the build's steps),
``site`` (the settings and the files of the site), ``state`` (what is kept between steps),
``self_contained`` (the self-contained build's steps), ``prerender`` (the apps' snapshots);
this module only connects them.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from stlite_docs import SETTINGS, __version__

from . import events, prerender, self_contained
from .directive import StliteDirective
from .nodes import depart_nothing, stlite_app, visit_children_only, visit_stlite_html
from .site import CONFIG_PREFIX

__all__ = ["StliteDirective", "setup", "stlite_app"]


def setup(app: Sphinx) -> dict[str, Any]:
    for setting in SETTINGS:
        app.add_config_value(
            CONFIG_PREFIX + setting.name,
            setting.default,
            "html" if setting.affects_output else "",
            types=frozenset(setting.types),
        )
    # Recognised only to explain that it has no effect (atsphinx-stlite migration).
    app.add_config_value("stlite_default_version", None, "html", types=frozenset({str}))
    passthrough = (visit_children_only, depart_nothing)
    app.add_node(
        stlite_app,
        html=(visit_stlite_html, depart_nothing),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    app.add_directive("stlite", StliteDirective)
    app.connect("config-inited", events.on_config_inited)
    app.connect("html-page-context", events.on_html_page_context)
    app.connect("doctree-read", events.on_doctree_read)
    app.connect("env-purge-doc", events.on_env_purge_doc)
    app.connect("env-merge-info", events.on_env_merge_info)
    app.connect("env-updated", events.on_env_updated)
    app.connect("build-finished", events.on_build_finished)
    self_contained.setup(app)
    prerender.setup(app)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
