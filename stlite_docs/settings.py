"""Site settings: pinned versions, every default, and the checks, in one place.

Defaults pin exact versions (never "latest") so a site built today runs the same
stlite next year; every URL can be overridden for mirrors and offline sites.

The :class:`Settings` dataclass is also the table the front ends are generated
from (:data:`SETTINGS`): each field carries its one-line doc and accepted types,
so Sphinx's ``stlite_<name>`` config values and the MkDocs plugin's ``<name>``
options (and any further front end) come from this file and cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from .errors import ConfigError
from .pinned import (
    DEFAULT_BROWSER_SOURCE,
    DEFAULT_CSS_URL,
    DEFAULT_JS_URL,
    DEFAULT_PACKAGE_INDEX,
    DEFAULT_PYODIDE_SOURCE,
    DEFAULT_PYODIDE_URL,
    PYODIDE_VERSION,
    STLITE_VERSION,
)

__all__ = [  # the pinned facts are part of what the settings' defaults say
    "DEFAULT_BROWSER_SOURCE",
    "DEFAULT_CSS_URL",
    "DEFAULT_JS_URL",
    "DEFAULT_PACKAGE_INDEX",
    "DEFAULT_PYODIDE_SOURCE",
    "DEFAULT_PYODIDE_URL",
    "PYODIDE_VERSION",
    "SETTINGS",
    "STARTS",
    "STLITE_VERSION",
    "THEMES",
    "SettingDef",
    "Settings",
    "is_url",
]


# "auto": follow the site's light/dark scheme (Furo, Material, or the reader's system
# setting); "light"/"dark": force one; "off": leave Streamlit's own choice alone.
THEMES = ("auto", "light", "dark", "off")

# When an app starts (the site's ``start`` setting, an app's ``start`` option): "eager" at
# load (stlite is fetched at once, the nearest app boots Python), "visible" once an app comes
# within a screen of the viewport (nothing of stlite or Pyodide before), "click" when the
# reader presses the app's Run button, "auto" eager unless the reader's browser asks to save
# data or is on a slow or cellular connection, then click. The loader decides (policy.js),
# also from the reader's own choices (remembered per site, or ?stlite=on|off).
STARTS = ("auto", "eager", "visible", "click")

# What apps may take from the site's look (the ``inherit`` setting), mapped to the
# Streamlit theme options the loader sets from it. The loader reads the look around the
# page's first app, in both schemes where the theme has a known switch (Furo, Material,
# PyData, MkDocs): the fonts of the text and of the site's code blocks; the primary colour
# (the theme's own, else the links'); the background behind the app and of the site's code
# blocks; the text, link and (derived) border colours; and the text size, which Streamlit
# sizes in rem of the page's root: the app box is zoomed to the text around it.
INHERITABLE: dict[str, tuple[str, ...]] = {
    "font": ("font", "codeFont"),
    "primary_color": ("primaryColor",),
    "background": ("backgroundColor", "secondaryBackgroundColor", "codeBackgroundColor"),
    "text": ("textColor", "linkColor", "borderColor", "codeTextColor"),
    "font_size": ("baseFontSize", "codeFontSize"),
}

# An http(s) URL, or a path without a scheme (``javascript:``, ``data:`` or
# ``ftp:`` values must not pass as "paths").
_URL_RE = re.compile(r"^(?:(?i:https?)://[^\s/]+|(?![A-Za-z][A-Za-z0-9+.\-]*:))[^\s\"'<>]*$")
# A CSP nonce, or a placeholder the web server replaces per response.
_NONCE_RE = re.compile(r"^[!#-%(-;=?-~]+$")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")
_DRIVE_RE = re.compile(r"^[A-Za-z]:[\\/]")  # a Windows path, not a scheme
_LOADER_URLS = {"js_url": (".js", ".mjs"), "css_url": (".css",), "pyodide_url": (".mjs",)}
_SOURCES = ("browser_source", "pyodide_source", "package_index", "cache_dir")

T = TypeVar("T")


#: Why hosts whose build writes no files of its own (the Markdown extension, mystmd) have no
#: self-contained settings, and no full pages.
_VENDOR_ONLY = "a self-contained site is made after the build, with 'stlite-docs vendor SITE_DIR'"
_PRERENDER_AFTER = (
    "snapshots are written into the built site's pages: run 'stlite-docs prerender SITE_DIR' "
    "after the build"
)
_FILES_ONLY = (
    "an app's own page is a file the build writes, and this host's build writes none (the "
    "MkDocs plugin and Sphinx do)"
)


def _setting(
    default: T,
    doc: str,
    *,
    types: tuple[type, ...] = (),
    affects_output: bool = True,
    writes_files: str = "",
) -> T:
    """A field of :class:`Settings` with what the front ends need to declare it.
    ``writes_files``: the setting needs a build step that writes the site's files (Sphinx,
    the MkDocs plugin), and why; hosts without one (the Markdown extension, mystmd) refuse it
    with that reason."""
    metadata = {
        "doc": doc,
        "types": types or (type(default),),
        "affects_output": affects_output,
        "writes_files": writes_files,
    }
    return field(default=default, metadata=metadata)


def is_url(value: str) -> bool:
    """An http(s) URL, as opposed to a local path."""
    return value.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Settings:
    """Every site-wide setting. Relative loader URLs resolve against the loader
    script's own URL (the site's static folder), so they work from every page and
    any sub-path; relative vendoring sources against the folder of the site's
    configuration file (:meth:`resolved`)."""

    js_url: str = _setting(DEFAULT_JS_URL, "URL of stlite.js (the @stlite/browser build).")
    css_url: str = _setting(DEFAULT_CSS_URL, "URL of stlite.css (the @stlite/browser build).")
    pyodide_url: str = _setting(
        DEFAULT_PYODIDE_URL, "URL of pyodide.mjs (must end with .mjs); absolute or relative."
    )
    share_links: bool = _setting(
        False,
        "Show 'Open in stlite sharing' and 'Edit' links under every app (an app's "
        "share option wins).",
    )
    app_actions: bool = _setting(
        True,
        "Show 'Copy code' and 'Download' (the app's file, or a .zip of its files with a "
        "requirements.txt) under every app, acting on the reader's edits in an editor. They "
        "appear once the app starts to load (they need the loader's second part).",
    )
    start: str = _setting(
        "auto",
        "When apps start: 'auto' (as 'eager', but 'click' where the reader's browser "
        "asks to save data or is on a slow or cellular connection), 'eager' (stlite loads "
        "with the page), 'visible' (nothing loads until an app is about to scroll into view), "
        "'click' (each app starts when the reader presses its Run button). An app's start "
        "option wins; readers can override it (remembered choice, ?stlite=on or off).",
    )
    full_page_links: bool = _setting(
        True,
        "Link every app to a page of its own ('Open full page'), which the build "
        "writes next to the site's pages (Sphinx, MkDocs plugin); an app's full_page option "
        "wins.",
        writes_files=_FILES_ONLY,
    )
    theme: str = _setting(
        "auto",
        "Apps' light/dark theme: 'auto' follows the site, 'light' or 'dark' forces "
        "one, 'off' leaves Streamlit's own choice.",
    )
    inherit: Sequence[str] | bool = _setting(
        tuple(INHERITABLE),
        "What apps take from the site's look: a list of 'font', 'primary_color', "
        "'background', 'text', 'font_size' (True: all, the default; False: none).",
        types=(list, tuple, bool),
    )
    style_nonce: str = _setting(
        "", "A CSP nonce (or the web server's placeholder) for the <style> elements Streamlit adds."
    )
    keep_warm: bool = _setting(
        True,
        "Keep Python running between the reader's pages: every page of the site connects to one "
        "shared worker, which the browser keeps across navigations (Chromium; elsewhere a "
        "worker lives as long as a page of the site uses it), so the next page's apps start "
        "without booting Python again. False: one runtime per page view.",
    )
    prerender: bool = _setting(
        False,
        "Put a snapshot of each app's first screen into the built page (made by a headless "
        "Chromium once the site is written; needs 'stlite-docs[prerender]'): readers see the "
        "app's output at once, the live app takes its place when Python is up. Cached: a "
        "rebuild renders only changed apps. Outputs that cannot run apps (LaTeX/PDF, epub, "
        "text) get a picture of the first screen above the source. An app's prerender "
        "option can opt out.",
        writes_files=_PRERENDER_AFTER,
    )
    prerender_timeout: float = _setting(
        60.0,
        "Seconds an app's first run may take when its snapshot is made; an app over it gets "
        "a warning and no snapshot.",
        types=(int, float),
        affects_output=False,
        writes_files=_PRERENDER_AFTER,
    )
    prerender_browser: str = _setting(
        "",
        "The Chromium-based browser that makes snapshots (its executable). Default: "
        "Playwright's own Chromium, else chromium or google-chrome on PATH.",
        affects_output=False,
        writes_files=_PRERENDER_AFTER,
    )
    self_contained: bool = _setting(
        False,
        "Serve stlite, Pyodide and the apps' packages from the site itself "
        "(downloaded and verified at build time).",
        writes_files=_VENDOR_ONLY,
    )
    browser_source: str = _setting(
        DEFAULT_BROWSER_SOURCE,
        "Self-contained builds: an npm registry, or a local npm "
        "pack tarball or folder of @stlite/browser.",
        writes_files=_VENDOR_ONLY,
    )
    pyodide_source: str = _setting(
        DEFAULT_PYODIDE_SOURCE,
        "Self-contained builds: a Pyodide distribution's base URL, or a local folder holding one.",
        writes_files=_VENDOR_ONLY,
    )
    package_index: str = _setting(
        DEFAULT_PACKAGE_INDEX,
        "Self-contained builds: a simple package index, or a local folder of wheels.",
        writes_files=_VENDOR_ONLY,
    )
    cache_dir: str | None = _setting(
        None,
        "The cache folder of self-contained builds' downloads and of app snapshots (default "
        "$STLITE_DOCS_CACHE_DIR, else the user cache folder).",
        types=(str, type(None)),
        affects_output=False,
        writes_files=_VENDOR_ONLY,
    )

    @classmethod
    def read(cls, get: Callable[[str], Any], prefix: str = "") -> Settings:
        """The settings of a front end's configuration, ``get(prefix + name)`` each
        (``prefix`` is ``"stlite_"`` for Sphinx's conf.py, empty for the MkDocs plugin)."""
        return cls(**{setting.name: get(prefix + setting.name) for setting in SETTINGS})

    def inherited(self) -> tuple[str, ...]:
        """The ``inherit`` setting as a tuple of names, in INHERITABLE's order."""
        if isinstance(self.inherit, bool):
            return tuple(INHERITABLE) if self.inherit else ()
        return tuple(name for name in INHERITABLE if name in self.inherit)

    def inherited_theme_options(self) -> tuple[str, ...]:
        """Streamlit theme options (``font``, ``primaryColor``, ...) the loader takes from
        the site."""
        return tuple(option for name in self.inherited() for option in INHERITABLE[name])

    def validated(self, prefix: str = "") -> Settings:
        """Check every setting; messages name it as ``prefix + name`` (how the user wrote it)."""
        for name, suffixes in _LOADER_URLS.items():
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{prefix}{name} must be a non-empty URL string, got {value!r}")
            if not _URL_RE.match(value) or value.startswith("//"):
                raise ConfigError(f"{prefix}{name}: {value!r} is not an http(s) URL or a path")
            if not value.split("?", 1)[0].split("#", 1)[0].endswith(suffixes):
                raise ConfigError(
                    f"{prefix}{name}: {value!r} should end with {' or '.join(suffixes)}"
                    + (" (the URL of pyodide.mjs)" if name == "pyodide_url" else "")
                )
        if self.start not in STARTS:
            raise ConfigError(f"{prefix}start: {self.start!r} is not one of {', '.join(STARTS)}")
        if self.theme not in THEMES:
            raise ConfigError(f"{prefix}theme: {self.theme!r} is not one of {', '.join(THEMES)}")
        nonce = self.style_nonce
        if not isinstance(nonce, str) or (nonce and not _NONCE_RE.match(nonce)):
            raise ConfigError(
                f"{prefix}style_nonce: {nonce!r} is not a CSP nonce (ASCII without spaces, "
                "quotes, <, > or &)"
            )
        timeout = self.prerender_timeout
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigError(
                f"{prefix}prerender_timeout must be a positive number of seconds, got {timeout!r}"
            )
        if not isinstance(self.prerender_browser, str):
            raise ConfigError(
                f"{prefix}prerender_browser must be a path (a string), got "
                f"{self.prerender_browser!r}"
            )
        self._check_inherit(prefix)
        self._check_sources(prefix)
        return self

    def _check_inherit(self, prefix: str) -> None:
        inherit = self.inherit
        if isinstance(inherit, bool):
            return
        choices = ", ".join(repr(name) for name in INHERITABLE)
        # A bare string is a sequence too: "font" must not pass as ["f", "o", ...].
        if isinstance(inherit, str) or not isinstance(inherit, Sequence):
            raise ConfigError(
                f"{prefix}inherit must be a list of {choices} (or True / False), got {inherit!r}"
            )
        for name in inherit:
            if name not in INHERITABLE:
                raise ConfigError(f"{prefix}inherit: {name!r} is not one of {choices}")

    def _check_sources(self, prefix: str) -> None:
        for name in _SOURCES:
            value = getattr(self, name)
            if value is None and name == "cache_dir":
                continue
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{prefix}{name} must be a non-empty string, got {value!r}")
            if _SCHEME_RE.match(value) and not _DRIVE_RE.match(value) and not is_url(value):
                raise ConfigError(f"{prefix}{name}: {value!r} is neither an http(s) URL nor a path")
        if not self.self_contained:
            return
        # A self-contained site serves stlite and Pyodide itself, so a custom URL for them
        # would be ignored without a word: an error instead.
        for name in _LOADER_URLS:
            if getattr(self, name) != getattr(DEFAULTS, name):
                raise ConfigError(
                    f"{prefix}{name} cannot be combined with {prefix}self_contained (the site "
                    "then serves stlite and Pyodide itself); to choose where the build gets "
                    f"them, set {prefix}browser_source and {prefix}pyodide_source"
                )

    def resolved(self, base: Path) -> Settings:
        """Local vendoring sources taken relative to ``base`` (the folder of conf.py or
        mkdocs.yml), ``~`` expanded; URLs as they are."""

        def local(value: str) -> str:
            if is_url(value):
                return value
            path = Path(value).expanduser()
            return str(path if path.is_absolute() else (base / path).resolve())

        changes: dict[str, Any] = {
            name: local(getattr(self, name)) for name in _SOURCES if getattr(self, name)
        }
        return replace(self, **changes)

    def script_attributes(self) -> dict[str, str]:
        """The settings' attributes on the loader's ``<script>`` tag: how it learns the URLs
        without any inline script (strict CSP allows no inline code). The whole tag, with the
        worker and the hints, is :func:`stlite_docs.loader_tag.loader_attributes`."""
        return {
            "data-stlite-js": self.js_url,
            "data-stlite-css": self.css_url,
            "data-pyodide": self.pyodide_url,
            "data-theme": self.theme,
            # the loader's default: written only when the site chose another
            **({"data-start": self.start} if self.start != "auto" else {}),
            # Streamlit's option names, which the loader uses as they are.
            "data-inherit": " ".join(self.inherited_theme_options()),
            **({"data-style-nonce": self.style_nonce} if self.style_nonce else {}),
            # the loader's default: written only when the site turned it off
            **({} if self.keep_warm else {"data-keep-warm": "false"}),
        }


DEFAULTS = Settings()


@dataclass(frozen=True)
class SettingDef:
    """One site setting as front ends declare it: Sphinx as ``stlite_<name>`` in
    conf.py, MkDocs (and other Markdown hosts) as ``<name>``."""

    name: str
    default: object
    types: tuple[type, ...]
    doc: str
    affects_output: bool  # Sphinx rebuilds the pages when it changes
    #: why a host whose build writes no files cannot take it (empty: every host can)
    writes_files: str

    @property
    def sphinx_name(self) -> str:
        return f"stlite_{self.name}"


SETTINGS: tuple[SettingDef, ...] = tuple(
    SettingDef(
        name=f.name,
        default=f.default,
        types=f.metadata["types"],
        doc=f.metadata["doc"],
        affects_output=f.metadata["affects_output"],
        writes_files=f.metadata["writes_files"],
    )
    for f in fields(Settings)
)
