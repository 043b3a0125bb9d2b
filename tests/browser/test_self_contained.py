"""Self-contained sites: stlite, Pyodide and the apps' wheels vendored into the build.

The public sources (npm registry, jsDelivr, PyPI) are unreachable here, so the sources point
at local copies: the offline test distribution (a Pyodide distribution as a local folder, and
stlite's build), the real ``@stlite/browser`` tarball from ``npm pack``, and a folder of
wheels (``humanize`` from PyPI, which the Pyodide lock lacks, plus wheels made here). The
HTTP code paths (registry metadata, downloads, simple index) run against a loopback server.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from browser.live import Live
from stlite_docs.errors import VendorError
from stlite_docs.pinned import PINNED_STLITE_CHUNK
from stlite_docs.selfcontained import AppNeeds, vendor
from stlite_docs.selfcontained.cache import PARTIAL
from stlite_docs.settings import Settings
from stlite_docs.worker_script import worker_from_build
from testbed.browser import Server, serve
from testbed.build import preload_hints
from testbed.offline_dist import Distribution

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "self-contained"
HUMANIZE = ("humanize", "4.12.3")
STLITE_SPEC = "@stlite/browser@1.9.2"
SUMMARY_RE = re.compile(
    r"self-contained site: (?P<mb>[\d.]+) MB vendored in (?P<files>\d+) files.*?"
    r"downloaded (?P<downloaded>\d+) files \([\d.]+ MB\), linked (?P<linked>\d+), "
    r"copied (?P<copied>\d+), rewrote (?P<rewrote>\d+), removed (?P<removed>\d+)"
)
HUMANIZE_APP = (
    "import streamlit as st\n"
    "import humanize\n"
    "st.write('humanized: ' + humanize.naturalsize(1_000_000))\n"
)


# --- inputs ---------------------------------------------------------------------------------


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, timeout=900)


@pytest.fixture(scope="session")
def wheel_dir() -> Path:
    """A folder of wheels standing in for PyPI: humanize (pure, not in the Pyodide lock)."""
    folder = CACHE / "wheels"
    name, version = HUMANIZE
    if not list(folder.glob(f"{name}-{version}-*.whl")):
        tmp = CACHE / f"wheels.partial-{os.getpid()}"
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.13",
            "--platform",
            "any",
            "--implementation",
            "py",
            "--abi",
            "none",
            "--disable-pip-version-check",
            "-q",
            "-d",
            str(tmp),
            f"{name}=={version}",
        ]
        proc = _run(cmd)
        assert proc.returncode == 0, proc.stderr
        folder.mkdir(parents=True, exist_ok=True)
        for wheel in tmp.glob("*.whl"):
            wheel.replace(folder / wheel.name)
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


@pytest.fixture(scope="session")
def stlite_tgz() -> Path:
    """The real ``@stlite/browser`` tarball, as the npm registry serves it."""
    target = CACHE / "stlite-browser-1.9.2.tgz"
    if not target.is_file():
        tmp = CACHE / f"npm.partial-{os.getpid()}"
        tmp.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        assert npm, "npm is needed to fetch @stlite/browser"
        proc = _run([npm, "pack", STLITE_SPEC, "--pack-destination", str(tmp)], cwd=tmp)
        assert proc.returncode == 0, proc.stderr
        (tmp / target.name).replace(target)
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def make_wheel(
    folder: Path,
    name: str,
    version: str,
    *,
    requires: tuple[str, ...] = (),
    tag: str = "py3-none-any",
    module: str = "",
) -> Path:
    """A small real wheel (METADATA, WHEEL, RECORD and one module)."""
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-{tag}.whl"
    folder.mkdir(parents=True, exist_ok=True)
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name.replace('-', '_')}.py", module or f"NAME = {name!r}\n")
        zf.writestr(f"{dist}.dist-info/METADATA", meta)
        zf.writestr(f"{dist}.dist-info/WHEEL", f"Wheel-Version: 1.0\nTag: {tag}\n")
        zf.writestr(f"{dist}.dist-info/RECORD", "")
    return path


def local_sources(dist: Distribution, index: Path, cache: Path) -> dict[str, str]:
    """The vendoring settings, by name, for a build from the offline distribution."""
    return {
        "browser_source": str(dist.stlite_dir),
        "pyodide_source": str(dist.pyodide_dir),
        "package_index": str(index),
        "cache_dir": str(cache),
    }


# --- sites ----------------------------------------------------------------------------------


def write_sphinx(src: Path, sources: dict[str, str], pages: dict[str, str]) -> None:
    conf = [
        'extensions = ["stlite_docs.sphinx_ext"]',
        'project = "self-contained"',
        "stlite_self_contained = True",
        *(f"stlite_{name} = {value!r}" for name, value in sources.items()),
    ]
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text("\n".join(conf) + "\n")
    for name, body in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(body)


def rst_app(source: str, **options: str) -> str:
    opts = "".join(f"   :{k}: {v}\n" for k, v in options.items())
    return f".. stlite::\n{opts}\n{textwrap.indent(source, '   ')}\n"


def md_app(source: str, **options: str) -> str:
    opts = "".join(f' {k}="{v}"' for k, v in options.items())
    return f"```stlite{opts}\n{source}```\n"


def write_mkdocs(root: Path, sources: dict[str, str], pages: dict[str, str]) -> None:
    plugin: dict[str, object] = {"self_contained": True, **sources}
    # Material without Google Fonts: the theme itself then makes no third-party request
    # (MkDocs' default theme loads highlight.js from a CDN)
    config = {
        "site_name": "self-contained",
        "theme": {"name": "material", "font": False},
        "plugins": [{"stlite": plugin}],
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(json.dumps(config, indent=1))  # JSON is YAML
    for name, body in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(body)


def sphinx_build(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "sphinx", "-W", "-b", "html", str(src), str(out)])


def mkdocs_build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return _run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(out),
        ]
    )


def summary(proc: subprocess.CompletedProcess[str]) -> dict[str, float]:
    match = SUMMARY_RE.search(proc.stdout + proc.stderr)
    assert match, f"no size report in the build output:\n{proc.stdout}\n{proc.stderr}"
    return {k: float(v) for k, v in match.groupdict().items()}


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in folder.rglob("*")
        if p.is_file()
    }


def partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(PARTIAL) or p.suffix == ".part"]


@dataclass
class Built:
    sphinx: Path
    mkdocs: Path
    reports: dict[str, list[dict[str, float]]]
    sphinx_state: tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution, wheel_dir: Path
) -> Built:
    """Both front ends, each built twice with the same cache (the second build is a no-op)."""
    work = tmp_path_factory.mktemp("self-contained")
    sources = local_sources(offline_dist, wheel_dir, work / "cache")
    plain = "import streamlit as st\nst.write('plain app ready')\n"
    sub = "import streamlit as st\nst.write('sub page ready')\n"
    write_sphinx(
        work / "sphinx-src",
        sources,
        {
            "index.rst": "Home\n====\n\n"
            + rst_app(HUMANIZE_APP, requirements="humanize")
            + "\n"
            + rst_app(plain)
            + "\n.. toctree::\n\n   sub/page\n",
            "sub/page.rst": "Sub\n===\n\n" + rst_app(sub, requirements="six"),
        },
    )
    write_mkdocs(
        work / "mkdocs-src",
        sources,
        {
            "index.md": "# Home\n\n"
            + md_app(HUMANIZE_APP, requirements="humanize")
            + "\n"
            + md_app(plain)
            + "\n[sub](sub/page.md)\n",
            "sub/page.md": "# Sub\n\n" + md_app(sub, requirements="six"),
        },
    )
    reports: dict[str, list[dict[str, float]]] = {"sphinx": [], "mkdocs": []}
    sphinx_out, mkdocs_out = work / "sphinx-html", work / "mkdocs-html"
    states = []
    for _ in range(2):
        proc = sphinx_build(work / "sphinx-src", sphinx_out)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        reports["sphinx"].append(summary(proc))
        states.append(tree_state(sphinx_out / "_static" / "stlite-docs"))
        proc = mkdocs_build(work / "mkdocs-src", mkdocs_out)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        reports["mkdocs"].append(summary(proc))
    return Built(sphinx_out, mkdocs_out, reports, (states[0], states[1]))


# --- builds ---------------------------------------------------------------------------------


def _vendor_dir(built: Built, site: str) -> Path:
    if site == "sphinx":
        return built.sphinx / "_static" / "stlite-docs"
    return built.mkdocs / "assets" / "stlite-docs"


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_the_build_vendors_stlite_pyodide_and_the_wheels(built: Built, site: str) -> None:
    vendored = _vendor_dir(built, site)
    assert (vendored / "stlite" / "stlite.js").is_file()
    assert (vendored / "stlite" / "stlite.css").is_file()
    assert list((vendored / "stlite" / "wheels").glob("streamlit-*.whl"))
    assert not list(vendored.rglob("*.map")), "source maps are not shipped"
    pyodide = vendored / "pyodide"
    for core in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (pyodide / core).is_file()
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    # the runtime's closure, the apps' requirements, and nothing the site does not need
    for name in ("micropip", "protobuf", "blinker", "altair", "six", "humanize"):
        assert name in packages
    assert "jedi" not in packages and "matplotlib" not in packages
    humanize = packages["humanize"]
    assert humanize["version"] == HUMANIZE[1]
    assert humanize["imports"] == ["humanize"]
    for entry in packages.values():  # every listed file is there, with the lock's hash
        data = (pyodide / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
    files = {p.name for p in pyodide.iterdir()}
    listed = {e["file_name"] for e in packages.values()} | {
        "pyodide.mjs",
        "pyodide.asm.js",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    }
    assert files == listed
    assert not partial_files(vendored)
    first = built.reports[site][0]
    assert 40 < first["mb"] < 70 and first["files"] > 250
    # stlite's worker, taken out of the vendored chunk, next to the loader, named by its tag
    worker = worker_from_build(vendored / "stlite")
    loader_dir = vendored.parent if site == "sphinx" else vendored  # where stlite-docs.js is
    assert (loader_dir / worker.file_name).read_bytes() == worker.site_source
    page = built.sphinx / "index.html" if site == "sphinx" else built.mkdocs / "index.html"
    html = page.read_text(encoding="utf-8")
    assert f'data-stlite-worker="{worker.file_name}"' in html
    assert f'data-stlite-worker-check="{worker.data_url_check}"' in html


def test_pages_reference_everything_by_relative_url(built: Built) -> None:
    sphinx_index = (built.sphinx / "index.html").read_text()
    sphinx_sub = (built.sphinx / "sub" / "page.html").read_text()
    mk_index = (built.mkdocs / "index.html").read_text()
    mk_sub = (built.mkdocs / "sub" / "page" / "index.html").read_text()
    for html in (sphinx_index, sphinx_sub, mk_index, mk_sub):
        assert "cdn.jsdelivr.net" not in html and "pypi.org" not in html
        assert 'data-pyodide="' in html
    assert 'data-stlite-js="stlite-docs/stlite/stlite.js"' in sphinx_index
    assert 'data-pyodide="stlite-docs/pyodide/pyodide.mjs"' in sphinx_sub
    assert 'src="../_static/stlite-docs.js' in sphinx_sub
    assert 'data-stlite-js="stlite/stlite.js"' in mk_index
    assert 'src="../../assets/stlite-docs/stlite-docs.js"' in mk_sub
    # the vendored stlite.js and the chunk read from it are hinted by the loader (after it
    # started Python from the site's copy of stlite's worker), relative to each page
    chunk = f"stlite/{PINNED_STLITE_CHUNK}"
    for page, html, loader_dir in (
        (built.sphinx / "index.html", sphinx_index, "http://s/_static/stlite-docs/"),
        (built.sphinx / "sub" / "page.html", sphinx_sub, "http://s/_static/stlite-docs/"),
        (built.mkdocs / "index.html", mk_index, "http://s/assets/stlite-docs/"),
        (built.mkdocs / "sub" / "page" / "index.html", mk_sub, "http://s/assets/stlite-docs/"),
    ):
        root = built.sphinx if loader_dir.startswith("http://s/_static") else built.mkdocs
        page_url = "http://s/" + page.relative_to(root).as_posix()
        assert preload_hints(BeautifulSoup(html, "html.parser"), page_url) == [
            loader_dir + "stlite/stlite.js",
            loader_dir + chunk,
        ], page
    # requirements stay names: micropip finds them in the site's own lock
    assert "&quot;humanize&quot;" in sphinx_index or '"humanize"' in sphinx_index


def test_snapshots_of_a_self_contained_site_are_made_from_the_site_alone(
    built: Built, tmp_path: Path
) -> None:
    """``stlite-docs prerender`` on the built site: the build's browser runs the apps on the
    site's own stlite, Pyodide and wheels (the humanize wheel included), served from the site
    folder: no other source is there."""
    site = tmp_path / "site"
    shutil.copytree(built.sphinx, site)
    command = [sys.executable, "-m", "stlite_docs.cli", "prerender", str(site)]
    proc = _run([*command, "--cache-dir", str(tmp_path / "cache")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 rendered, 0 from the cache" in proc.stdout
    assert "rendering app snapshots: 2/2 pages" in proc.stderr
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.count('class="stlite-docs-snapshot"') == 2  # Alabaster: one scheme
    # the app's output: what only running it with the vendored humanize gives
    assert "humanized: 1.0 MB" in page


def test_a_rebuild_downloads_and_copies_nothing(built: Built) -> None:
    first, second = built.reports["sphinx"]
    assert first["linked"] + first["copied"] > 250 and first["rewrote"] == 1
    assert second["downloaded"] == 0
    assert (second["linked"], second["copied"], second["rewrote"], second["removed"]) == (0,) * 4
    before, after = built.sphinx_state
    assert before == after, "the second Sphinx build touched vendored files"
    # MkDocs empties site_dir on every build: the files come back as hard links to the
    # cache, nothing is copied and nothing downloaded
    mk_second = built.reports["mkdocs"][1]
    assert mk_second["downloaded"] == 0 and mk_second["copied"] == 0
    assert mk_second["linked"] > 250


# --- the browser ----------------------------------------------------------------------------

PREFIX = "/deep/sub-path"


@pytest.fixture(scope="module")
def server(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``python -m http.server``, as a reader's admin would run it, serving only the two
    built sites under a sub-path; its access log becomes the request log."""
    root = tmp_path_factory.mktemp("http-root")
    (root / PREFIX.strip("/")).mkdir(parents=True)
    (root / PREFIX.strip("/") / "sphinx").symlink_to(built.sphinx)
    (root / PREFIX.strip("/") / "mkdocs").symlink_to(built.mkdocs)
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        port = re.search(r"port (\d+)", proc.stdout.readline())
        assert port, "python -m http.server did not start"
        srv = Server(base_url=f"http://127.0.0.1:{port[1]}")
        stderr = proc.stderr

        def read_log() -> None:
            for line in stderr:
                request = re.search(r'"GET (\S+) HTTP', line)
                if request:
                    srv.requests.append(request[1])

        threading.Thread(target=read_log, daemon=True).start()
        yield srv
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize(
    ("site", "pages"),
    [("sphinx", ("index", "sub/page")), ("mkdocs", ("index", "sub/page/index"))],
)
def test_apps_run_with_every_request_on_the_site_itself(
    live: Live, site: str, pages: tuple[str, str]
) -> None:
    start = len(live.server.requests)
    prefix = f"{PREFIX}/{site}"
    live.goto(prefix.lstrip("/"), pages[0])
    live.expect_text(0, "humanized: 1.0 MB", timeout=150_000)
    live.expect_text(1, "plain app ready", timeout=150_000)
    first_page = live.server.requests[start:]
    for name in ("/stlite/stlite.js", f"/stlite/{PINNED_STLITE_CHUNK}", "/stlite/stlite.css"):
        assert sum(r.endswith(name) for r in first_page) == 1, name  # once (the css: hinted)
    # Python started from the site's own copy of stlite's worker, and both apps run on it
    assert [w["url"].rsplit("/", 1)[-1] for w in live.worker_targets()] == [
        next(r for r in first_page if "/stlite-docs-worker-" in r).rsplit("/", 1)[-1]
    ]
    assert not [w for w in live.console_warnings if "preload" in w]
    # the app's own page, written by the build: the same vendored stlite and Pyodide
    full = live.page.locator(".stlite-docs-block").nth(1).get_by_role("link", name="Open full page")
    live.page.goto(urljoin(live.page.url, str(full.get_attribute("href"))))
    live.expect_text(0, "plain app ready", timeout=150_000)
    assert live.page.locator(".stlite-docs-app").count() == 1
    live.goto(prefix.lstrip("/"), pages[1])
    live.expect_text(0, "sub page ready", timeout=150_000)
    requests = live.server.requests[start:]
    assert any("/pyodide/humanize-" in r for r in requests)
    assert any(r.endswith("/stlite/stlite.js") for r in requests)
    assert any(r.endswith("/stlite-index-1.html") for r in requests), requests
    # /favicon.ico: Chromium's own lookup for a page that declares no icon (Sphinx's basic
    # theme), always at the server root whatever the site does
    outside = [r for r in requests if not r.startswith(prefix + "/") and r != "/favicon.ico"]
    assert not outside, f"requests outside the site's own path: {outside}"
    assert not live.page_errors


