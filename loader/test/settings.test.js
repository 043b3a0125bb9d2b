// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { readSettings } from "../src/settings.js";

const LOADER = "https://docs.example/project/_static/stlite-docs.js?v=1234";
/** The attributes the build writes (Settings.script_attributes()), relative URLs as a self-contained build has them. */
const TAG = {
  "data-stlite-js": "stlite-docs/stlite/stlite.js",
  "data-stlite-css": "stlite-docs/stlite/stlite.css",
  "data-pyodide": "https://cdn.example/pyodide/v0.29.3/full/pyodide.mjs",
  "data-theme": "auto",
  "data-inherit": "font primaryColor",
};
/** @param {Record<string, string>} attrs */
const reader = (attrs) => (/** @type {string} */ name) => attrs[name] ?? null;

test("URLs resolve against the loader's folder; absolute ones are kept", () => {
  const s = readSettings(reader(TAG), LOADER);
  assert.equal(s.jsUrl, "https://docs.example/project/_static/stlite-docs/stlite/stlite.js");
  assert.equal(s.cssUrl, "https://docs.example/project/_static/stlite-docs/stlite/stlite.css");
  assert.equal(s.pyodideUrl, "https://cdn.example/pyodide/v0.29.3/full/pyodide.mjs");
  assert.equal(s.theme, "auto");
  assert.deepEqual(s.inherit, ["font", "primaryColor"]);
  assert.equal(s.styleNonce, undefined);
});

test("the tag's own nonce wins over the configured one", () => {
  assert.equal(readSettings(reader({ ...TAG, "data-style-nonce": "site" }), LOADER).styleNonce, "site");
  assert.equal(readSettings(reader({ ...TAG, "data-style-nonce": "site" }), LOADER, "server").styleNonce, "server");
  assert.equal(readSettings(reader(TAG), LOADER, "").styleNonce, undefined);
});

test("theme and inherit: known values, defaults when absent", () => {
  for (const theme of ["auto", "light", "dark", "off"]) {
    assert.equal(readSettings(reader({ ...TAG, "data-theme": theme }), LOADER).theme, theme);
  }
  assert.equal(readSettings(reader({ ...TAG, "data-theme": "sepia" }), LOADER).theme, "auto");
  const { "data-theme": _t, "data-inherit": _i, ...bare } = TAG;
  const s = readSettings(reader(bare), LOADER);
  assert.equal(s.theme, "auto");
  assert.deepEqual(s.inherit, []);
  assert.deepEqual(readSettings(reader({ ...TAG, "data-inherit": "" }), LOADER).inherit, []);
  assert.deepEqual(readSettings(reader({ ...TAG, "data-inherit": " font  " }), LOADER).inherit, ["font"]);
});

test("a missing URL is an error naming the attribute", () => {
  for (const name of ["data-stlite-js", "data-stlite-css", "data-pyodide"]) {
    assert.throws(() => readSettings(reader({ ...TAG, [name]: "" }), LOADER), { message: `the loader's <script> tag has no ${name}` });
  }
  assert.throws(() => readSettings(() => null, LOADER), /data-stlite-js/); // no tag at all
});

test("the start policy and the chunks to hint: as written, URLs resolved like the others", () => {
  const s = readSettings(reader({ ...TAG, "data-start": "click", "data-preload": "stlite-docs/stlite/index-a.js https://cdn.example/b.js" }), LOADER);
  assert.equal(s.start, "click");
  assert.deepEqual(s.preload, ["https://docs.example/project/_static/stlite-docs/stlite/index-a.js", "https://cdn.example/b.js"]);
  const bare = readSettings(reader(TAG), LOADER);
  assert.equal(bare.start, undefined);
  assert.deepEqual(bare.preload, []);
});

test("the start policies of the page's apps, where the build wrote them", () => {
  assert.deepEqual(readSettings(reader(TAG), LOADER).pageStarts, []);
  assert.deepEqual(readSettings(reader({ ...TAG, "data-page-starts": "auto click" }), LOADER).pageStarts, ["auto", "click"]);
});
