"""Pinned versions, default URLs and the loader's files.

Defaults pin exact versions (never "latest") so a site built today runs the same
stlite next year; every URL can be overridden for mirrors and offline sites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

STLITE_VERSION = "1.9.2"
PYODIDE_VERSION = "0.29.3"

DEFAULT_JS_URL = f"https://cdn.jsdelivr.net/npm/@stlite/browser@{STLITE_VERSION}/build/stlite.js"
DEFAULT_CSS_URL = f"https://cdn.jsdelivr.net/npm/@stlite/browser@{STLITE_VERSION}/build/stlite.css"
DEFAULT_PYODIDE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/pyodide.mjs"

# Where a self-contained build downloads from (``stlite_docs.vendor``). Kept here, not
# in vendor.py, because the Sphinx extension's setup() needs them as config defaults on
# every build, and importing the vendoring machinery costs ~25 ms a build that never vendors.
DEFAULT_BROWSER_SOURCE = "https://registry.npmjs.org/"
DEFAULT_PYODIDE_SOURCE = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
DEFAULT_PACKAGE_INDEX = "https://pypi.org/simple/"

# The loader, as built from loader/src by ``npm run build`` (committed; a test checks it is
# fresh): the entry every page with apps loads, and the part it imports when an app starts.
LOADER_JS = "stlite-docs.js"
LOADER_MOUNT_JS = "stlite-docs-mount.js"
LOADER_CSS = "stlite-docs.css"
# Every file of the loader a site gets, side by side in one folder (the entry imports the
# second file relative to itself).
LOADER_FILES = (LOADER_JS, LOADER_MOUNT_JS, LOADER_CSS)
STATIC_DIR = Path(__file__).parent / "static"

# An http(s) URL, or a path without a scheme (``javascript:``, ``data:`` or
# ``ftp:`` values must not pass as "paths").
# "auto": follow the site's light/dark scheme (Furo, Material, or the reader's system
# setting); "light"/"dark": force one; "off": leave Streamlit's own choice alone.
THEMES = ("auto", "light", "dark", "off")

# What apps may take from the site's look (the ``inherit`` setting), mapped to the
# Streamlit theme option the loader sets from it: the page's body font, and its
# primary colour (Furo's --color-brand-primary, Material's --md-primary-fg-color,
# else the colour of a link in the content).
INHERITABLE = {"font": "font", "primary_color": "primaryColor"}

_URL_RE = re.compile(r"^(?:(?i:https?)://[^\s/]+|(?![A-Za-z][A-Za-z0-9+.\-]*:))[^\s\"'<>]*$")


# A CSP nonce, or a placeholder the web server replaces per response.
_NONCE_RE = re.compile(r"^[!#-%(-;=?-~]+$")


class ConfigError(ValueError):
    """A site-level setting is wrong; front ends report it with the setting's name."""


