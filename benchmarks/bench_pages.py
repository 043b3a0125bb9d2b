"""The pages the runtime benchmark loads.

Every strategy gets the same apps, the same 400px app boxes and the same text around them;
only the way the apps are started differs:

* ``ours``: a real Sphinx build (``extensions = ["stlite_docs.sphinx_ext"]``, one
  ``.. stlite::`` directive per app), so the page carries exactly the mount elements, head
  hints and loader tag our Sphinx glue emits, and the loader and CSS the build ships;
* ``trivial``: the 8-line loader anyone would write first: import stlite.js, then
  ``mount()`` every app at load with ``sharedWorker: true``, nothing else;
* ``per-app``: the same with ``sharedWorker: false`` (what any per-app mount does);
* ``iframe``: one ``<iframe srcdoc>`` per app, each a full page that loads stlite and mounts
  one app (what atsphinx-stlite emits);
* ``bare``: the limit, not a product: a module worker that boots Pyodide, installs stlite's
  Streamlit wheels with micropip and imports ``streamlit``.

Layouts (the same for every strategy):

* ``visible``: every app in the viewport at load (a heading and the app, no prose; the
  benchmark's viewport is tall enough for all of them);
* ``scroll``: prose between the apps, read by scrolling to each in turn; also the long
  (20-app) page, of which only the first app is awaited;
* ``unreached``: one app four screens below the fold, loaded and never scrolled to;
  ``unreached-<start>`` (ours only): the same page with the app's ``start`` option
  (``eager``, ``visible``, ``click``), loaded, left alone, then scrolled to (and its Run
  button pressed) by the benchmark.

Where stlite and Pyodide come from is a :class:`DistUrls`: the CDN (pages use stlite's
default URLs, as a reader's browser gets them; our pages are built with the default
settings) or the loopback server's ``/_dist/`` (pages name every URL).
"""

from __future__ import annotations

import html
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

from stlite_docs.settings import DEFAULT_JS_URL, DEFAULT_PYODIDE_URL

DIST = "/_dist"
APP_HEIGHT = "400px"
ENTRYPOINT = "streamlit_app.py"
BARE_DONE = "bare boot done"
LAYOUTS = ("visible", "scroll", "unreached")
#: The start policies the benchmark compares on the unreached page (``unreached-<start>``).
STARTS = ("eager", "visible", "click")
#: How far below the fold the ``unreached`` page's app is, in viewport heights.
UNREACHED_SCREENS = 4
#: The wheels stlite 1.9.2 installs (next to stlite.js) and what its worker passes to
#: micropip besides them.
STREAMLIT_WHEEL = "wheels/streamlit-1.62.0-cp313-none-any.whl"
STLITE_LIB_WHEEL = "wheels/stlite_lib-0.1.0-py3-none-any.whl"
SYSTEM_REQUIREMENT = "protobuf>=7.34.1,<8"


@dataclass(frozen=True)
class DistUrls:
    """Where pages get stlite and Pyodide. ``custom``: the pages must name these URLs
    (stlite's defaults point at the CDN); otherwise pages use the defaults, unchanged."""

    stlite_base: str  # ends with "/"
    pyodide_base: str  # ends with "/"
    custom: bool

    @property
    def stlite_js(self) -> str:
        return self.stlite_base + "stlite.js"

    @property
    def stlite_css(self) -> str:
        return self.stlite_base + "stlite.css"

    @property
    def pyodide_mjs(self) -> str:
        return self.pyodide_base + "pyodide.mjs"

    def wheel(self, path: str) -> str:
        return self.stlite_base + path


LOOPBACK = DistUrls(f"{DIST}/stlite/", f"{DIST}/pyodide/", custom=True)
CDN = DistUrls(
    DEFAULT_JS_URL[: DEFAULT_JS_URL.rindex("/") + 1],
    DEFAULT_PYODIDE_URL[: DEFAULT_PYODIDE_URL.rindex("/") + 1],
    custom=False,
)


def marker(index: int) -> str:
    """The text each app writes once it has run; the benchmark waits for it."""
    return f"bench-{index} ready"


def app_source(index: int) -> str:
    """Text and widget apps in turn (all run offline: no numpy or pandas)."""
    kind = index % 4
    head = f'import streamlit as st\n\nst.subheader("Example {index}")\n'
    if kind == 0:
        body = f'st.markdown("Some **markdown** from app {index}.")\n'
    elif kind == 1:
        body = 'v = st.slider("Pick a number", 0, 10, 3)\nst.write("slider =", v)\n'
    elif kind == 2:
        body = (
            "st.session_state.setdefault('n', 0)\n"
            "if st.button('Add one'):\n"
            "    st.session_state.n += 1\n"
            "st.write('clicks =', st.session_state.n)\n"
        )
    else:
        body = 'name = st.text_input("Your name", "reader")\nst.write(f"Hello, {name}!")\n'
    return head + body + f'st.write("{marker(index)}")\n'


