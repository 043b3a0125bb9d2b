// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { appsToMount, distance, reachOnView } from "../src/schedule.js";

const VIEWPORT = 900;
/** An app box of 400 px whose top is at `top` (viewport coordinates). */
const at = (/** @type {string} */ app, /** @type {number} */ top, width = 800) => ({
  app,
  box: { top, bottom: top + 400, width, height: width ? 400 : 0 },
});

test("distance to the viewport: 0 when visible, else the gap above or below", () => {
  assert.equal(distance({ top: 100, bottom: 500, width: 1, height: 1 }, VIEWPORT), 0);
  assert.equal(distance({ top: 800, bottom: 1200, width: 1, height: 1 }, VIEWPORT), 0); // partly visible
  assert.equal(distance({ top: 1000, bottom: 1400, width: 1, height: 1 }, VIEWPORT), 100);
  assert.equal(distance({ top: -700, bottom: -300, width: 1, height: 1 }, VIEWPORT), 300);
});

test("the first mount is the nearest app alone", () => {
  const pending = [at("far", 5000), at("below", 1200), at("above", -600), at("visible", 300)];
  const now = { reach: Infinity, viewportHeight: VIEWPORT, first: true };
  assert.deepEqual(appsToMount(pending, now), ["visible"]);
  // none visible (the prewarm at load): the one the reader gets to first
  assert.deepEqual(appsToMount(pending.filter((p) => p.app !== "visible"), now), ["above"]);
});

test("later mounts: every app within reach, nearest first", () => {
  const pending = [at("far", 5000), at("below", 1200), at("above", -600), at("visible", 300), at("visible2", 700)];
  const now = { reach: 3 * VIEWPORT, viewportHeight: VIEWPORT, first: false };
  assert.deepEqual(appsToMount(pending, now), ["visible", "visible2", "above", "below"]);
  assert.deepEqual(appsToMount(pending, { ...now, reach: 0 }), ["visible", "visible2"]);
  assert.deepEqual(appsToMount(pending, { ...now, reach: Infinity }), ["visible", "visible2", "above", "below", "far"]);
});

test("hidden apps (an inactive tab: an empty box) wait until shown", () => {
  const pending = [at("hidden", 0, 0), at("shown", 600)];
  assert.deepEqual(appsToMount(pending, { reach: Infinity, viewportHeight: VIEWPORT, first: true }), ["shown"]);
  assert.deepEqual(appsToMount([at("hidden", 0, 0)], { reach: Infinity, viewportHeight: VIEWPORT, first: false }), []);
});

test("the viewport observer: a visible app mounts what is visible; the first report prewarms", () => {
  for (const started of [false, true]) {
    assert.equal(reachOnView(true, false, started, VIEWPORT), 0);
    assert.equal(reachOnView(false, false, started, VIEWPORT), undefined);
  }
  // before any app mounted, a report that says an app is visible mounts the nearest app, the
  // visible one if it still is ...
  assert.deepEqual(appsToMount([at("below", 1500), at("shown", 100)], { reach: reachOnView(true, true, false, VIEWPORT) ?? 0, viewportHeight: VIEWPORT, first: true }), ["shown"]);
  // ... and the nearest if the report was stale (an old entry: later content pushed it down)
  assert.deepEqual(appsToMount([at("pushed", 5000), at("next", 5500)], { reach: reachOnView(true, true, false, VIEWPORT) ?? 0, viewportHeight: VIEWPORT, first: true }), ["pushed"]);
  // none visible at load: Python boots with the nearest app, wherever it is ...
  assert.equal(reachOnView(false, true, false, VIEWPORT), Infinity);
  // ... unless it boots without one (the early worker): then only apps within reach mount
  assert.equal(reachOnView(false, true, true, VIEWPORT), 3 * VIEWPORT);
  const pending = [at("far", 5 * VIEWPORT), at("near", 2 * VIEWPORT)];
  const now = { viewportHeight: VIEWPORT, first: true };
  assert.deepEqual(appsToMount(pending, { ...now, reach: reachOnView(false, true, true, VIEWPORT) ?? 0 }), ["near"]);
  assert.deepEqual(appsToMount([pending[0]], { ...now, reach: reachOnView(false, true, true, VIEWPORT) ?? 0 }), []);
});
