"""stlite's worker taken out of the real build (``stlite_docs.worker_script``).

Against the offline distribution, i.e. the real ``@stlite/browser`` 1.9.2 build from npm: the
worker comes out byte for byte with the pinned sha256, from a build folder and from an npm
tarball alike; the file this package ships is that worker; a build whose worker differs, or
that holds no single worker, is refused; which worker a site serves (``site_worker``); and
the page-side check (``loader/src/steer.js``) computes the same fingerprint of the
``data:`` URL as Python does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from stlite_docs.assets import STATIC_DIR
from stlite_docs.loader_tag import loader_attributes
from stlite_docs.pinned import PINNED_STLITE_CHUNK, PINNED_WHEELS, PINNED_WORKER_SHA256
from stlite_docs.settings import Settings
from stlite_docs.worker_script import (
    SHIPPED_WORKER,
    STLITE_NAMES,
    WARM_PART,
    WorkerScriptError,
    data_url_check,
    fnv1a32,
    main,
    pinned_worker,
    shipped_worker,
    site_worker,
    worker_from_build,
    worker_from_tarball,
)
from testbed.offline_dist import Distribution

REPO = Path(__file__).resolve().parent.parent
STEER_JS = REPO / "loader" / "src" / "steer.js"
DATA_URL = re.compile(r'"(data:text/javascript;base64,[^"]+)"')


def _chunk(dist: Distribution) -> str:
    return (dist.stlite_dir / PINNED_STLITE_CHUNK).read_text(encoding="utf-8")


def _copy_build(dist: Distribution, dest: Path, chunk: str | None = None) -> Path:
    """stlite.js, its chunk (optionally replaced) and the wheels, as a build folder."""
    dest.mkdir()
    shutil.copyfile(dist.stlite_dir / "stlite.js", dest / "stlite.js")
    (dest / PINNED_STLITE_CHUNK).write_text(
        chunk if chunk is not None else _chunk(dist), encoding="utf-8"
    )
    return dest


def test_the_pinned_worker_comes_out_of_the_real_build(offline_dist: Distribution) -> None:
    worker = worker_from_build(offline_dist.stlite_dir)
    assert worker.sha256 == PINNED_WORKER_SHA256
    assert hashlib.sha256(worker.source).hexdigest() == PINNED_WORKER_SHA256
    assert 30_000 < len(worker.source) < 40_000  # 33.6 KB in 1.9.2
    text = worker.source.decode("utf-8")
    # the SharedWorker entry point and the message a prewarm sends
    assert "self.onconnect" in text and '"initData"' in text
    assert re.fullmatch(r"stlite-docs-worker-[0-9a-f]{16}\.js", worker.file_name)
    assert worker.site_source.startswith(worker.source)
    assert (
        worker.wheels
        == PINNED_WHEELS
        == {
            "stliteLib": "wheels/stlite_lib-0.1.0-py3-none-any.whl",
            "streamlit": "wheels/streamlit-1.62.0-cp313-none-any.whl",
        }
    )
    for path in worker.wheels.values():
        assert (offline_dist.stlite_dir / path).is_file()
    (url,) = set(DATA_URL.findall(_chunk(offline_dist)))
    assert base64.b64decode(url.split(",", 1)[1]) == worker.source
    length, digest = worker.data_url_check.split(":")
    assert int(length) == len(url) and int(digest, 16) == fnv1a32(url)


def test_the_worker_file_alone_gives_the_same_fingerprint(offline_dist: Distribution) -> None:
    """What a site on the default CDN would use: the file shipped in the package."""
    worker = worker_from_build(offline_dist.stlite_dir)
    assert pinned_worker(worker.source) == worker
    with pytest.raises(WorkerScriptError, match="not the pinned"):
        pinned_worker(worker.source + b"\n")


def _tarball(dist: Distribution, tgz: Path) -> Path:
    """An npm tarball of the build (what ``npm pack`` gives: ``package/build/...``)."""
    with tarfile.open(tgz, "w:gz") as tar:
        for name in ("stlite.js", PINNED_STLITE_CHUNK, "stlite.css"):
            tar.add(dist.stlite_dir / name, arcname=f"package/build/{name}")
        info = tarfile.TarInfo("package/package.json")
        data = json.dumps({"name": "@stlite/browser", "version": "1.9.2"}).encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return tgz


def test_the_npm_tarball_gives_the_same_worker(offline_dist: Distribution, tmp_path: Path) -> None:
    tgz = _tarball(offline_dist, tmp_path / "stlite-browser-1.9.2.tgz")
    assert worker_from_tarball(tgz) == worker_from_build(offline_dist.stlite_dir)


def test_the_shipped_worker_is_the_real_builds(offline_dist: Distribution, tmp_path: Path) -> None:
    """The file in this package (sites on the default CDN serve it next to the loader) is
    byte for byte the worker of the real build, and the command that made it makes it again."""
    shipped = STATIC_DIR / SHIPPED_WORKER
    assert shipped_worker() == worker_from_build(offline_dist.stlite_dir)
    assert shipped_worker().stlite_file_name == SHIPPED_WORKER
    tgz = _tarball(offline_dist, tmp_path / "stlite-browser-1.9.2.tgz")
    assert main([str(tgz), str(tmp_path)]) == 0
    assert (tmp_path / SHIPPED_WORKER).read_bytes() == shipped.read_bytes()
    assert main([str(tmp_path / "missing.tgz"), str(tmp_path)]) == 1


def test_which_worker_a_site_serves(offline_dist: Distribution, tmp_path: Path) -> None:
    """One decision for every front end: the default stlite gets the shipped worker, a
    custom stlite none, a self-contained site the one out of its vendored build."""
    assert site_worker(Settings()) == shipped_worker()
    assert site_worker(Settings(js_url="https://mirror.example/stlite.js")) is None
    assert site_worker(Settings(js_url="_static/stlite/stlite.js")) is None
    # a self-contained site before vendoring has no build to take it from
    assert site_worker(Settings(self_contained=True)) is None
    # ... and after, the vendored build's own (here: another build's, from its chunk)
    chunk = _chunk(offline_dist)
    (url,) = set(DATA_URL.findall(chunk))
    vendored = _copy_build(offline_dist, tmp_path / "vendored")
    assert site_worker(Settings(self_contained=True), vendored) == worker_from_build(vendored)
    other = "data:text/javascript;base64," + base64.b64encode(b"self.onconnect=0").decode()
    patched = _copy_build(offline_dist, tmp_path / "patched", chunk.replace(url, other))
    assert site_worker(Settings(self_contained=True), patched) is None  # not the pinned worker
    assert site_worker(Settings(self_contained=True), tmp_path / "nothing") is None


def test_the_loader_tag_names_the_worker() -> None:
    attrs = loader_attributes(Settings(), worker=shipped_worker())
    assert attrs["data-stlite-worker"] == shipped_worker().file_name
    assert attrs["data-stlite-worker-check"] == shipped_worker().data_url_check
    assert attrs["data-stlite-wheels"] == (
        "stliteLib=wheels/stlite_lib-0.1.0-py3-none-any.whl "
        "streamlit=wheels/streamlit-1.62.0-cp313-none-any.whl"
    )
    assert not any(name.startswith("data-stlite-w") for name in loader_attributes(Settings()))


def test_a_build_with_another_worker_is_refused(offline_dist: Distribution, tmp_path: Path) -> None:
    chunk = _chunk(offline_dist)
    (url,) = set(DATA_URL.findall(chunk))
    other = base64.b64decode(url.split(",", 1)[1]) + b"\n// another build\n"
    other_url = "data:text/javascript;base64," + base64.b64encode(other).decode()
    build = _copy_build(offline_dist, tmp_path / "other", chunk.replace(url, other_url))
    with pytest.raises(WorkerScriptError, match="not the pinned"):
        worker_from_build(build)
    # inspecting another version is possible without the pin; its fingerprint differs
    unpinned = worker_from_build(build, expected_sha256=None)
    assert unpinned.source == other
    assert unpinned.data_url_check == data_url_check(other_url)
    assert unpinned.data_url_check != worker_from_build(offline_dist.stlite_dir).data_url_check


@pytest.mark.parametrize("change", ["none", "two"])
def test_a_chunk_without_one_worker_is_refused(
    offline_dist: Distribution, tmp_path: Path, change: str
) -> None:
    chunk = _chunk(offline_dist)
    (url,) = set(DATA_URL.findall(chunk))
    if change == "none":
        chunk = chunk.replace(url, "./worker.js")
    else:
        other = "data:text/javascript;base64," + base64.b64encode(b"1").decode()
        chunk += f'\nconst second = "{other}";\n'
    build = _copy_build(offline_dist, tmp_path / change, chunk)
    with pytest.raises(WorkerScriptError, match="JavaScript data: URLs, not one"):
        worker_from_build(build)


def test_a_folder_without_stlite_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkerScriptError, match=r"has no stlite\.js"):
        worker_from_build(tmp_path)


def test_the_page_computes_the_same_fingerprint(offline_dist: Distribution) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the page-side check cannot be run here")
    (url,) = set(DATA_URL.findall(_chunk(offline_dist)))
    script = (
        f"import {{ checkOf }} from {json.dumps(STEER_JS.as_uri())};\n"
        "let text = '';\nfor await (const part of process.stdin) text += part;\n"
        "process.stdout.write(checkOf(text));\n"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=url,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == data_url_check(url) == worker_from_build(offline_dist.stlite_dir).data_url_check
    # and both see a one-character change
    changed = url[:-5] + ("A" if url[-5] != "A" else "B") + url[-4:]
    out = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=changed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == data_url_check(changed) != data_url_check(url)


def test_the_warm_runtime_binds_to_names_the_pinned_worker_declares() -> None:
    """loader/src/worker/entry.js uses stlite's top-level names; each is declared, once, as
    the pinned script has it (another build's names would differ: it gets no worker file)."""
    text = shipped_worker().source.decode("utf-8")
    for name, declaration in STLITE_NAMES.items():
        assert text.count(declaration) == 1, name
    site = shipped_worker().site_source.decode("utf-8")
    warm = (STATIC_DIR / WARM_PART).read_text(encoding="utf-8")
    assert site.endswith(warm) and site.index(warm) > len(text)
    # the warm part runs after stlite's script has installed its connection handler
    assert site.index("self.onconnect") < site.index(warm)