def app_config(index: int) -> dict[str, object]:
    """What a hand-written page passes to ``stlite.mount()`` for app ``index``."""
    return {"entrypoint": ENTRYPOINT, "files": {ENTRYPOINT: app_source(index)}, "requirements": []}


PROSE = (
    "Some prose before example {i}: what it shows, why it matters and what to try. "
    "A reader scrolls through a few lines like these between two apps on a typical "
    "tutorial page."
)


def _spacer_px(viewport_height: int) -> int:
    return UNREACHED_SCREENS * viewport_height


def page_name(strategy: str, layout: str, count: int) -> str:
    """File name of a page, e.g. ``trivial-visible-6.html``."""
    prefix = {"per-app": "perapp"}.get(strategy, strategy)
    return f"{prefix}-{layout}-{count}.html"


# --- ours: reST for the real Sphinx build -------------------------------------------------


def ours_rst(count: int, layout: str = "scroll", viewport_height: int = 900) -> str:
    """A reST page with ``count`` apps in ``layout``, built by Sphinx with our extension
    (``unreached-<start>``: the unreached page, each app with that ``start`` option)."""
    title = f"ours, {count} apps, {layout}"
    parts = [f"{title}\n{'=' * len(title)}\n"]
    layout, _, start = layout.partition("-")
    option = f"   :start: {start}\n" if start else ""
    if layout == "unreached":
        parts.append(
            '.. raw:: html\n\n   <div class="bench-spacer" '
            f'style="height:{_spacer_px(viewport_height)}px"></div>\n'
        )
    for i in range(count):
        heading = f"Example {i}"
        parts.append(f"{heading}\n{'-' * len(heading)}\n")
        if layout == "scroll":
            parts.append(PROSE.format(i=i) + "\n")
        parts.append(
            f".. stlite::\n   :height: 400\n{option}\n" + textwrap.indent(app_source(i), "   ")
        )
    return "\n".join(parts)


def write_ours_sphinx(
    src: Path, pages: list[tuple[str, int]], urls: DistUrls = LOOPBACK, viewport_height: int = 900
) -> None:
    """Sphinx sources: ``index`` (no app) and one ``ours-<layout>-N`` page per (layout, N).
    With CDN URLs the site keeps the default settings, as a site on the CDN does."""
    src.mkdir(parents=True, exist_ok=True)
    conf = ['project = "stlite-docs benchmark"', 'extensions = ["stlite_docs.sphinx_ext"]']
    if urls.custom:
        conf += [
            f"stlite_js_url = {urls.stlite_js!r}",
            f"stlite_css_url = {urls.stlite_css!r}",
            f"stlite_pyodide_url = {urls.pyodide_mjs!r}",
        ]
    (src / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    names = [page_name("ours", layout, n)[:-5] for layout, n in pages]
    toc = "".join(f"   {name}\n" for name in names)
    (src / "index.rst").write_text(
        f"Benchmark\n=========\n\n.. toctree::\n\n{toc}", encoding="utf-8"
    )
    for (layout, n), name in zip(pages, names, strict=True):
        (src / f"{name}.rst").write_text(ours_rst(n, layout, viewport_height), encoding="utf-8")


# --- hand-written pages ---------------------------------------------------------------------


def _config_json(index: int) -> str:
    return json.dumps(app_config(index)).replace("<", "\\u003c")


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:860px;margin:0 auto;"
        "padding:1em}</style>\n"
        f"{head}</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n"
    )


def _body(count: int, layout: str, app_html: list[str], viewport_height: int) -> str:
    """The apps in ``layout``: a heading before each, prose too when read by scrolling."""
    parts = []
    if layout == "unreached":
        parts.append(
            f'<div class="bench-spacer" style="height:{_spacer_px(viewport_height)}px"></div>\n'
        )
    for i in range(count):
        parts.append(f"<h2>Example {i}</h2>\n")
        if layout == "scroll":
            parts.append(f"<p>{PROSE.format(i=i)}</p>\n")
        parts.append(app_html[i])
    return "".join(parts)


def _pyodide_option(urls: DistUrls) -> str:
    """The ``pyodideUrl`` option a page on the loopback needs (absolute: stlite's worker
    runs from a ``data:`` URL); nothing on the CDN, where stlite's default is the CDN's."""
    if not urls.custom:
        return ""
    return f' pyodideUrl: new URL("{urls.pyodide_mjs}", document.baseURI).href,'


def mount_all_script(urls: DistUrls, shared: bool) -> str:
    """Mount every app at load: with ``shared`` the trivial loader (one shared worker), else
    one worker per app."""
    return f"""<script type="module">
import {{ mount }} from "{urls.stlite_js}";
for (const el of document.querySelectorAll(".bench-app")) {{
  const cfg = JSON.parse(el.querySelector("script").textContent);
  mount({{ ...cfg,{_pyodide_option(urls)} sharedWorker: {str(shared).lower()} }},
        el.querySelector(".bench-mount"));
}}
</script>
"""


