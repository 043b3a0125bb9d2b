// @ts-check
// Every module but the entry can be imported where there is no DOM (node, a bundle for another
// host): they touch the page only when called.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";

const ENTRY = "stlite-docs.js";
const src = new URL("../src/", import.meta.url);

test("modules do nothing at import; the entry needs a page", async () => {
  assert.equal(typeof globalThis.document, "undefined");
  const modules = readdirSync(src).filter((name) => name.endsWith(".js"));
  assert.ok(modules.includes(ENTRY) && modules.length > 5, modules.join());
  for (const name of modules.filter((n) => n !== ENTRY)) await import(new URL(name, src).href);
  await assert.rejects(import(new URL(ENTRY, src).href), /document is not defined/);
});
