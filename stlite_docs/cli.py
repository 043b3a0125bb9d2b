"""``stlite-docs``: the commands for hosts without a plugin API (Zensical, plain Python-Markdown).

``stlite-docs loader DIR`` writes the loader, its stylesheet and stlite's worker into a folder
of the docs (sites whose Content Security Policy allows no ``data:`` script set the extension's
``loader_dir`` to it; pages then start Python before stlite's bundle).
``stlite-docs vendor SITE_DIR`` makes a built site self-contained: it reads every app of the
site's pages (the configs in their mount elements), vendors stlite, Pyodide and what the apps
need into ``SITE_DIR/assets/stlite-docs/`` with the core's vendoring,
and points each page's loader there by relative URL. Run it after every build.
``stlite-docs prerender SITE_DIR`` puts a snapshot of each app's first screen into the built
site's pages (:mod:`stlite_docs.prerender`), as the ``prerender`` setting does in Sphinx and
the MkDocs plugin.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import posixpath
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .app import AppSpec, FileContent
from .assets import write_file
from .errors import ConfigError
from .pinned import static_imports
from .settings import Settings
from .worker_script import WorkerScript, site_files, site_worker

VENDOR_DIR = "assets/stlite-docs"

_CONFIG_RE = re.compile(
    r'<div class="stlite-docs-app" id="(?P<id>[^"]*)"[^>]*>\s*'
    r'<template class="stlite-docs-config">(?P<json>.*?)</template>',
    re.S,
)
_LOADER_TAG_RE = re.compile(r'<script\b[^>]*\bdata-stlite-js="[^"]*"[^>]*>')
_SRC_RE = re.compile(r'\bsrc="(?P<src>[^"]*)"')
_URL_ATTRS = {
    "data-stlite-js": "stlite/stlite.js",
    "data-stlite-css": "stlite/stlite.css",
    "data-pyodide": "pyodide/pyodide.mjs",
}
_WORKER_ATTRS_RE = re.compile(r'\s+data-stlite-(?:worker|worker-check|wheels)="[^"]*"')


def write_loader(folder: Path) -> list[Path]:
    """The loader's files and its stylesheet, as shipped, into ``folder``, with stlite's
    worker for sites on the default stlite (pages then start Python before stlite's bundle)."""
    written = []
    for name, data in site_files(site_worker(Settings())).items():
        write_file(folder / name, data)
        written.append(folder / name)
    return written


def site_apps(site: Path) -> Iterator[tuple[Path, str, AppSpec]]:
    """``(page, element id, app)`` of every app of the built site, in a stable order."""
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if "stlite-docs-config" not in text:
            continue
        for match in _CONFIG_RE.finditer(text):
            config = json.loads(html.unescape(match["json"]))
            files: list[tuple[str, FileContent]] = [
                (path, content if isinstance(content, str) else base64.b64decode(content["base64"]))
                for path, content in config["files"].items()
            ]
            spec = AppSpec(
                entrypoint=config["entrypoint"],
                files=tuple(files),
                requirements=tuple(config.get("requirements", ())),
                setup=str(config.get("setup", "")),
            )
            yield page, match["id"], spec


def point_pages_at(site: Path, vendor_dir: str, worker: WorkerScript | None = None) -> int:
    """Rewrite each page's loader settings to the vendored files (relative URLs, so the site
    works from any sub-path), and to ``worker`` (stlite's worker in the vendor folder; None:
    no worker settings); the number of pages changed."""
    changed = 0
    vendored = site / vendor_dir / "stlite" / "stlite.js"
    chunks = static_imports(vendored.read_text(encoding="utf-8")) if vendored.is_file() else []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data-stlite-js" not in text:
            continue
        page_dir = posixpath.dirname(page.relative_to(site).as_posix())

        def rewrite(tag: re.Match[str], page_dir: str = page_dir) -> str:
            src = _SRC_RE.search(tag[0])
            # An inlined loader (data: URL) resolves its settings against the page; a loader
            # file against its own URL.
            base = page_dir
            if src and not src["src"].startswith("data:"):
                base = posixpath.dirname(posixpath.normpath(posixpath.join(page_dir, src["src"])))
            out = _WORKER_ATTRS_RE.sub("", tag[0])
            for attr, target in _URL_ATTRS.items():
                url = posixpath.relpath(f"{vendor_dir}/{target}", base or ".")
                out = re.sub(rf'\b{attr}="[^"]*"', f'{attr}="{html.escape(url)}"', out)
            # the chunks the vendored stlite.js imports, hinted when the loader starts it
            stlite = posixpath.relpath(f"{vendor_dir}/stlite", base or ".")
            hints = " ".join(f"{stlite}/{chunk[2:]}" for chunk in chunks)
            out = re.sub(r'\sdata-preload="[^"]*"', "", out)
            if hints:
                out = out.replace(
                    " data-stlite-js=", f' data-preload="{html.escape(hints)}" data-stlite-js=', 1
                )
            if worker is not None:
                href = posixpath.relpath(f"{vendor_dir}/{worker.file_name}", base or ".")
                attrs = "".join(
                    f' {name}="{html.escape(value)}"'
                    for name, value in worker.script_attributes(href).items()
                )
                out = out.replace(" data-stlite-js=", f"{attrs} data-stlite-js=", 1)
            return out

        new = _LOADER_TAG_RE.sub(rewrite, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def vendor_site(site: Path, sources: dict[str, str | None], base: Path) -> str:
    """Vendor what the site's apps need into ``site/assets/stlite-docs`` and point every
    page there; the size report. Raises ``VendorError`` (located at ``page#id``) or
    ``ConfigError``."""
    from .selfcontained import STLITE_DIR, app_needs, vendor

    given: dict[str, Any] = {name: value for name, value in sources.items() if value}
    try:
        resolved = Settings(**given).validated().resolved(base)
    except ConfigError as exc:
        message = str(exc)
        for name in given:  # name the options as the command spells them
            message = message.replace(name, "--" + name.replace("_", "-"))
        raise ConfigError(message) from None
    needs = [
        app_needs(spec, f"{page.relative_to(site).as_posix()}#{elem_id}")
        for page, elem_id, spec in site_apps(site)
    ]
    if not needs:
        return "no app found in the site: nothing to vendor"
    report = vendor(needs, site / VENDOR_DIR, resolved, log=lambda m: print(m, file=sys.stderr))
    # stlite's worker out of the vendored build, in the vendor folder
    worker = site_worker(resolved, site / VENDOR_DIR / STLITE_DIR)
    if worker is not None:
        write_file(site / VENDOR_DIR / worker.file_name, worker.site_source)
    pages = point_pages_at(site, VENDOR_DIR, worker)
    return f"{report.summary()}; {pages} pages point at it"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="stlite-docs", description="Live Streamlit apps in documentation pages."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    loader = commands.add_parser(
        "loader",
        help="write stlite-docs.js and stlite-docs.css (and stlite's worker) into a "
        "folder of the docs (for the Markdown extension's loader_dir)",
    )
    loader.add_argument("folder", type=Path)
    vendor = commands.add_parser(
        "vendor",
        help="make a built site self-contained: stlite, Pyodide and the apps' "
        "packages served from the site itself",
    )
    vendor.add_argument("site_dir", type=Path, help="the built site (e.g. site/)")
    vendor.add_argument(
        "--browser-source", help="npm registry, or local @stlite/browser tarball or folder"
    )
    vendor.add_argument("--pyodide-source", help="Pyodide distribution URL or local folder")
    vendor.add_argument("--package-index", help="simple package index URL or local wheel folder")
    vendor.add_argument("--cache-dir", help="download cache folder")
    prerender = commands.add_parser(
        "prerender",
        help="put a snapshot of each app's first screen into the built site's pages (needs "
        "stlite-docs[prerender]); run it after the build (and after 'vendor')",
    )
    prerender.add_argument("site_dir", type=Path, help="the built site (e.g. site/)")
    prerender.add_argument(
        "--base-url",
        help="where the site is served already (default: the folder is served on localhost "
        "while the snapshots are made)",
    )
    prerender.add_argument(
        "--timeout", type=float, default=60.0, help="seconds an app's first run may take (60)"
    )
    prerender.add_argument("--browser", default="", help="the Chromium-based browser to use")
    prerender.add_argument("--cache-dir", help="snapshot cache folder")
    prerender.add_argument("--style-nonce", default="", help="the site's CSP nonce for <style>")
    args = parser.parse_args(argv)
    if args.command == "loader":
        for path in write_loader(args.folder):
            print(f"wrote {path}")
        return 0
    if args.command == "prerender":
        return _prerender(parser, args)
    from .errors import VendorError

    site: Path = args.site_dir
    if not site.is_dir():
        parser.error(f"{site} is not a folder (build the site first)")
    sources = {
        "browser_source": args.browser_source,
        "pyodide_source": args.pyodide_source,
        "package_index": args.package_index,
        "cache_dir": args.cache_dir,
    }
    try:
        print(vendor_site(site, sources, Path.cwd()))
    except ConfigError as exc:
        parser.error(str(exc))
    except VendorError as exc:
        lines = [f"{p.where}: {p.message}" if p.where else p.message for p in exc.problems]
        print(
            "stlite-docs: the site cannot be made self-contained:\n" + "\n".join(lines),
            file=sys.stderr,
        )
        return 1
    return 0


#: The settings as the prerender command's options spell them.
_PRERENDER_OPTIONS = {
    "--prerender_timeout": "--timeout",
    "--prerender_browser": "--browser",
    "--style_nonce": "--style-nonce",
    "--cache_dir": "--cache-dir",
}


def _prerender(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``stlite-docs prerender``: problems go to stderr as ``page#id: why``; exit 1 if any."""
    site: Path = args.site_dir
    if not site.is_dir():
        parser.error(f"{site} is not a folder (build the site first)")
    try:
        settings = Settings(
            prerender=True,
            prerender_timeout=args.timeout,
            prerender_browser=args.browser,
            cache_dir=args.cache_dir,
            style_nonce=args.style_nonce,
        ).validated(prefix="--")
    except ConfigError as exc:
        message = str(exc)
        for name, option in _PRERENDER_OPTIONS.items():
            message = message.replace(name, option)
        parser.error(message)
    from .prerender import prerender_built_site

    def progress(done: int, total: int, page: str) -> None:
        print(f"rendering app snapshots: {done}/{total} pages ({page})", file=sys.stderr)

    try:
        report = prerender_built_site(
            site, settings.resolved(Path.cwd()), base_url=args.base_url, progress=progress
        )
    except ConfigError as exc:
        print(f"stlite-docs: {exc}", file=sys.stderr)
        return 1
    for problem in report.problems:
        print(f"{problem.page}#{problem.elem_id}: no snapshot: {problem.message}", file=sys.stderr)
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
