"""The pages the runtime benchmark loads.

Every strategy gets the same apps, the same prose around them and the same
400px app boxes; only the way the apps are started differs:

* ``ours-N``: a real Sphinx build (``extensions = ["stlite_docs.sphinx_ext"]``,
  one ``.. stlite::`` directive per app), so the page carries exactly the mount
  elements and loader tags our Sphinx glue emits, and the loader and CSS the
  build ships from ``stlite_docs/static``;
* ``perapp-N.html``: a minimal hand-written page that calls ``stlite.mount()``
  once per app with ``sharedWorker: false`` (what any per-app mount does);
* ``iframe-N.html``: one ``<iframe srcdoc>`` per app, each a full page that loads
  stlite and mounts one app (what atsphinx-stlite emits);
* ``bare.html``: the reference of issue 11, not a product: a module worker that
  boots Pyodide, installs stlite's Streamlit wheels with micropip and imports
  ``streamlit``.

URLs are root-relative: the benchmark server mounts the offline distribution at
``/_dist/``, the Sphinx build at ``/docs/`` and the hand-written pages at ``/site/``.
"""

from __future__ import annotations

import html
import json
import textwrap
from pathlib import Path

DIST = "/_dist"
STLITE_JS = f"{DIST}/stlite/stlite.js"
STLITE_CSS = f"{DIST}/stlite/stlite.css"
PYODIDE_MJS = f"{DIST}/pyodide/pyodide.mjs"
STREAMLIT_WHEEL = f"{DIST}/stlite/wheels/streamlit-1.62.0-cp313-none-any.whl"
STLITE_LIB_WHEEL = f"{DIST}/stlite/wheels/stlite_lib-0.1.0-py3-none-any.whl"
#: What stlite 1.9.2's worker passes to micropip besides the two wheels.
SYSTEM_REQUIREMENT = "protobuf>=7.34.1,<8"
APP_HEIGHT = "400px"
ENTRYPOINT = "streamlit_app.py"
BARE_DONE = "bare boot done"


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
    return {"entrypoint": ENTRYPOINT, "files": {ENTRYPOINT: app_source(index)},
            "requirements": []}


def _prose(index: int) -> str:
    return (
        f"<h2>Example {index}</h2>\n<p>Some prose before example {index}: what it shows, "
        "why it matters and what to try. A reader scrolls through a few lines like these "
        "between two apps on a typical tutorial page.</p>\n"
    )


def _page(title: str, head: str, body: str) -> str:
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:860px;margin:0 auto;"
        "padding:1em}</style>\n"
        f"{head}</head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n"
    )


def ours_rst(count: int) -> str:
    """A reST page with ``count`` apps, built by Sphinx with our extension."""
    parts = [f"ours, {count} apps\n{'=' * (len(f'ours, {count} apps'))}\n"]
    for i in range(count):
        parts.append(
            f"Example {i}\n{'-' * len(f'Example {i}')}\n\nSome prose before example {i}: what "
            "it shows, why it matters and what to try. A reader scrolls through a few lines "
            "like these between two apps on a typical tutorial page.\n"
        )
        parts.append(".. stlite::\n   :height: 400\n\n" + textwrap.indent(app_source(i), "   "))
    return "\n".join(parts)


