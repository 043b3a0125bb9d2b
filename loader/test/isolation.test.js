// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { GUARD, guardSelector, guardSelectors, guardSheet, splitSelectors } from "../src/isolation.js";

test("selector lists split at their top-level commas only", () => {
  assert.deepEqual(splitSelectors("a, b > c,d"), ["a", "b > c", "d"]);
  assert.deepEqual(splitSelectors(':is(h1, h2) p, [title="x, y"], a'), [":is(h1, h2) p", '[title="x, y"]', "a"]);
  assert.deepEqual(splitSelectors(".a\\,b, c"), [".a\\,b", "c"]);
});

test("the guard goes on the subject, before a trailing pseudo-element", () => {
  assert.equal(guardSelector("#content h3"), `#content h3${GUARD}`);
  assert.equal(guardSelector("p::before"), `p${GUARD}::before`);
  assert.equal(guardSelector("p:before"), `p${GUARD}:before`, "the legacy one-colon form");
  assert.equal(guardSelector("a:hover"), `a:hover${GUARD}`);
  assert.equal(guardSelector("div::-webkit-scrollbar-thumb:hover"), `div${GUARD}::-webkit-scrollbar-thumb:hover`);
  assert.equal(guardSelector("a::before + b"), `a::before + b${GUARD}`, "a pseudo-element before a combinator is not the subject's");
  assert.equal(guardSelector(":is(a::x, b) c"), `:is(a::x, b) c${GUARD}`);
  assert.equal(guardSelector('[data-x="a::b"] p'), `[data-x="a::b"] p${GUARD}`);
});

test("every selector of a list is guarded, but those naming an app, and only once", () => {
  const list = "h1, .stlite-docs-app h2, [data-testid=stButton] button, .stButton > button, h3";
  assert.equal(
    guardSelectors(list),
    `h1${GUARD}, .stlite-docs-app h2, [data-testid=stButton] button, .stButton > button, h3${GUARD}`,
  );
  assert.equal(guardSelectors(guardSelectors("h1, h2")), guardSelectors("h1, h2"));
});

test("a sheet's rules are guarded in place: nested, in blocks and in imported sheets; other origins are reported", () => {
  const style = (/** @type {string} */ selectorText, /** @type {object[]} */ cssRules = []) => ({ type: 1, selectorText, cssRules });
  const imported = { cssRules: [style("ul")] };
  /** @type {any} */
  const sheet = {
    cssRules: [
      style("h3", [style("& code")]),
      { type: 4, cssRules: [style("p")] }, // @media
      { type: 3, styleSheet: imported }, // @import
      { type: 5 }, // @font-face
      style(".stlite-docs-app p"),
    ],
  };
  assert.equal(guardSheet(/** @type {any} */ (sheet)), 4);
  const [h3, media] = sheet.cssRules;
  assert.equal(h3.selectorText, `h3${GUARD}`);
  assert.equal(/** @type {any} */ (h3.cssRules)[0].selectorText, `& code${GUARD}`);
  assert.equal(/** @type {any} */ (media.cssRules)[0].selectorText, `p${GUARD}`);
  assert.equal(imported.cssRules[0].selectorText, `ul${GUARD}`);
  assert.equal(sheet.cssRules[4].selectorText, ".stlite-docs-app p");
  const foreign = {
    get cssRules() {
      throw new Error("SecurityError");
    },
  };
  assert.equal(guardSheet(/** @type {any} */ (foreign)), -1);
});
