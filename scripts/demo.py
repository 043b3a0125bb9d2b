"""Build the demo sites (Sphinx, MkDocs, Zensical, Jupyter Book 2) and serve them on localhost.

``--offline`` serves stlite and Pyodide from a local copy built from the npm and
PyPI registries (the one the tests use) instead of the public CDNs, for machines
without internet access; apps that need numpy/pandas cannot run in that mode. Jupyter
Book 2 downloads its book theme when it builds; offline, the demo uses the small theme
the tests build from the @myst-theme npm packages instead.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo_docs"
OUT = DEMO / "_build"


def build(env_urls: dict[str, str], offline: bool = False) -> dict[str, Path]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env_urls}
    sphinx_out, mkdocs_out = OUT / "sphinx", OUT / "mkdocs"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(DEMO / "sphinx"),
            str(sphinx_out),
        ],
        check=True,
        env=env,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(DEMO / "mkdocs" / "mkdocs.yml"),
            "-d",
            str(mkdocs_out),
        ],
        check=True,
        env=env,
    )
    zensical_out = OUT / "zensical"
    build_zensical(zensical_out, env)
    jupyter_book_out = OUT / "jupyter-book"
    build_jupyter_book(jupyter_book_out, env, offline)
    return {
        "sphinx": sphinx_out,
        "mkdocs": mkdocs_out,
        "zensical": zensical_out,
        "jupyter-book": jupyter_book_out,
    }


def build_zensical(out: Path, env: dict[str, str]) -> None:
    """``zensical build`` writes next to its mkdocs.yml: build a copy, keep the site."""
    work = OUT / "zensical-src"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(DEMO / "zensical", work)
    subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(work / "mkdocs.yml")],
        check=True,
        env=env,
        cwd=work,
    )
    shutil.rmtree(out, ignore_errors=True)
    (work / "site").replace(out)


def build_jupyter_book(out: Path, env: dict[str, str], offline: bool) -> None:
    """``myst build --html`` of a copy whose myst.yml names this interpreter's plugin (and,
    offline, the test theme); the site settings go in as STLITE_DOCS_* variables."""
    work = OUT / "jupyter-book-src"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(DEMO / "jupyter-book", work)
    config = (work / "myst.yml").read_text(encoding="utf-8")
    plugin = Path(sys.executable).parent / "stlite-docs-myst"
    config = config.replace("../../.venv/bin/stlite-docs-myst", str(plugin))
    if offline:
        sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the test bed; the tests' site helpers
        from host_sites import ensure_myst_theme

        config = config.replace("template: book-theme", f"template: {ensure_myst_theme()}")
    (work / "myst.yml").write_text(config, encoding="utf-8")
    myst_env = {
        **env,
        **{
            f"STLITE_DOCS_{k.removeprefix('STLITE_')}": v
            for k, v in env.items()
            if k.startswith("STLITE_") and k.endswith("URL")
        },
    }
    subprocess.run(
        [str(Path(sys.executable).parent / "myst"), "build", "--html"],
        check=True,
        env=myst_env,
        cwd=work,
    )
    shutil.rmtree(out, ignore_errors=True)
    (work / "_build" / "html").replace(out)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (same shape as the base class table)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--offline",
        action="store_true",
        help="serve stlite and Pyodide from a local copy, not the CDNs",
    )
    parser.add_argument("--no-serve", action="store_true", help="build only")
    args = parser.parse_args(argv)

    env_urls: dict[str, str] = {}
    if args.offline:
        sys.path.insert(0, str(REPO))  # the test bed (testbed/, not part of the package)
        from testbed.offline_dist import ensure_distribution

        dist = ensure_distribution()
        link = OUT / "_dist"
        OUT.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(dist.root, target_is_directory=True)
        env_urls = {
            "STLITE_JS_URL": "/_dist/stlite/stlite.js",
            "STLITE_CSS_URL": "/_dist/stlite/stlite.css",
            "STLITE_PYODIDE_URL": "/_dist/pyodide/pyodide.mjs",
        }
    try:
        build(env_urls, offline=args.offline)
    except subprocess.CalledProcessError as exc:
        print(
            f"The demo build failed (see the messages above): {' '.join(exc.cmd[2:4])}",
            file=sys.stderr,
        )
        return 1
    print(f"Built the demo sites into {OUT}")
    if args.no_serve:
        return 0
    handler = functools.partial(_Handler, directory=str(OUT))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        print(f"Sphinx demo: {base}/sphinx/index.html")
        print(f"MkDocs demo: {base}/mkdocs/index.html")
        print(f"Zensical demo: {base}/zensical/index.html")
        print(f"Jupyter Book 2 demo: {base}/jupyter-book/index.html")
        print("Press Ctrl+C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