# --- the core with HTTP sources: verification, corrupt cache, unreachable sources ----------


def _http_sources(
    root: Path, stlite_tgz: Path, dist: Distribution, wheel_dir: Path
) -> dict[str, Path]:
    """A fake npm registry, the Pyodide folder and a PEP 503 index, to serve over HTTP."""
    registry = root / "registry"
    registry.mkdir(parents=True)
    shutil.copyfile(stlite_tgz, registry / "browser-1.9.2.tgz")
    simple = root / "simple" / "humanize"
    simple.mkdir(parents=True)
    wheel = next(wheel_dir.glob(f"{HUMANIZE[0]}-{HUMANIZE[1]}-*.whl"))
    shutil.copyfile(wheel, simple / wheel.name)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    (simple / "index.html").write_text(
        f'<html><body><a href="{wheel.name}#sha256={digest}" '
        f'data-requires-python="&gt;=3.9">{wheel.name}</a></body></html>'
    )
    return {"registry": registry, "pyodide": dist.pyodide_dir, "simple": root / "simple"}


def test_http_sources_are_verified_cached_and_refetched(
    tmp_path: Path, stlite_tgz: Path, offline_dist: Distribution, wheel_dir: Path
) -> None:
    folders = _http_sources(tmp_path / "srv", stlite_tgz, offline_dist, wheel_dir)
    cache = tmp_path / "cache"
    needs = [AppNeeds("page.md:3", ("humanize>=4",))]
    logs: list[str] = []
    with serve({f"/{k}": v for k, v in folders.items()}) as srv:
        url = srv.base_url
        digest = hashlib.sha512(stlite_tgz.read_bytes()).digest()
        integrity = "sha512-" + base64.b64encode(digest).decode()  # checked against the pin
        (folders["registry"] / "@stlite%2fbrowser").write_text(
            json.dumps(
                {
                    "versions": {
                        "1.9.2": {
                            "dist": {
                                "tarball": f"{url}/registry/browser-1.9.2.tgz",
                                "integrity": integrity,
                            }
                        }
                    }
                }
            )
        )
        sources = Settings(
            browser_source=f"{url}/registry/",
            pyodide_source=f"{url}/pyodide/",
            package_index=f"{url}/simple/",
            cache_dir=str(cache),
        )
        first = vendor(needs, tmp_path / "out1", sources, log=logs.append)
        assert first.downloaded_files > 30 and first.index_packages == ["humanize==4.12.3"]
        assert first.requests > first.downloaded_files  # metadata and the index page too
        served = len(srv.requests)

        second = vendor(needs, tmp_path / "out2", sources, log=logs.append)
        assert second.downloaded_files == 0 and second.requests == 0
        assert len(srv.requests) == served
        assert second.linked == second.files - 1  # all but the generated lock

        # damaged cache entries: a downloaded wheel, a Pyodide core file, and a file unpacked
        # from the stlite tarball
        out1 = tmp_path / "out1"
        wheel_blob = _blob(cache, out1 / "pyodide" / "humanize-4.12.3-py3-none-any.whl")
        asm_blob = _blob(cache, out1 / "pyodide" / "pyodide.asm.js")
        css_blob = _blob(cache, out1 / "stlite" / "stlite.css")
        for blob in (wheel_blob, asm_blob, css_blob):
            blob.unlink()  # the outputs keep their (hard-linked) good copies
            blob.write_bytes(b"corrupt")
        third = vendor(needs, tmp_path / "out3", sources, log=logs.append)
        assert len(third.corrupt) == 3, third.corrupt
        assert third.downloaded_files == 2  # the wheel and pyodide.asm.js; css from the tarball
        for rel in (
            "pyodide/humanize-4.12.3-py3-none-any.whl",
            "pyodide/pyodide.asm.js",
            "stlite/stlite.css",
        ):
            assert (tmp_path / "out3" / rel).read_bytes() == (tmp_path / "out1" / rel).read_bytes()
        assert any("is corrupt" in line for line in logs)

        for blob in (wheel_blob, asm_blob):
            blob.write_bytes(b"corrupt again")

    # the server is gone: a corrupt entry that cannot be fetched again is a clear error,
    # and the output folder is not created
    with pytest.raises(VendorError, match=r"cannot fetch .* from http://127\.0\.0\.1:\d+/"):
        vendor(needs, tmp_path / "out4", sources, log=logs.append)
    assert not (tmp_path / "out4").exists()
    # an unreachable source with an empty cache: the same
    fresh = dataclasses.replace(sources, cache_dir=str(tmp_path / "cache2"))
    with pytest.raises(VendorError, match=r"@stlite/browser metadata from http://127"):
        vendor(needs, tmp_path / "out5", fresh, log=logs.append)
    assert not (tmp_path / "out5").exists()
    assert not partial_files(cache) and not partial_files(tmp_path)


