// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAppConfig } from "../src/config.js";
import { runSource } from "../src/options.js";

/** A config as the build writes it (stlite_docs.app.AppSpec.to_config), every key set. */
const FULL = {
  entrypoint: "app.py",
  files: { "app.py": "import streamlit as st\n", "data.bin": { base64: "AAEC" } },
  requirements: ["six"],
  height: "400px",
  width: "30em",
  layout: "editor",
  config: { "theme.base": "dark" },
  worker: "own",
  start: "click",
  setup: "x = 1\n",
};
const MINIMAL = { entrypoint: "a.py", files: { "a.py": "" }, requirements: [], height: "400px" };

test("a config as the build writes it parses to the same object", () => {
  assert.deepEqual(parseAppConfig(JSON.stringify(FULL)), FULL);
  assert.deepEqual(parseAppConfig(JSON.stringify(MINIMAL)), MINIMAL);
});

test("JSON that is not an object is refused", () => {
  for (const json of ["[]", "null", "1", '"app.py"']) {
    assert.throws(() => parseAppConfig(json), { message: "not a JSON object" }, json);
  }
  assert.throws(() => parseAppConfig(""), SyntaxError);
  assert.throws(() => parseAppConfig("{"), SyntaxError);
});

test("a wrong or missing key is named", () => {
  /** @type {[string, unknown][]} key, bad value (undefined: the key is missing) */
  const cases = [
    ["entrypoint", undefined],
    ["entrypoint", ""],
    ["entrypoint", 1],
    ["files", undefined],
    ["files", ["a.py"]],
    ["files", { "a.py": 1 }],
    ["files", { "a.py": { base64: 1 } }],
    ["files", { "a.py": null }],
    ["requirements", undefined],
    ["requirements", "six"],
    ["requirements", ["six", 1]],
    ["height", undefined],
    ["height", 400],
    ["width", 300],
    ["layout", null],
    ["worker", true],
    ["start", 1],
    ["setup", ["x = 1"]],
    ["config", []],
    ["config", "theme.base=dark"],
  ];
  for (const [key, value] of cases) {
    const cfg = { ...MINIMAL, [key]: value };
    if (value === undefined) delete cfg[/** @type {keyof typeof cfg} */ (key)];
    assert.throws(() => parseAppConfig(JSON.stringify(cfg)), { message: `"${key}" is missing or of the wrong type` }, `${key}: ${JSON.stringify(value)}`);
  }
});

test("the entrypoint must be one of the files", () => {
  const cfg = { ...MINIMAL, entrypoint: "main.py" };
  assert.throws(() => parseAppConfig(JSON.stringify(cfg)), { message: '"files" has no "main.py" (the entrypoint)' });
});

test("the entrypoint runs with the hidden setup code first", () => {
  assert.equal(runSource(FULL, "print(x)\n"), "x = 1\nprint(x)\n");
  assert.equal(runSource(MINIMAL, "print(1)\n"), "print(1)\n");
});
