// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import { classScheme, inheritedTheme, paletteSelector, pickColor, siteIsDark } from "../src/theme.js";

test("the site's scheme: the setting, else Furo, else Material, else the system", () => {
  const page = { mode: /** @type {const} */ ("auto"), systemDark: false };
  assert.equal(siteIsDark({ ...page, mode: "dark" }), true);
  assert.equal(siteIsDark({ ...page, mode: "light", furo: "dark", systemDark: true }), false);
  assert.equal(siteIsDark({ ...page, furo: "dark" }), true);
  assert.equal(siteIsDark({ ...page, furo: "light", systemDark: true }), false);
  // Furo's "auto" is the system's scheme
  assert.equal(siteIsDark({ ...page, furo: "auto", systemDark: true }), true);
  assert.equal(siteIsDark({ ...page, material: "slate" }), true);
  assert.equal(siteIsDark({ ...page, material: "default", systemDark: true }), false);
  assert.equal(siteIsDark({ ...page, systemDark: true }), true);
  assert.equal(siteIsDark(page), false);
  // MyST's themes: <html class="dark"> / "light", over the system's
  assert.equal(siteIsDark({ ...page, html: "dark" }), true);
  assert.equal(siteIsDark({ ...page, html: "light", systemDark: true }), false);
  assert.equal(siteIsDark({ ...page, mode: "light", html: "dark" }), false);
});

test("the scheme a <html class> names", () => {
  assert.equal(classScheme("dark"), "dark");
  assert.equal(classScheme("js light font-sans"), "light");
  assert.equal(classScheme("darkish no-js"), undefined);
  assert.equal(classScheme(""), undefined);
});

test("Material's palette toggle for each scheme", () => {
  assert.equal(paletteSelector("dark"), "input[data-md-color-scheme=slate]");
  assert.equal(paletteSelector("light"), "input[data-md-color-scheme=default]");
});

test("the theme's colour if it has one, else a link's", () => {
  const link = () => "rgb(1, 2, 3)";
  const unused = () => assert.fail("the link's colour is not needed");
  assert.equal(pickColor("rgb(0, 170, 0)", unused), "rgb(0, 170, 0)");
  assert.equal(pickColor("rgba(0, 0, 0, 0)", link), "rgb(1, 2, 3)"); // no theme colour: see-through
  assert.equal(pickColor("color(display-p3 1 0 0)", link), "rgb(1, 2, 3)");
  assert.equal(pickColor("rgba(0, 0, 0, 0)", () => null), null);
});

/** The site's values, recording what was asked. */
function site() {
  /** @type {string[]} */
  const asked = [];
  /** @param {string} option @param {"light" | "dark"} scheme */
  const read = (option, scheme) => {
    asked.push(`${option}/${scheme}`);
    return option === "font" ? "Lato, sans-serif" : option === "primaryColor" ? (scheme === "dark" ? "rgb(0, 128, 128)" : "rgb(81, 45, 168)") : null;
  };
  return { asked, read };
}

test("inherited options are set in both schemes, never in plain [theme]", () => {
  const { read } = site();
  assert.deepEqual(inheritedTheme(["font", "primaryColor"], undefined, read), {
    "theme.light.font": "Lato, sans-serif",
    "theme.dark.font": "Lato, sans-serif",
    "theme.light.primaryColor": "rgb(81, 45, 168)",
    "theme.dark.primaryColor": "rgb(0, 128, 128)",
  });
  assert.deepEqual(inheritedTheme([], {}, read), {});
});

test("an option the app sets in any section is the app's: not inherited, not even read", () => {
  for (const key of ["theme.primaryColor", "theme.light.primaryColor", "theme.dark.primaryColor"]) {
    const { asked, read } = site();
    assert.deepEqual(inheritedTheme(["font", "primaryColor"], { [key]: "#00aa00" }, read), {
      "theme.light.font": "Lato, sans-serif",
      "theme.dark.font": "Lato, sans-serif",
    }, key);
    assert.deepEqual(asked, ["font/light", "font/dark"], key);
  }
  // other theme options of the app do not count
  const { read } = site();
  assert.equal(Object.keys(inheritedTheme(["primaryColor"], { "theme.base": "dark", "theme.primaryColour": "x" }, read)).length, 2);
});

test("a value the site does not have is left out", () => {
  const { read } = site();
  assert.deepEqual(inheritedTheme(["textColor"], {}, read), {});
});