def _blob(cache: Path, output_file: Path) -> Path:
    digest = hashlib.sha256(output_file.read_bytes()).hexdigest()
    return cache / "v1" / "blobs" / digest[:2] / digest


# --- what the resolver decides ----------------------------------------------------------------


def test_lock_entries_are_replaced_added_and_conflicts_located(
    tmp_path: Path, offline_dist: Distribution
) -> None:
    index = tmp_path / "wheels"
    make_wheel(index, "six", "1.99.0")  # newer than the lock's six 1.17.0
    make_wheel(
        index,
        "chain-top",
        "1.0",
        requires=("chain-leaf>=2", "packaging", "winonly; sys_platform == 'win32'"),
    )
    make_wheel(index, "chain-leaf", "1.0")
    make_wheel(index, "chain-leaf", "2.1")
    make_wheel(index, "compiledonly", "1.0", tag="cp313-cp313-manylinux_2_17_x86_64")
    local: dict[str, Any] = local_sources(offline_dist, index, tmp_path / "cache")
    sources = Settings(**local)
    report = vendor(
        [
            AppNeeds("a.rst:4", ("six>=1.99", "chain-top")),
            AppNeeds("b.md:7", ("packaging",), imports=("jedi", "csv", "streamlit")),
        ],
        tmp_path / "out",
        sources,
        log=lambda m: None,
    )
    lock = json.loads((tmp_path / "out" / "pyodide" / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    assert packages["six"]["version"] == "1.99.0"  # the index's wheel replaced the lock's
    assert packages["chain-top"]["depends"] == ["chain-leaf", "packaging"]
    assert packages["chain-leaf"]["version"] == "2.1"
    assert "winonly" not in packages
    assert packages["packaging"]["version"] == "24.2"  # from the lock, satisfied
    assert "jedi" in packages and "parso" in packages  # imported: Pyodide would auto-load it
    assert sorted(report.index_packages) == ["chain-leaf==2.1", "chain-top==1.0", "six==1.99.0"]

    with pytest.raises(VendorError) as caught:
        vendor(
            [
                AppNeeds("a.rst:4", ("chain-top",)),
                AppNeeds("b.rst:9", ("chain-leaf<2",)),
                AppNeeds("c.rst:2", ("compiledonly",)),
                AppNeeds("d.rst:5", ("no-such-project-xyz",)),
                AppNeeds("e.rst:8", ("https://example.org/x-1.0-py3-none-any.whl",)),
                AppNeeds("f.rst:1", ("./local-1.0-py3-none-any.whl",)),  # served by the site: fine
            ],
            tmp_path / "bad",
            sources,
            log=lambda m: None,
        )
    problems = {(p.where, p.message) for p in caught.value.problems}
    wheres = sorted(str(w) for w, _ in problems)
    assert wheres == ["a.rst:4", "b.rst:9", "c.rst:2", "d.rst:5", "e.rst:8"], problems
    text = "\n".join(m for _, m in problems)
    assert "one version of each package" in text
    assert "only platform-specific wheels" in text and "manylinux" in text
    assert "no-such-project-xyz is not in Pyodide 0.29.3" in text
    assert "is a URL" in text
    assert not (tmp_path / "bad").exists()


# --- located errors through the front ends ----------------------------------------------------


def test_front_ends_report_unshippable_requirements_at_the_app(
    tmp_path: Path, offline_dist: Distribution
) -> None:
    index = tmp_path / "wheels"
    make_wheel(index, "compiledonly", "1.0", tag="cp313-cp313-manylinux_2_17_x86_64")
    sources = local_sources(offline_dist, index, tmp_path / "cache")
    app = "import streamlit as st\nst.write('x')\n"
    write_sphinx(
        tmp_path / "s",
        sources,
        {
            "index.rst": "Home\n====\n\nText.\n\n" + rst_app(app, requirements="compiledonly"),
        },
    )
    proc = sphinx_build(tmp_path / "s", tmp_path / "s-out")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert re.search(
        r"index\.rst:6: ERROR: requirement compiledonly: .*only platform-specific", output
    ), output
    assert not (tmp_path / "s-out" / "_static" / "stlite-docs").exists()
    assert not partial_files(tmp_path / "s-out")

    write_mkdocs(
        tmp_path / "m",
        sources,
        {
            "index.md": "# Home\n\nText.\n\n" + md_app(app, requirements="compiledonly"),
        },
    )
    proc = mkdocs_build(tmp_path / "m", tmp_path / "m-out")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "index.md:5: requirement compiledonly: " in output, output
    assert not (tmp_path / "m-out" / "assets" / "stlite-docs" / "pyodide").exists()

    # an unreachable source: a clear error, nothing written
    sources["pyodide_source"] = "http://127.0.0.1:9/pyodide/"
    write_sphinx(tmp_path / "s2", sources, {"index.rst": "Home\n====\n\n" + rst_app(app)})
    proc = sphinx_build(tmp_path / "s2", tmp_path / "s2-out")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "cannot fetch Pyodide pyodide.mjs from http://127.0.0.1:9/pyodide/pyodide.mjs" in output
    assert not (tmp_path / "s2-out" / "_static" / "stlite-docs").exists()


def test_settings_are_checked_when_the_configuration_loads(tmp_path: Path) -> None:
    sources = {
        "browser_source": "ftp://example.org/x",
        "pyodide_source": "p",
        "package_index": "i",
        "cache_dir": "c",
    }
    write_sphinx(tmp_path / "s", sources, {"index.rst": "Home\n====\n"})
    proc = sphinx_build(tmp_path / "s", tmp_path / "out")
    assert proc.returncode != 0
    assert "stlite_browser_source: 'ftp://example.org/x' is neither" in proc.stderr
    conf = tmp_path / "s" / "conf.py"
    conf.write_text(
        'extensions = ["stlite_docs.sphinx_ext"]\nstlite_self_contained = True\n'
        'stlite_js_url = "https://mirror.example.org/stlite.js"\n'
    )
    proc = sphinx_build(tmp_path / "s", tmp_path / "out")
    assert proc.returncode != 0
    assert "stlite_js_url cannot be combined with stlite_self_contained" in proc.stderr
    # the same check, the same words, on the MkDocs side
    write_mkdocs(tmp_path / "m", {**sources, "browser_source": "b"}, {"index.md": "# Home\n"})
    config_file = tmp_path / "m" / "mkdocs.yml"
    config = json.loads(config_file.read_text())
    config["plugins"][0]["stlite"]["pyodide_url"] = "https://mirror.example.org/pyodide.mjs"
    config_file.write_text(json.dumps(config))
    proc = mkdocs_build(tmp_path / "m", tmp_path / "m-out")
    assert proc.returncode != 0
    assert (
        "plugin 'stlite': pyodide_url cannot be combined with self_contained (the "
        "site then serves stlite and Pyodide itself); to choose where the build gets them, "
        "set browser_source and pyodide_source"
    ) in proc.stdout + proc.stderr
