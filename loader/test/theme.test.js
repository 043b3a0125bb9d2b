// @ts-check
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  contrast,
  cssColor,
  flatten,
  inheritedTheme,
  mix,
  over,
  parseColor,
  pickPrimary,
  SCHEME_SWITCHES,
  siteIsDark,
  switchTo,
  switchValue,
  textOn,
  themeValues,
  zoomFor,
} from "../src/theme.js";

/** @typedef {import("../src/theme.js").Look} Look */

const [furo, material, pydata, , myst, piccolo] = SCHEME_SWITCHES;

test("the site's scheme: the setting, else a known switch, else the page's own brightness", () => {
  const page = { mode: /** @type {const} */ ("auto"), switches: [], systemDark: false };
  assert.equal(siteIsDark({ ...page, mode: "dark" }), true);
  assert.equal(siteIsDark({ ...page, mode: "light", switches: [{ value: "dark", switch: furo }], systemDark: true }), false);
  assert.equal(siteIsDark({ ...page, switches: [{ value: "dark", switch: furo }] }), true);
  assert.equal(siteIsDark({ ...page, switches: [{ value: "light", switch: furo }], systemDark: true }), false);
  assert.equal(siteIsDark({ ...page, switches: [{ value: "slate", switch: material }] }), true);
  assert.equal(siteIsDark({ ...page, switches: [{ value: "default", switch: material }], systemDark: true }), false);
  assert.equal(siteIsDark({ ...page, switches: [{ value: "dark", switch: pydata }] }), true);
  // Furo's "auto" (and any value a switch does not know) is the system's scheme
  assert.equal(siteIsDark({ ...page, switches: [{ value: "auto", switch: furo }], systemDark: true }), true);
  assert.equal(siteIsDark({ ...page, switches: [{ value: "auto", switch: furo }], backdrop: 0 }), false);
  // any other theme: dark where the page behind the apps is dark, whatever the system says
  assert.equal(siteIsDark({ ...page, backdrop: 0.01, systemDark: false }), true);
  assert.equal(siteIsDark({ ...page, backdrop: 0.9, systemDark: true }), false);
  // nothing known yet: the system's
  assert.equal(siteIsDark({ ...page, systemDark: true }), true);
});

test("MyST's scheme is a word of <html class>: read and switched without touching the others", () => {
  assert.equal(switchValue(myst, "js dark font-sans"), "dark");
  assert.equal(switchValue(myst, "light"), "light");
  assert.equal(switchValue(myst, "darkish no-js"), undefined); // not a scheme: not in use
  assert.equal(switchValue(myst, null), undefined);
  assert.equal(switchTo(myst, "js dark font-sans", "light"), "js font-sans light");
  assert.equal(switchTo(furo, "auto", "dark"), "dark");
  assert.equal(siteIsDark({ mode: "auto", switches: [{ value: "dark", switch: myst }], systemDark: false }), true);
});

test("Piccolo's scheme is <html data-mode>", () => {
  assert.deepEqual([piccolo.root, piccolo.attr], ["html", "data-mode"]);
  assert.equal(siteIsDark({ mode: "auto", switches: [{ value: "dark", switch: piccolo }], systemDark: false }), true);
  assert.equal(switchTo(piccolo, "darkest", "light"), "light");
});

test("computed colours: rgb() and rgba() only", () => {
  assert.deepEqual(parseColor("rgb(1, 2, 3)"), [1, 2, 3, 1]);
  assert.deepEqual(parseColor("rgba(0, 0, 0, 0.87)"), [0, 0, 0, 0.87]);
  assert.deepEqual(parseColor("rgb(10 20 30 / 0.5)"), [10, 20, 30, 0.5]);
  for (const other of ["oklch(0.5 0.1 200)", "color(display-p3 1 0 0)", "transparent", "", null, undefined]) {
    assert.equal(parseColor(other), undefined, String(other));
  }
});