def write_ours_sphinx(src: Path, counts: list[int]) -> None:
    """Sphinx sources: ``index`` (no app) and ``ours-N`` pages; stlite from ``/_dist``."""
    src.mkdir(parents=True, exist_ok=True)
    conf = [
        'project = "stlite-docs benchmark"',
        'extensions = ["stlite_docs.sphinx_ext"]',
        f"stlite_js_url = {STLITE_JS!r}",
        f"stlite_css_url = {STLITE_CSS!r}",
        f"stlite_pyodide_url = {PYODIDE_MJS!r}",
    ]
    (src / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    toc = "".join(f"   ours-{n}\n" for n in counts)
    (src / "index.rst").write_text(f"Benchmark\n=========\n\n.. toctree::\n\n{toc}",
                                   encoding="utf-8")
    for n in counts:
        (src / f"ours-{n}.rst").write_text(ours_rst(n), encoding="utf-8")


def _config_json(index: int) -> str:
    return json.dumps(app_config(index)).replace("<", "\\u003c")


_PERAPP_SCRIPT = f"""<script type="module">
import {{ mount }} from "{STLITE_JS}";
const pyodideUrl = new URL("{PYODIDE_MJS}", document.baseURI).href;
for (const el of document.querySelectorAll(".bench-app")) {{
  const cfg = JSON.parse(el.querySelector("script").textContent);
  mount({{ entrypoint: cfg.entrypoint, files: cfg.files, requirements: cfg.requirements,
          pyodideUrl, sharedWorker: false }}, el.querySelector(".bench-mount"));
}}
</script>
"""


def perapp_page(count: int) -> str:
    head = (
        f'<link rel="stylesheet" href="{STLITE_CSS}">\n'
        f"<style>.bench-app{{position:relative;height:{APP_HEIGHT}}}"
        ".bench-mount{position:relative;width:100%;height:100%}</style>\n"
    )
    body = "".join(
        _prose(i)
        + f'<div class="bench-app"><script type="application/json">{_config_json(i)}</script>'
        '<div class="bench-mount"></div></div>\n'
        for i in range(count)
    )
    return _page(f"one worker per app, {count} apps", head, body + _PERAPP_SCRIPT)


def _frame_document(index: int) -> str:
    """A full page per app, like atsphinx-stlite's ``frame.html.jinja`` (which uses
    ``<streamlit-app>``, i.e. ``mount()`` without ``sharedWorker``); ``mount()``
    here only so that the Pyodide URL can point at the local copy."""
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Stlite App</title>"
        f'<link rel="stylesheet" href="{STLITE_CSS}"></head><body><div id="root"></div>'
        f'<script type="module">import {{ mount }} from "{STLITE_JS}";'
        f"const cfg = {_config_json(index)};"
        f'mount({{entrypoint: cfg.entrypoint, files: cfg.files, requirements: cfg.requirements,'
        f' pyodideUrl: new URL("{PYODIDE_MJS}", document.baseURI).href}},'
        ' document.getElementById("root"));</script></body></html>'
    )


def iframe_page(count: int) -> str:
    head = f"<style>.bench-frame{{display:block;width:100%;height:{APP_HEIGHT};border:0}}</style>\n"
    body = "".join(
        _prose(i)
        + f'<iframe class="bench-frame" srcdoc="{html.escape(_frame_document(i), quote=True)}">'
        "</iframe>\n"
        for i in range(count)
    )
    return _page(f"one iframe per app, {count} apps", head, body)


#: Issue 11's reference: boot Pyodide, install the Streamlit wheels, import streamlit.
#: Every step is stamped with the epoch time (ms) so the page can place it on its own
#: navigation timeline.
BARE_WORKER = f"""const t = () => performance.timeOrigin + performance.now();
const marks = {{ worker_start: t() }};
const base = self.location.origin;
try {{
  const {{ loadPyodide }} = await import(base + "{PYODIDE_MJS}");
  marks.pyodide_module = t();
  const pyodide = await loadPyodide({{ indexURL: base + "{DIST}/pyodide/" }});
  marks.pyodide_loaded = t();
  await pyodide.loadPackage("micropip");
  const micropip = pyodide.pyimport("micropip");
  micropip.add_mock_package("pyarrow", "0.0.1");
  marks.micropip_loaded = t();
  await micropip.install.callKwargs(
    ["{SYSTEM_REQUIREMENT}", base + "{STREAMLIT_WHEEL}", base + "{STLITE_LIB_WHEEL}"],
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


def write_site(folder: Path, counts: list[int]) -> None:
    """The hand-written pages (per-app, iframe, bare boot) for the given app counts."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in counts:
        (folder / f"perapp-{n}.html").write_text(perapp_page(n), encoding="utf-8")
        (folder / f"iframe-{n}.html").write_text(iframe_page(n), encoding="utf-8")
    (folder / "bare.html").write_text(bare_page(), encoding="utf-8")
    (folder / "bare-worker.mjs").write_text(BARE_WORKER, encoding="utf-8")
