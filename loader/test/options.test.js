// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeFiles, loadErrorText, mountOptions, STREAMLIT_DEFAULTS } from "../src/options.js";

const SETTINGS = {
  jsUrl: "https://cdn.example/stlite/stlite.js",
  cssUrl: "https://cdn.example/stlite/stlite.css",
  pyodideUrl: "https://cdn.example/pyodide/pyodide.mjs",
  styleNonce: "abc",
  theme: /** @type {const} */ ("auto"),
  inherit: ["font"],
  start: undefined,
  pageStarts: [],
  preload: [],
  keepWarm: true,
};
const CFG = { entrypoint: "app.py", files: { "app.py": "print(1)\n" }, requirements: ["six"], height: "400px" };

test("mount options for an app on the shared runtime", () => {
  const theme = { "theme.light.font": "Lato", "theme.dark.font": "Lato" };
  assert.deepEqual(mountOptions(CFG, SETTINGS, theme, true, false), {
    entrypoint: "app.py",
    files: { "app.py": "print(1)\n" },
    requirements: ["six"],
    pyodideUrl: "https://cdn.example/pyodide/pyodide.mjs",
    sharedWorker: true,
    disableDocumentStyles: true,
    styleNonce: "abc",
    disableProgressToasts: true,
    streamlitConfig: {
      "client.toolbarMode": "viewer",
      "server.runOnSave": true,
      "runner.postScriptGC": false,
      "server.fileWatcherType": "none",
      "theme.light.font": "Lato",
      "theme.dark.font": "Lato",
    },
  });
});

test("the app's own config wins over the defaults and the site's theme", () => {
  const cfg = { ...CFG, config: { "client.toolbarMode": "minimal", "theme.light.font": "serif" } };
  const { streamlitConfig } = mountOptions(cfg, SETTINGS, { "theme.light.font": "Lato" }, true, true);
  assert.deepEqual(streamlitConfig, { "client.toolbarMode": "minimal", "server.runOnSave": true, "runner.postScriptGC": false, "theme.light.font": "serif" });
  assert.deepEqual(STREAMLIT_DEFAULTS, { "client.toolbarMode": "viewer", "server.runOnSave": true, "runner.postScriptGC": false }, "not changed by an app");
});

test("a runtime that watches files keeps Streamlit's watcher; an app may still set it", () => {
  assert.equal(mountOptions(CFG, SETTINGS, {}, true, true).streamlitConfig["server.fileWatcherType"], undefined);
  assert.equal(mountOptions(CFG, SETTINGS, {}, true, false).streamlitConfig["server.fileWatcherType"], "none");
  const cfg = { ...CFG, config: { "server.fileWatcherType": "poll" } };
  assert.equal(mountOptions(cfg, SETTINGS, {}, true, false).streamlitConfig["server.fileWatcherType"], "poll");
});

test("hidden setup code runs before the entrypoint's code, in the entrypoint only", () => {
  const cfg = { ...CFG, files: { ...CFG.files, "b.py": "B = 1\n" }, setup: "x = 41 + 1\n" };
  const { files } = mountOptions(cfg, SETTINGS, {}, true, false);
  assert.deepEqual(files, { "app.py": "x = 41 + 1\nprint(1)\n", "b.py": "B = 1\n" });
  assert.equal(cfg.files["app.py"], "print(1)\n", "the config (what the page shows) is unchanged");
});

test("an app's own worker, or a browser without SharedWorker, means no shared worker", () => {
  assert.equal(mountOptions({ ...CFG, worker: "own" }, SETTINGS, {}, true, false).sharedWorker, false);
  assert.equal(mountOptions({ ...CFG, worker: "shared" }, SETTINGS, {}, true, false).sharedWorker, true);
  assert.equal(mountOptions(CFG, SETTINGS, {}, false, false).sharedWorker, false);
});

test("binary files are decoded from base64, text files are kept", () => {
  const files = decodeFiles({ "a.py": "x", "logo.png": { base64: "iVBORw0KGgo=" }, "empty.bin": { base64: "" } });
  assert.equal(files["a.py"], "x");
  assert.deepEqual(files["logo.png"], new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  assert.deepEqual(files["empty.bin"], new Uint8Array());
  assert.throws(() => decodeFiles({ "bad.bin": { base64: "%%%" } }));
});

test("a load error names Pyodide and its URL when that is what failed", () => {
  const url = SETTINGS.pyodideUrl;
  assert.equal(
    loadErrorText(new TypeError(`Failed to fetch dynamically imported module: ${url}`), url),
    `Could not load Python (Pyodide) from ${url}: Failed to fetch dynamically imported module: ${url}`,
  );
  assert.equal(loadErrorText(new Error("ModuleNotFoundError: nope"), url), "This app could not start: ModuleNotFoundError: nope");
  assert.equal(loadErrorText("plain text", url), "This app could not start: plain text");
  assert.equal(loadErrorText(undefined, url), "This app could not start: undefined");
});