def mount_all_page(
    count: int, layout: str, urls: DistUrls, shared: bool, viewport_height: int = 900
) -> str:
    """The trivial loader's page (``shared``) or the one-worker-per-app page."""
    head = (
        f'<link rel="stylesheet" href="{urls.stlite_css}">\n'
        f"<style>.bench-app{{position:relative;height:{APP_HEIGHT}}}"
        ".bench-mount{position:relative;width:100%;height:100%}</style>\n"
    )
    apps = [
        f'<div class="bench-app"><script type="application/json">{_config_json(i)}'
        '</script><div class="bench-mount"></div></div>\n'
        for i in range(count)
    ]
    title = f"{'trivial loader, shared worker' if shared else 'one worker per app'}, {count} apps"
    return _page(
        title, head, _body(count, layout, apps, viewport_height) + mount_all_script(urls, shared)
    )


def _frame_document(index: int, urls: DistUrls) -> str:
    """A full page per app, like atsphinx-stlite's ``frame.html.jinja`` (which uses
    ``<streamlit-app>``, i.e. ``mount()`` without ``sharedWorker``); ``mount()`` here so
    that the Pyodide URL can point at the local copy."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Stlite App</title>'
        f'<link rel="stylesheet" href="{urls.stlite_css}"></head><body><div id="root"></div>'
        f'<script type="module">import {{ mount }} from "{urls.stlite_js}";'
        f"const cfg = {_config_json(index)};"
        f'mount({{ ...cfg,{_pyodide_option(urls)} }}, document.getElementById("root"));'
        "</script></body></html>"
    )


def iframe_page(count: int, layout: str, urls: DistUrls, viewport_height: int = 900) -> str:
    head = f"<style>.bench-frame{{display:block;width:100%;height:{APP_HEIGHT};border:0}}</style>\n"
    frames = [
        f'<iframe class="bench-frame" srcdoc="'
        f'{html.escape(_frame_document(i, urls), quote=True)}"></iframe>\n'
        for i in range(count)
    ]
    return _page(
        f"one iframe per app, {count} apps", head, _body(count, layout, frames, viewport_height)
    )


def bare_worker(urls: DistUrls) -> str:
    """The limit: boot Pyodide, install the Streamlit wheels, import streamlit. Every step is
    stamped with the epoch time (ms) so the page can place it on its own navigation
    timeline."""
    return f"""const t = () => performance.timeOrigin + performance.now();
const marks = {{ worker_start: t() }};
const url = (u) => new URL(u, self.location.origin).href;
try {{
  const {{ loadPyodide }} = await import(url("{urls.pyodide_mjs}"));
  marks.pyodide_module = t();
  const pyodide = await loadPyodide({{ indexURL: url("{urls.pyodide_base}") }});
  marks.pyodide_loaded = t();
  await pyodide.loadPackage("micropip");
  const micropip = pyodide.pyimport("micropip");
  micropip.add_mock_package("pyarrow", "0.0.1");
  marks.micropip_loaded = t();
  await micropip.install.callKwargs(
    ["{SYSTEM_REQUIREMENT}", url("{urls.wheel(STREAMLIT_WHEEL)}"),
     url("{urls.wheel(STLITE_LIB_WHEEL)}")],
    {{ keep_going: true }},
  );
  marks.installed = t();
  pyodide.runPython("import streamlit");
  marks.streamlit_imported = t();
  postMessage({{ ok: true, marks }});
}} catch (e) {{
  postMessage({{ ok: false, error: String(e), marks }});
}}
"""


_BARE_SCRIPT = f"""<script type="module">
const worker = new Worker("bare-worker.mjs", {{ type: "module" }});
worker.onmessage = (e) => {{
  const rel = {{}};
  for (const [k, v] of Object.entries(e.data.marks)) rel[k] = v - performance.timeOrigin;
  window.__bare = {{ ...e.data, marks_ms: rel }};
  const out = document.getElementById("out");
  out.textContent = e.data.ok ? "{BARE_DONE}" : "bare boot failed: " + e.data.error;
}};
</script>
"""


def bare_page() -> str:
    return _page("bare boot", "", '<p id="out">booting</p>\n' + _BARE_SCRIPT)


def write_site(
    folder: Path,
    pages: list[tuple[str, str, int]],
    urls: DistUrls = LOOPBACK,
    viewport_height: int = 900,
) -> None:
    """The hand-written pages: (strategy, layout, count) for ``trivial``, ``per-app`` and
    ``iframe``, and the bare boot."""
    folder.mkdir(parents=True, exist_ok=True)
    for strategy, layout, n in pages:
        if strategy == "iframe":
            text = iframe_page(n, layout, urls, viewport_height)
        elif strategy in ("trivial", "per-app"):
            text = mount_all_page(n, layout, urls, strategy == "trivial", viewport_height)
        else:
            raise ValueError(f"no hand-written page for strategy {strategy!r}")
        (folder / page_name(strategy, layout, n)).write_text(text, encoding="utf-8")
    (folder / "bare.html").write_text(bare_page(), encoding="utf-8")
    (folder / "bare-worker.mjs").write_text(bare_worker(urls), encoding="utf-8")
