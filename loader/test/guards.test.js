// @ts-check
// The guards on stand-ins for the browser objects they patch: the host page's own calls must
// pass unchanged, stlite's must be dropped or adjusted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { callsFrom, followSiteScheme, isPageSelector, keepFavicon, keepTitle, keepUrl, markStliteStyles, stliteFolder } from "../src/guards.js";
import { DARK } from "../src/theme.js";

/** A CallerCheck the test switches. */
function caller() {
  const state = { stlite: false };
  return { state, fromStlite: () => state.stlite };
}

test("stlite's code is what loads from the folder of stlite.js", () => {
  assert.equal(stliteFolder("https://docs.example/p/_static/stlite/stlite.js"), "https://docs.example/p/_static/stlite/");
  assert.equal(stliteFolder("https://cdn.example/npm/@stlite/browser@1.9.2/build/stlite.js?x=1"), "https://cdn.example/npm/@stlite/browser@1.9.2/build/");
});

test("callsFrom reads the call stack", () => {
  assert.equal(callsFrom(new URL(".", import.meta.url).href)(), true); // this file is on the stack
  assert.equal(callsFrom("https://cdn.example/stlite/")(), false);
});

test("title: the page sets it, stlite cannot", () => {
  class FakeDocument {
    #title = "Page";
    get title() {
      return this.#title;
    }
    set title(v) {
      this.#title = v;
    }
  }
  const doc = new FakeDocument();
  const { state, fromStlite } = caller();
  keepTitle(/** @type {any} */ (doc), /** @type {any} */ (FakeDocument.prototype), fromStlite);
  state.stlite = true;
  doc.title = "streamlit app";
  assert.equal(doc.title, "Page");
  state.stlite = false;
  doc.title = "Another page";
  assert.equal(doc.title, "Another page");
});

test("favicon: stlite cannot repoint an icon link; other links and the page can", () => {
  class FakeLink {
    rel = "";
    #href = "";
    get href() {
      return this.#href;
    }
    set href(v) {
      this.#href = v;
    }
  }
  const { state, fromStlite } = caller();
  keepFavicon(/** @type {any} */ (FakeLink.prototype), fromStlite);
  const icon = Object.assign(new FakeLink(), { rel: "shortcut icon" });
  icon.href = "site.ico";
  state.stlite = true;
  icon.href = "streamlit.png";
  assert.equal(icon.href, "site.ico");
  const sheet = Object.assign(new FakeLink(), { rel: "stylesheet" });
  sheet.href = "stlite.css";
  assert.equal(sheet.href, "stlite.css");
  state.stlite = false;
  icon.href = "new.ico";
  assert.equal(icon.href, "new.ico");
});

test("history: stlite's pushState/replaceState are dropped, the page's pass with their arguments", () => {
  /** @type {unknown[][]} */
  const calls = [];
  const history = {
    /** @param {unknown[]} args */
    pushState(...args) {
      calls.push(["push", this === history, ...args]);
    },
    /** @param {unknown[]} args */
    replaceState(...args) {
      calls.push(["replace", this === history, ...args]);
    },
  };
  const { state, fromStlite } = caller();
  keepUrl(/** @type {any} */ (history), fromStlite);
  state.stlite = true;
  history.pushState({}, "", "?page=2");
  history.replaceState(null, "", "?embed=true");
  assert.deepEqual(calls, []);
  state.stlite = false;
  history.pushState({ a: 1 }, "", "#x");
  history.replaceState(null, "", "#y");
  assert.deepEqual(calls, [["push", true, { a: 1 }, "", "#x"], ["replace", true, null, "", "#y"]]);
});

test("stlite's <style> elements are marked as the apps' own and get the nonce, nothing else does", () => {
  const doc = {
    /** @param {string} tag */
    createElement(tag) {
      /** @type {Record<string, string>} */
      const attributes = {};
      return { tag, attributes, setAttribute: (/** @type {string} */ k, /** @type {string} */ v) => (attributes[k] = v) };
    },
  };
  const { state, fromStlite } = caller();
  markStliteStyles(/** @type {any} */ (doc), "n0nce", fromStlite);
  const create = (/** @type {string} */ tag) => /** @type {any} */ (doc.createElement(tag)).attributes;
  assert.deepEqual(create("style"), {}); // the page's own
  state.stlite = true;
  assert.deepEqual(create("style"), { nonce: "n0nce", "data-stlite-docs-own": "" });
  assert.deepEqual(create("STYLE"), { nonce: "n0nce", "data-stlite-docs-own": "" });
  assert.deepEqual(create("div"), {});
  const bare = { createElement: (/** @type {string} */ tag) => ({ tag, attributes: {}, setAttribute(/** @type {string} */ k, /** @type {string} */ v) { /** @type {any} */ (this).attributes[k] = v; } }) };
  markStliteStyles(/** @type {any} */ (bare), "", fromStlite);
  assert.deepEqual(/** @type {any} */ (bare.createElement("style")).attributes, { "data-stlite-docs-own": "" }, "no nonce: marked only");
});

test("matchMedia: stlite sees the site's scheme and its changes; other queries are real", () => {
  /** @type {((e: unknown) => void)[]} */
  const systemListeners = [];
  const real = (/** @type {string} */ media) => ({
    media,
    matches: false,
    real: true,
    addEventListener: (/** @type {string} */ _type, /** @type {(e: unknown) => void} */ f) => systemListeners.push(f),
  });
  const win = /** @type {Pick<Window, "matchMedia">} */ (/** @type {unknown} */ ({ matchMedia: real }));
  let siteDark = true;
  const { state, fromStlite } = caller();
  const update = followSiteScheme(win, () => siteDark, fromStlite);
  assert.equal(systemListeners.length, 1, "follows the system's changes too");

  assert.equal(/** @type {any} */ (win.matchMedia(DARK)).real, true, "the page's own query is real");
  state.stlite = true;
  assert.equal(/** @type {any} */ (win.matchMedia("(min-width: 600px)")).real, true);
  const query = win.matchMedia(DARK);
  assert.equal(query.matches, true);
  /** @type {boolean[]} */
  const seen = [];
  query.addEventListener("change", (e) => seen.push(/** @type {MediaQueryListEvent} */ (e).matches));
  update(); // nothing changed
  assert.deepEqual(seen.slice(), []);
  siteDark = false;
  update();
  assert.equal(query.matches, false);
  siteDark = true;
  systemListeners[0]({}); // a system change makes it look again
  assert.deepEqual(seen, [false, true]);
  const legacy = (/** @type {MediaQueryListEvent} */ e) => seen.push(e.matches);
  query.addListener(legacy);
  query.removeListener(legacy);
  siteDark = false;
  update();
  assert.deepEqual(seen, [false, true, false], "a removed listener is not called");
});

test("stlite.css rules for the whole page are found", () => {
  for (const sel of ["body", " html ", ":root"]) assert.equal(isPageSelector(sel), true, sel);
  for (const sel of [undefined, "", "body .x", ".stApp", "html, .y"]) assert.equal(isPageSelector(sel), false, String(sel));
});
