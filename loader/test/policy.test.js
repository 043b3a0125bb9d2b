// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { FIRST_VISIT_MB, constrained, decide, queryChoice } from "../src/policy.js";

const reader = { constrained: false, remembered: false };

test("the app's policy wins over the site's; auto is the default", () => {
  assert.equal(decide({ ...reader }), "eager");
  assert.equal(decide({ ...reader, site: "click" }), "click");
  assert.equal(decide({ ...reader, site: "click", app: "visible" }), "visible");
  assert.equal(decide({ ...reader, site: "visible", app: "eager" }), "eager");
  assert.equal(decide({ ...reader, site: "eager", app: "auto" }), "eager");
  // a value the build would refuse (a hand-written page) means the default
  assert.equal(decide({ ...reader, site: "lazy", app: "soon" }), "eager");
});

test("auto is click where the browser asks to save data or the link is slow", () => {
  assert.equal(decide({ ...reader, constrained: true }), "click");
  assert.equal(decide({ ...reader, site: "auto", constrained: true }), "click");
  // the author's explicit choice stands
  assert.equal(decide({ ...reader, site: "eager", constrained: true }), "eager");
  assert.equal(decide({ ...reader, app: "visible", constrained: true }), "visible");
});

test("the reader: ?stlite=off waits for a press everywhere, on or the remembered choice starts", () => {
  for (const site of ["auto", "eager", "visible", "click"]) {
    assert.equal(decide({ ...reader, site, query: "off" }), "click", site);
    assert.equal(decide({ ...reader, site, query: "off", remembered: true }), "click", site);
  }
  assert.equal(decide({ ...reader, site: "click", query: "on" }), "eager");
  assert.equal(decide({ ...reader, site: "click", remembered: true }), "eager");
  assert.equal(decide({ ...reader, constrained: true, remembered: true }), "eager");
  assert.equal(decide({ ...reader, constrained: true, query: "on" }), "eager");
  // visible stays visible: it asks the reader nothing
  assert.equal(decide({ ...reader, site: "visible", query: "on" }), "visible");
  assert.equal(decide({ ...reader, site: "visible", remembered: true }), "visible");
});

test("the query parameter: only on and off count", () => {
  assert.equal(queryChoice("?stlite=off"), "off");
  assert.equal(queryChoice("?a=1&stlite=on"), "on");
  assert.equal(decide({ ...reader, site: "click", query: queryChoice("?stlite=yes") }), "click");
  assert.equal(decide({ ...reader, query: queryChoice("") }), "eager");
});

test("a constrained connection: Save-Data, 2G/3G, cellular; unknown is not", () => {
  assert.equal(constrained(undefined), false);
  assert.equal(constrained({}), false);
  assert.equal(constrained({ saveData: true, effectiveType: "4g" }), true);
  assert.equal(constrained({ effectiveType: "3g" }), true);
  assert.equal(constrained({ effectiveType: "slow-2g" }), true);
  assert.equal(constrained({ effectiveType: "4g", type: "wifi" }), false);
  assert.equal(constrained({ type: "cellular" }), true);
});

test("the first-visit size the Run button states is a whole number of megabytes", () => {
  assert.ok(Number.isInteger(FIRST_VISIT_MB) && FIRST_VISIT_MB > 10 && FIRST_VISIT_MB < 100);
});
