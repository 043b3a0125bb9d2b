"""The ``stlite`` fence of pymdownx.superfences, for every Python-Markdown host.

SuperFences calls a custom fence's ``validator`` and ``formatter`` with the Markdown
instance. Both are module-level functions here (picklable: Zensical hashes its
configuration with pickle), and what they need to know about the page travels in a
:class:`PageState` that a preprocessor of the Markdown instance creates at the start
of each conversion (:func:`page_state` finds it). Hosts differ only in how they fill it:
the MkDocs plugin from its page events, the ``stlite_docs.markdown`` extension from its
own configuration (and from Zensical's page context where it runs there).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from pymdownx import superfences
from pymdownx.superfences import SuperFencesCodeExtension, SuperFencesException

from stlite_docs import (
    OPTION_NAMES,
    AppErrors,
    AppSpec,
    Settings,
    SourceContext,
    build_app,
    element_id,
)
from stlite_docs.checks import PageApp, check_page
from stlite_docs.render import plain_source_html, render_mount

from .sites import FenceSite, claim_site, scan_stlite_fences

FENCE = "stlite"
STATE_PREPROCESSOR = "stlite_docs_page"


class FenceError(SuperFencesException):  # type: ignore[misc]
    """A fence that cannot become an app. SuperFences re-raises its own exception type
    (any other is swallowed and the fence becomes a plain code block)."""


@dataclass(frozen=True)
class PageInfo:
    """What the host knows about the page being converted.

    ``document`` is the page's path in the docs (``guide/apps.md``), used in messages and
    element ids, empty when unknown; ``line_offset`` counts the lines the host removed
    above the Markdown it converts (front matter), so messages name lines of the file;
    ``full_pages``: the folder of this page's apps' own pages, as a URL relative to the
    page (ending with ``/``), where the host writes them (:mod:`stlite_docs.fullpage`).
    """

    document: str
    ctx: SourceContext
    line_offset: int = 0
    full_pages: str | None = None


def _raise_fence_error(message: str) -> Exception:
    return FenceError(message)


@dataclass
class PageState:
    """One page's apps, as the fence formatter builds them.

    ``loader`` is HTML put before the page's first app (the extension's loader tags;
    empty where the host adds them itself). A bad app is reported with ``report_error``
    at each of its problems and shown as its source; ``finish`` then fails the page
    (``fail_at_end``), or the host fails the build once every page was read (MkDocs).
    ``error`` makes the exception raised (a SuperFences exception, so it is not
    swallowed into a plain code block); ``warn`` reports the rest.
    """

    info: PageInfo
    settings: Settings
    loader: str = ""
    warn: Callable[[str], None] = print
    report_error: Callable[[str], None] = print
    error: Callable[[str], Exception] = _raise_fence_error
    fail_at_end: bool = True
    failed: int = 0
    sites: list[FenceSite] = field(default_factory=list)
    apps: list[PageApp] = field(default_factory=list)
    specs: list[tuple[AppSpec, str]] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    #: (app, element id) of the apps that link to a page of their own
    full_pages: list[tuple[AppSpec, str]] = field(default_factory=list)

    def where(self, line: int | None) -> str:
        """``document:line`` of a line of the converted Markdown, for messages."""
        document = self.info.document or "<markdown>"
        if line is None:
            return document
        return f"{document}:{line + self.info.line_offset}"

    def render(self, source: str, options: dict[str, str], md: Markdown) -> str:
        """One fence's mount element, checked, with the page's loader before the first."""
        site = claim_site(self.sites, source)
        line = site.line if site else None
        where = self.where(line)
        try:
            built = build_app(source, options, self.info.ctx)
        except AppErrors as exc:
            # Options sit in the fence's first line: their errors are reported there.
            for problem in exc.errors:
                at = line + problem.line if line and problem.line is not None else line
                self.report_error(f"{self.where(at)}: {problem.message}")
            self.failed += 1
            return plain_source_html(source)
        for warning in built.warnings:
            at = line + warning.body_line if line and warning.body_line is not None else line
            self.warn(f"{self.where(at)}: {warning.message}")
        spec = built.spec
        stem = self.info.document.rsplit(".", 1)[0] if "." in self.info.document else ""
        elem_id = spec.element_id or element_id(stem or self.info.document, len(self.apps))
        if elem_id in self.ids:
            first = self.ids[elem_id]
            raise self.error(f"{where}: id {elem_id!r} is already used by the app at {first}")
        self.ids[elem_id] = where
        self.apps.append(PageApp(where=where, requirements=spec.requirements, config=spec.config))
        self.specs.append((spec, where))

        def highlight(code: str, language: str) -> str:
            return _highlight(code, language, md)

        if spec.full_page and self.info.full_pages is None:
            self.warn(
                f"{where}: option 'full_page': this site generator writes no page of "
                "an app's own (the MkDocs plugin and Sphinx do); no link is shown"
            )
        full_page = None
        if self.info.full_pages is not None and spec.wants_full_page(self.settings.full_page_links):
            full_page = self.info.full_pages + quote(f"{elem_id}.html")
            self.full_pages.append((spec, elem_id))
        html = render_mount(
            spec,
            elem_id,
            highlight,
            share_links=self.settings.share_links,
            full_page_href=full_page,
            actions=self.settings.app_actions,
        )
        return (self.loader + html) if len(self.apps) == 1 else html

    def finish(self) -> None:
        """After the conversion: fences SuperFences did not read are errors (their text
        became page text), apps of the page must agree on what they share, and bad apps
        fail the page (``fail_at_end``)."""
        unread = [site for site in self.sites if not site.used]
        if unread:
            raise self.error(
                f"{self.where(unread[0].line)}: this stlite fence is not an app: write its "
                f'options as name="value" (names: {", ".join(sorted(OPTION_NAMES))})'
            )
        inherited = self.settings.inherited_theme_options()
        for index, message in check_page(self.apps, inherited):
            self.warn(f"{self.apps[index].where}: {message}")
        if self.failed and self.fail_at_end:
            failed = f"{self.failed} app(s) of this page have errors (reported above)"
            raise self.error(f"{self.where(None)}: {failed}")


def validator(
    language: str,
    inputs: dict[str, str],
    options: dict[str, str],
    attrs: dict[str, str],
    md: Markdown,
) -> bool:
    """Accept every attribute and pass it on to the core, which reports unknown ones
    with the list of valid names (SuperFences would otherwise ignore the fence)."""
    options.update(inputs)
    return True


def formatter(
    source: str,
    language: str,
    class_name: str,
    options: dict[str, str],
    md: Markdown,
    **kwargs: Any,
) -> str:
    """The fence's HTML: the mount element of the app (see :class:`PageState`)."""
    state = page_state(md)
    if state is None:  # a Markdown call outside any page (e.g. another plugin's)
        return plain_source_html(source)
    return state.render(source, options, md)


