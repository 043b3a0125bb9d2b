"""The shipped loader: built from ``loader/src``, within its byte budget, and agreeing
with the build on defaults and the app's config (node runs the real modules)."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from stlite_docs import (
    AppSpec,
    json_for_script,
)
from stlite_docs.checks import (
    LOADER_CONFIG,
)

REPO = Path(__file__).resolve().parent.parent
# What the loader may cost a page with apps: loader/budgets.json, the one place it is written
# (the runtime benchmark checks the same on real builds: benchmarks/weight.py, targets.py).
_BUDGETS = json.loads((REPO / "loader" / "budgets.json").read_text(encoding="utf-8"))
BEFORE_START_BYTES: int = _BUDGETS["before_start_bytes"]
TOTAL_BYTES: int = _BUDGETS["total_bytes"]
INLINE_BYTES: int = _BUDGETS["inline_bytes"]
EDITOR_GZIP_BYTES: int = _BUDGETS["editor_gzip_bytes"]


def _node(script: str, stdin: str = "") -> str:
    """Run an ES module snippet with node in the repo; its output."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow  # needs node (and npm ci)
def test_shipped_loader_is_built_from_the_source_and_small(tmp_path: Path) -> None:
    """Sites get the loader as ``npm run build`` makes it from loader/src: the committed
    files must be that build's output (so an edit without a rebuild fails here), parse as
    modules, and stay within the byte budget, before an app starts and in all."""
    from stlite_docs.assets import (
        LOADER_CSS,
        LOADER_EDITOR_JS,
        LOADER_FILES,
        LOADER_INLINE_CSS,
        LOADER_INLINE_JS,
        LOADER_JS,
        LOADER_MOUNT_CSS,
        LOADER_MOUNT_JS,
        MYST_WIDGET,
        PRERENDER_CAPTURE_JS,
        STATIC_DIR,
        shipped_files,
        shipped_text,
    )

    assert (REPO / "node_modules" / "esbuild").is_dir(), "run 'npm ci' (scripts/test does)"
    out = tmp_path / "built"
    subprocess.run(
        ["node", "loader/build.mjs", "--outdir", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    from stlite_docs.worker_script import WARM_PART

    # ... and the warm runtime, which the site's worker file carries after stlite's worker
    built = [
        *LOADER_FILES,
        LOADER_INLINE_JS,
        MYST_WIDGET,
        LOADER_INLINE_CSS,
        WARM_PART,
        PRERENDER_CAPTURE_JS,
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(built)
    shipped = shipped_files()
    assert tuple(shipped) == LOADER_FILES
    for name in built:
        fresh = (out / name).read_text(encoding="utf-8")
        committed = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert committed == fresh, f"{name} is stale: run 'npm run build'"
        if name in shipped:
            assert shipped[name] == fresh
        if name.endswith((".js", ".mjs")):
            module = tmp_path / f"{name}.mjs"
            module.write_text(fresh, encoding="utf-8")
            assert subprocess.run(["node", "--check", str(module)], check=False).returncode == 0
    # The entry imports the second file next to itself, keyed by its content and its
    # stylesheet's for caches (mount.js loads the stylesheet with the same query).
    digest = hashlib.sha256(
        shipped[LOADER_MOUNT_JS].encode() + shipped[LOADER_MOUNT_CSS].encode()
    ).hexdigest()[:8]
    # one-file loaders carry both stylesheets in one, and load none themselves
    assert shipped_text(LOADER_INLINE_CSS) == shipped[LOADER_CSS] + shipped[LOADER_MOUNT_CSS]
    for name in (LOADER_INLINE_JS, MYST_WIDGET):
        assert LOADER_MOUNT_CSS not in shipped_text(name), name
    assert f'import("./{LOADER_MOUNT_JS}?v={digest}")' in shipped[LOADER_JS]
    size = {name: len(text.encode()) for name, text in shipped.items()}
    assert size[LOADER_JS] + size[LOADER_CSS] <= BEFORE_START_BYTES, size
    # CodeMirror comes only where a page has an editor app, next to the mount part
    editor = shipped.pop(LOADER_EDITOR_JS).encode()
    assert len(gzip.compress(editor, 9)) <= EDITOR_GZIP_BYTES
    editor_digest = hashlib.sha256(editor).hexdigest()[:8]
    assert f'import("./{LOADER_EDITOR_JS}?v={editor_digest}")' in shipped[LOADER_MOUNT_JS]
    assert LOADER_EDITOR_JS not in shipped[LOADER_JS]
    assert sum(size[name] for name in shipped) <= TOTAL_BYTES, size
    # the loader inlined into pages: one file with the mount part and a text-area editor
    inline = len(shipped_text(LOADER_INLINE_JS).encode()) + len(
        shipped_text(LOADER_INLINE_CSS).encode()
    )
    assert inline <= INLINE_BYTES, inline
    for name in (LOADER_INLINE_JS, MYST_WIDGET):
        assert "stlite-docs-plain-editor" in shipped_text(name), name
        assert LOADER_EDITOR_JS not in shipped_text(name) and "cm-editor" not in shipped_text(name)


@pytest.mark.slow  # needs node (and npm ci)
def test_loader_defaults_match_the_page_checks() -> None:
    """The loader passes a default Streamlit config to every app (``STREAMLIT_DEFAULTS``
    in loader/src/options.js), and check_page counts it as part of each app's config
    (``LOADER_CONFIG``): both must hold the same values."""
    out = _node(
        'import { STREAMLIT_DEFAULTS } from "./loader/src/options.js";'
        "console.log(JSON.stringify(STREAMLIT_DEFAULTS));"
    )
    assert json.loads(out) == LOADER_CONFIG


@pytest.mark.slow  # needs node (and npm ci)
def test_loader_reads_the_config_the_build_writes() -> None:
    """The contract between the build and the loader: configs as the page carries them
    (``json_for_script(spec.to_config())``), with every key, text and binary files and
    text that looks like HTML, parsed and decoded by the loader's own modules in node,
    are what the build meant."""
    specs = [
        AppSpec(entrypoint="streamlit_app.py", files=(("streamlit_app.py", "import streamlit\n"),)),
        AppSpec(
            entrypoint="pages/main.py",
            files=(
                ("pages/main.py", "x = '</template><script>&amp;'\n\x00 ü"),
                ("logo.png", bytes(range(256))),
            ),
            requirements=("six", "packaging>=23"),
            height="30em",
            layout="editor",
            config=(("theme.base", "dark"), ("server.runOnSave", False)),
            worker="own",
            width="600px",
        ),
    ]
    script = """
import { readFileSync } from "node:fs";
import { parseAppConfig } from "./loader/src/config.js";
import { decodeFiles } from "./loader/src/options.js";
const configs = JSON.parse(readFileSync(0, "utf8")).map((text) => {
  const cfg = parseAppConfig(text);
  const files = Object.entries(decodeFiles(cfg.files))
    .map(([path, content]) => [path, typeof content === "string" ? content : [...content]]);
  return { ...cfg, files: Object.fromEntries(files) };
});
console.log(JSON.stringify(configs));
"""
    read = json.loads(_node(script, json.dumps([json_for_script(s.to_config()) for s in specs])))
    for spec, config in zip(specs, read, strict=True):
        files = {p: c if isinstance(c, str) else list(c) for p, c in spec.files}
        assert config == {**spec.to_config(), "files": files}


@pytest.mark.slow  # needs node (and npm ci)
def test_the_download_zip_is_one_pythons_zipfile_reads(tmp_path: Path) -> None:
    """The reader's Download of a multi-file app: a zip written by the loader's own writer
    (actions.js), which Python's zipfile reads back with every name, byte and CRC intact;
    text and binary files, a UTF-8 name, and the requirements.txt added."""
    import base64
    import zipfile

    cfg = {
        "entrypoint": "app.py",
        "files": {
            "app.py": "import streamlit as st\nst.write('héllo')\n",
            "données/é.csv": "a,b\n1,2\n",
            "logo.png": {"base64": base64.b64encode(bytes(range(256))).decode()},
        },
        "requirements": ["six", "packaging>=21"],
        "height": "auto",
    }
    out = _node(
        'import { download, codeText } from "./loader/src/actions.js";'
        "let text = ''; process.stdin.on('data', (d) => (text += d));"
        "process.stdin.on('end', () => { const c = JSON.parse(text);"
        "const file = download(c, 'my-app');"
        "console.log(JSON.stringify({name: file.name, type: file.type, codeText: codeText(c),"
        "data: Buffer.from(file.data).toString('base64')})); });",
        stdin=json.dumps(cfg),
    )
    result = json.loads(out)
    assert result["name"] == "my-app.zip" and result["type"] == "application/zip"
    archive = tmp_path / "app.zip"
    archive.write_bytes(base64.b64decode(result["data"]))
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        assert z.namelist() == ["app.py", "données/é.csv", "logo.png", "requirements.txt"]
        assert z.read("app.py").decode() == cfg["files"]["app.py"]  # type: ignore[index]
        assert z.read("logo.png") == bytes(range(256))
        assert z.read("requirements.txt") == b"six\npackaging>=21\n"
    # Copy code: the text files under '## file:' lines, as an author writes them
    assert result["codeText"] == (
        "## file: app.py\nimport streamlit as st\nst.write('héllo')\n"
        "## file: données/é.csv\na,b\n1,2\n"
    )

    single = dict(cfg, files={"app.py": "x = 1\n"}, requirements=[])
    out = _node(
        'import { download } from "./loader/src/actions.js";'
        "let text = ''; process.stdin.on('data', (d) => (text += d));"
        "process.stdin.on('end', () => { const f = download(JSON.parse(text), 'my-app');"
        "console.log(JSON.stringify([f.name, new TextDecoder().decode(f.data)])); });",
        stdin=json.dumps(single),
    )
    assert json.loads(out) == ["app.py", "x = 1\n"]