test("colours are painted over the page: see-through ones come out opaque", () => {
  assert.deepEqual(over([0, 0, 0, 0.5], [255, 255, 255, 1]), [127.5, 127.5, 127.5, 1]);
  assert.deepEqual(mix([0, 0, 0, 1], [200, 100, 0, 1], 0.25), [150, 75, 0, 1]);
  // layers nearest first; an opaque one hides everything behind it; the canvas is white
  assert.deepEqual(flatten([]), [255, 255, 255, 1]);
  assert.deepEqual(flatten([[0, 0, 0, 0.5], [255, 0, 0, 1]]), [127.5, 0, 0, 1]);
  assert.equal(cssColor([127.5, 0.4, 254.6, 1]), "rgb(128, 0, 255)");
  assert.equal(Math.round(contrast([0, 0, 0, 1], [255, 255, 255, 1])), 21);
  assert.equal(contrast([9, 9, 9, 1], [9, 9, 9, 1]), 1);
});

/** @param {Partial<Look>} [over] @returns {Look} */
const look = (over = {}) => ({
  bg: [255, 255, 255, 1],
  text: [0, 0, 0, 0.87],
  link: [64, 81, 181, 1],
  primary: undefined,
  codeBg: [245, 245, 245, 1],
  font: "Roboto, sans-serif",
  codeFont: "Roboto Mono, monospace",
  size: 16,
  codeSize: 13.6,
  root: 20,
  ...over,
});

test("Streamlit's options for one scheme of the site", () => {
  assert.deepEqual(themeValues(look()), {
    font: "Roboto, sans-serif",
    codeFont: "Roboto Mono, monospace",
    primaryColor: "rgb(64, 81, 181)", // no theme colour: the links'
    backgroundColor: "rgb(255, 255, 255)",
    secondaryBackgroundColor: "rgb(245, 245, 245)",
    codeBackgroundColor: "rgb(245, 245, 245)",
    textColor: "rgb(33, 33, 33)", // 87% black on white
    linkColor: "rgb(64, 81, 181)",
    borderColor: "rgb(211, 211, 211)", // the text at 20%
    codeFontSize: "0.85rem",
    baseFontSize: 20,
  });
});

test("the theme's primary colour wins over the links'; see-through ones are left out", () => {
  assert.equal(themeValues(look({ primary: [10, 75, 255, 1] })).primaryColor, "rgb(10, 75, 255)");
  const none = themeValues(look({ link: [0, 0, 0, 0] }));
  assert.equal(none.primaryColor, "rgb(33, 33, 33)", "a monochrome light site: its text colour");
  assert.equal(none.linkColor, undefined);
  const darkNone = themeValues(look({ bg: [17, 17, 19, 1], text: [238, 238, 238, 1], link: [0, 0, 0, 0] }));
  assert.equal(darkNone.primaryColor, undefined, "white labels would not read on light text: Streamlit's own");
});

test("inline code takes the site's colour where it reads on the code background", () => {
  assert.equal(themeValues(look({ inlineCode: [199, 37, 78, 1] })).codeTextColor, "rgb(199, 37, 78)");
  assert.equal(themeValues(look({ inlineCode: [240, 240, 240, 1] })).codeTextColor, undefined);
  assert.equal(themeValues(look()).codeTextColor, undefined, "none read: Streamlit's own");
});

test("a primary colour must be one: not the text's, readable under white labels, visible on the page", () => {
  const black = /** @type {import("../src/theme.js").RGBA} */ ([33, 33, 33, 1]);
  // a theme variable that is no colour leaves the probe the text's colour: the links' then
  assert.deepEqual(pickPrimary(look({ primary: [33, 33, 33, 1] }), black), [64, 81, 181, 1]);
  // links that are only lighter text on a dark page (Shibuya's, sphinxawesome's): none
  const dark = look({ bg: [17, 17, 19, 1], text: [238, 238, 238, 1], link: [225, 231, 239, 1] });
  assert.equal(pickPrimary(dark, [238, 238, 238, 1]), undefined);
  assert.equal(themeValues(dark).primaryColor, undefined); // Streamlit's own stays
  // a light teal on a dark page passes (PyData's dark scheme)
  assert.deepEqual(pickPrimary(look({ bg: [20, 24, 30, 1], primary: [63, 177, 197, 1] }), [206, 214, 221, 1]), [63, 177, 197, 1]);
});

