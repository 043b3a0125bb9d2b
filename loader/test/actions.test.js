// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { sharePayload } from "../src/actions.js";

// Made by stlite_docs/sharing.py (share_payload) from the same apps: the build's links and the
// loader's, made again from an editor's code, must be the same bytes.
test("stlite sharing's payload is the build's: setup code, binary files, sorted paths, requirements", () => {
  const cfg = /** @type {any} */ ({
    entrypoint: "streamlit_app.py",
    files: { "streamlit_app.py": 'import streamlit as st\nst.write("héllo")\n', "pages/b.py": "x = 1\n", "data.bin": { base64: "AP+A" } },
    requirements: ["numpy", "pandas==2.2"],
    setup: "import os\n",
  });
  assert.equal(
    sharePayload(cfg),
    "ChBzdHJlYW1saXRfYXBwLnB5EhEKCGRhdGEuYmluEgUSAwD_gBIWCgpwYWdlcy9iLnB5EggKBnggPSAxChJKChBzdHJlYW1saXRfYXBwLnB5EjYKNGltcG9ydCBvcwppbXBvcnQgc3RyZWFtbGl0IGFzIHN0CnN0LndyaXRlKCJow6lsbG8iKQoaBW51bXB5GgtwYW5kYXM9PTIuMg,,",
  );
});

test("lengths over 127 bytes take two-byte varints", () => {
  const cfg = /** @type {any} */ ({ entrypoint: "app.py", files: { "app.py": `a = "${"x".repeat(300)}"\n` }, requirements: [] });
  assert.equal(sharePayload(cfg), "CgZhcHAucHkSwQIKBmFwcC5weRK2AgqzAmEgPSAieHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4Igo,");
});