@dataclass(frozen=True)
class Settings:
    """Site-wide URLs. Relative URLs resolve against the loader script's own URL
    (the site's static folder), so they work from every page and any sub-path."""

    js_url: str = DEFAULT_JS_URL
    css_url: str = DEFAULT_CSS_URL
    pyodide_url: str = DEFAULT_PYODIDE_URL
    theme: str = "auto"
    style_nonce: str = ""
    # A list of INHERITABLE names; True means all of them, False none.
    inherit: Sequence[str] | bool = tuple(INHERITABLE)

    def inherited(self) -> tuple[str, ...]:
        """The ``inherit`` setting as a tuple of names, in INHERITABLE's order."""
        if isinstance(self.inherit, bool):
            return tuple(INHERITABLE) if self.inherit else ()
        return tuple(name for name in INHERITABLE if name in self.inherit)

    def inherited_theme_options(self) -> tuple[str, ...]:
        """Streamlit theme options (``font``, ``primaryColor``) the loader sets from the site."""
        return tuple(INHERITABLE[name] for name in self.inherited())

    def validated(self, names: dict[str, str]) -> Settings:
        """Check each URL; ``names`` maps field to the user-facing setting name."""
        for field_name, suffixes in (
            ("js_url", (".js", ".mjs")),
            ("css_url", (".css",)),
            ("pyodide_url", (".mjs",)),
        ):
            value = getattr(self, field_name)
            shown = names.get(field_name, field_name)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{shown} must be a non-empty URL string, got {value!r}")
            if not _URL_RE.match(value) or value.startswith("//"):
                raise ConfigError(f"{shown}: {value!r} is not an http(s) URL or a path")
            if not value.split("?", 1)[0].split("#", 1)[0].endswith(suffixes):
                raise ConfigError(
                    f"{shown}: {value!r} should end with {' or '.join(suffixes)}"
                    + (" (the URL of pyodide.mjs)" if field_name == "pyodide_url" else "")
                )
        if self.theme not in THEMES:
            shown = names.get("theme", "theme")
            raise ConfigError(f"{shown}: {self.theme!r} is not one of {', '.join(THEMES)}")
        nonce = self.style_nonce
        if not isinstance(nonce, str) or (nonce and not _NONCE_RE.match(nonce)):
            shown = names.get("style_nonce", "style_nonce")
            raise ConfigError(
                f"{shown}: {nonce!r} is not a CSP nonce (ASCII without spaces, quotes, <, > or &)"
            )
        inherit = self.inherit
        if not isinstance(inherit, bool):
            shown = names.get("inherit", "inherit")
            choices = ", ".join(repr(name) for name in INHERITABLE)
            # A bare string is a sequence too: "font" must not pass as ["f", "o", ...].
            if isinstance(inherit, str) or not isinstance(inherit, Sequence):
                raise ConfigError(
                    f"{shown} must be a list of {choices} (or True / False), got {inherit!r}"
                )
            for name in inherit:
                if name not in INHERITABLE:
                    raise ConfigError(f"{shown}: {name!r} is not one of {choices}")
        return self

    def script_attributes(self) -> dict[str, str]:
        """Attributes of the loader's ``<script>`` tag: how it learns the URLs
        without any inline script (strict CSP allows no inline code)."""
        return {
            "data-stlite-js": self.js_url,
            "data-stlite-css": self.css_url,
            "data-pyodide": self.pyodide_url,
            "data-theme": self.theme,
            # Streamlit's option names, which the loader uses as they are.
            "data-inherit": " ".join(self.inherited_theme_options()),
            **({"data-style-nonce": self.style_nonce} if self.style_nonce else {}),
        }


def static_files() -> tuple[Path, Path]:
    """The loader and its stylesheet, as kept in the package (commented)."""
    return STATIC_DIR / LOADER_JS, STATIC_DIR / LOADER_CSS


_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE_RE = re.compile(r"\s*([{};,>])\s*")
_CSS_QUOTED_ATTR_RE = re.compile(r'="([A-Za-z_][\w-]*)"\]')  # [a="b"] -> [a=b]
_CSS_LEADING_ZERO_RE = re.compile(r"(?<![\w.#-])0\.(\d)")  # 0.5em -> .5em


def shipped_text(name: str) -> str:
    """The file as written into sites, as small as it safely gets: a page with
    apps pays for every byte. The loader's JavaScript is shipped as built (bundled
    and minified by esbuild from loader/src); the stylesheet loses comments and
    insignificant spaces."""
    if name.endswith(".js"):
        return (STATIC_DIR / name).read_text(encoding="utf-8")
    text = _CSS_COMMENT_RE.sub("", (STATIC_DIR / name).read_text(encoding="utf-8"))
    text = " ".join(text.split())
    text = _CSS_SPACE_RE.sub(r"\1", text).replace(": ", ":").replace(";}", "}")
    text = _CSS_QUOTED_ATTR_RE.sub(r"=\1]", text.replace(" !important", "!important"))
    return _CSS_LEADING_ZERO_RE.sub(r".\1", text) + "\n"


def shipped_files() -> dict[str, str]:
    """File name -> content for the site's static folder."""
    return {name: shipped_text(name) for name in LOADER_FILES}