test("inputs stay visible where code blocks are (almost) the page's colour", () => {
  const flat = themeValues(look({ codeBg: [252, 252, 252, 1] }));
  assert.equal(flat.secondaryBackgroundColor, "rgb(242, 242, 242)"); // a 6% tint of the text
  assert.equal(flat.codeBackgroundColor, "rgb(252, 252, 252)"); // code blocks as the site's
  assert.equal(themeValues(look({ codeBg: undefined })).codeBackgroundColor, "rgb(242, 242, 242)");
  // a dark code scheme on a light page (Wagtail's): the page's text would not read on it
  const darkCode = themeValues(look({ codeBg: [46, 31, 94, 1] }));
  assert.equal(darkCode.codeBackgroundColor, "rgb(242, 242, 242)");
  assert.equal(darkCode.secondaryBackgroundColor, "rgb(242, 242, 242)");
});

test("a page in the browser's generic fonts keeps them: Streamlit would read them as its own", () => {
  const generic = themeValues(look({ font: "sans-serif", codeFont: "monospace, monospace" }));
  assert.equal(generic.font, "_, sans-serif");
  assert.equal(generic.codeFont, "_, monospace, monospace");
  assert.equal(themeValues(look({ font: "Inter, sans-serif" })).font, "Inter, sans-serif");
});

test("a dark page without a text colour gets light text", () => {
  assert.equal(themeValues(look({ bg: [19, 20, 22, 1], text: undefined })).textColor, "rgb(250, 250, 250)");
});

test("sizes: zoom to the text around the app; Streamlit's root only where the page's differs", () => {
  assert.equal(zoomFor(look()), 0.8); // Material: 16 px text, 20 px root
  assert.equal(zoomFor(look({ size: 17, root: 16 })), 1.0625); // Alabaster
  assert.equal(zoomFor(look({ size: 0 })), 1);
  assert.equal(themeValues(look({ root: 16 })).baseFontSize, undefined);
  assert.equal(themeValues(look({ size: 16, codeSize: 13 })).codeFontSize, "0.813rem");
});

test("text on a colour: black or white, whichever has more contrast", () => {
  assert.equal(textOn([64, 81, 181, 1]), "#fff");
  assert.equal(textOn([61, 148, 255, 1]), "#000"); // Furo's dark blue: white would be 3:1
  assert.equal(textOn([255, 235, 59, 1]), "#000");
});

/** The site's values, recording what was asked. */
function site() {
  /** @type {string[]} */
  const asked = [];
  /** @param {string} option @param {"light" | "dark"} scheme */
  const read = (option, scheme) => {
    asked.push(`${option}/${scheme}`);
    if (option === "font") return "Lato, sans-serif";
    if (option === "primaryColor") return scheme === "dark" ? "rgb(0, 128, 128)" : "rgb(81, 45, 168)";
    if (option === "baseFontSize") return 20;
    return null;
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

test("options Streamlit has only in [theme] go there", () => {
  const { read } = site();
  assert.deepEqual(inheritedTheme(["baseFontSize"], {}, read), { "theme.baseFontSize": 20 });
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
  const { read } = site();
  assert.deepEqual(inheritedTheme(["baseFontSize"], { "theme.baseFontSize": 14 }, read), {});
  // other theme options of the app do not count
  assert.equal(Object.keys(inheritedTheme(["primaryColor"], { "theme.base": "dark", "theme.primaryColour": "x" }, read)).length, 2);
});

test("a value the site does not have is left out", () => {
  const { read } = site();
  assert.deepEqual(inheritedTheme(["textColor"], {}, read), {});
});
