"""``.. stlite::`` (reST) and ```` ```{stlite} ```` (MyST): an author's app to a node.

The body and options go to the core (``build_app``) as written; its errors are reported at
the line they concern (the option's own line, a line of the body, or the directive's), each
recorded so the build fails at its end.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StateMachine
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from stlite_docs import OPTIONS, AppError, AppErrors, SourceContext, build_app, element_id

from .nodes import stlite_app
from .option_lines import option_location
from .raw_body import raw_directive_body
from .state import doc_state

logger = logging.getLogger(__name__)


class _AnyOptionSpec(dict[str, Any]):
    """Lets unknown option names through to the core, which reports them as a
    located build error listing the valid names; docutils and MyST would drop
    the whole app with only a warning. ``sorted(spec)`` still shows real names."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class StliteDirective(SphinxDirective):
    """``.. stlite::`` with the app's source as body (or ``:file:``)."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1  # atsphinx-stlite's form: ``.. stlite:: ./app.py``
    option_spec: ClassVar[dict[str, Any]] = _AnyOptionSpec(
        {option.name: directives.unchanged for option in OPTIONS}
    )

    def run(self) -> list[nodes.Node]:
        state = doc_state(self.env, self.env.docname)
        body = "\n".join(self.content)
        if isinstance(self.state_machine, StateMachine):  # reST (MyST has its own)
            settings = self.state.document.settings
            raw = raw_directive_body(
                self.content, settings.input_encoding or "utf-8-sig", settings.tab_width
            )
            body = body if raw is None else raw
        ctx = _source_context(str(self.env.doc2path(self.env.docname)), str(self.env.srcdir))
        options = {k: ("" if v is None else str(v)) for k, v in self.options.items()}
        try:
            argument = self.arguments[0] if self.arguments else None
            built = build_app(body, options, ctx, argument)
        except AppErrors as exc:
            for error in exc.errors:
                location = self._error_location(error)
                logger.error(error.message, location=location, type="stlite", subtype="app")
                state.errors.append(f"{location}: {error.message}")
            block = nodes.literal_block(body, body, language="python")
            return [block]

        for dep in built.dependencies:
            self.env.note_dependency(str(dep))
        for warning in built.warnings:
            logger.warning(
                warning.message,
                location=self._location(warning.body_line),
                type="stlite",
                subtype=warning.subtype,
            )

        state.apps += 1
        index = self.env.new_serialno("stlite")
        node = stlite_app()
        node["spec"] = built.spec
        node["element_id"] = built.spec.element_id or element_id(self.env.docname, index)
        self.set_source_info(node)
        text_files = [(p, c) for p, c in built.spec.files if isinstance(c, str)]
        for path, content in text_files:
            if len(text_files) > 1:
                node += nodes.paragraph(path, "", nodes.literal(path, path))
            language = "python" if path.endswith(".py") else "text"
            node += nodes.literal_block(content, content, language=language)
        return [node]

    def _error_location(self, error: AppError) -> str:
        """Where to report an error: its body line, else its option's line, else the
        directive's first line."""
        if error.line is None and error.option is not None:
            option_line = option_location(self, error.option)
            if option_line is not None:
                return option_line
        return self._location(error.line)

    def _location(self, body_line: int | None) -> str:
        """``source:line`` of the directive, or of a line inside its body."""
        if body_line is not None and 0 < body_line <= len(self.content):
            source, offset = self.content.info(body_line - 1)
            if source is not None and offset is not None:
                state_machine: object = self.state_machine  # typed as docutils' own
                if not isinstance(state_machine, StateMachine):
                    # MyST's mock state machine numbers content lines from 0 and
                    # gives content_offset relative to the directive's own line.
                    return f"{source}:{self.lineno + self.content_offset + offset + 1}"
                return f"{source}:{offset + 1}"
        source, line = self.get_source_info()
        return f"{source}:{line}"


@lru_cache(maxsize=64)
def _source_context(doc_path: str, src_dir: str) -> SourceContext:
    """One per document, not per app: the same few paths for every app of a page."""
    return SourceContext(doc_dir=Path(doc_path).parent, root_dir=Path(src_dir))