def _highlight(source: str, language: str, md: Markdown) -> str:
    """The site's own code highlighting (pymdownx.highlight settings), so the fallback
    code looks like every other code block of the site."""
    if "fenced_code_block" not in md.preprocessors:
        return plain_source_html(source, language)
    highlight = getattr(md.preprocessors["fenced_code_block"], "highlight", None)
    if highlight is None:
        return plain_source_html(source, language)
    html: str = highlight(
        src=source, language=language, options={}, md=md, classes=[], id_value="", attrs={}
    )
    return html


class _StatePreprocessor(Preprocessor):
    """Starts each conversion with a fresh :class:`PageState` (found by :func:`page_state`)."""

    def __init__(
        self, md: Markdown, start: Callable[[Markdown, list[str]], PageState | None]
    ) -> None:
        super().__init__(md)
        self.start = start
        self.state: PageState | None = None

    def run(self, lines: list[str]) -> list[str]:
        _add_fence(self.md)
        self.state = state = self.start(self.md, lines)
        if state is not None:
            state.sites = scan_stlite_fences("\n".join(lines))
        return lines


class _FinishPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        state = page_state(self.md)
        if state is not None:
            state.finish()
        return text


def page_state(md: Markdown) -> PageState | None:
    """The state of the page ``md`` is converting, if a host set one up."""
    if STATE_PREPROCESSOR not in md.preprocessors:
        return None
    processor = md.preprocessors[STATE_PREPROCESSOR]
    return processor.state if isinstance(processor, _StatePreprocessor) else None


class FenceExtension(Extension):
    """Registers the ``stlite`` fence with SuperFences (loading SuperFences if no
    extension listed before this one did) and the page-state processors. Subclasses
    say what a page is (:meth:`start_page`)."""

    def start_page(self, md: Markdown, lines: list[str]) -> PageState | None:
        """The state of the page whose conversion starts (its Markdown is ``lines``)."""
        raise NotImplementedError

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if _fence_owner(md) is None:  # no SuperFences listed before this extension
            md.registerExtensions(["pymdownx.superfences"], {})
        _add_fence(md)
        # After whitespace normalisation (30), before SuperFences reads fences (25).
        md.preprocessors.register(_StatePreprocessor(md, self.start_page), STATE_PREPROCESSOR, 28)
        md.postprocessors.register(_FinishPostprocessor(md), "stlite_docs_finish", 0)


def _fence_owner(md: Markdown) -> SuperFencesCodeExtension | None:
    """The SuperFences extension whose preprocessor reads this Markdown's fences."""
    if "fenced_code_block" not in md.preprocessors:
        return None
    owner = getattr(md.preprocessors["fenced_code_block"], "extension", None)
    return owner if isinstance(owner, SuperFencesCodeExtension) else None


def _is_ours(entry: dict[str, Any]) -> bool:
    fmt = entry.get("formatter")
    return isinstance(fmt, functools.partial) and fmt.keywords.get("_fmt") is formatter


def _add_fence(md: Markdown) -> None:
    """Register the fence with the SuperFences that reads fences (once). Called again at
    each conversion: a SuperFences listed after this extension replaced the first."""
    owner = _fence_owner(md)
    if owner is None or any(_is_ours(entry) for entry in owner.superfences):
        return
    # pymdown-extensions releases before the per-fence reset hook (10.0 among them) take three
    reset = getattr(superfences, "_reset", None)
    owner.extend_super_fences(
        FENCE,
        functools.partial(superfences._formatter, class_name=FENCE, _fmt=formatter),
        functools.partial(superfences._validator, validator=validator),
        *([functools.partial(reset, _reset=superfences.default_reset)] if reset else []),
    )
