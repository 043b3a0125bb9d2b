// @ts-check
/**
 * The site's look, as Streamlit theme options. Pure: what the page shows comes in (look.js reads
 * it from the DOM), scheme decisions and option values go out. Everything this loader knows about
 * particular themes is the SCHEME_SWITCHES table; any other theme is read from what it paints.
 */

/** The media query Streamlit's default theme follows. */
export const DARK = "(prefers-color-scheme: dark)";

/**
 * @typedef {object} SchemeSwitch How a theme shows its schemes: an attribute on <html> or <body>
 *   and its value in each (`auto`: the system's scheme). A theme's own toggle sets it.
 * @property {"html" | "body"} root
 * @property {string} attr
 * @property {string} light
 * @property {string} dark
 * @property {boolean} [token] the attribute is a list of words (a class) holding one of them
 */

/** @type {readonly SchemeSwitch[]} */
export const SCHEME_SWITCHES = [
  { root: "body", attr: "data-theme", light: "light", dark: "dark" }, // Furo
  { root: "body", attr: "data-md-color-scheme", light: "default", dark: "slate" }, // Material for MkDocs
  { root: "html", attr: "data-theme", light: "light", dark: "dark" }, // PyData, sphinx-book-theme
  { root: "html", attr: "data-bs-theme", light: "light", dark: "dark" }, // MkDocs' own theme (Bootstrap 5.3)
  { root: "html", attr: "class", light: "light", dark: "dark", token: true }, // MyST (Jupyter Book 2)
  { root: "html", attr: "data-mode", light: "light", dark: "dark" }, // Piccolo (also "darkest")
];

/**
 * A switch's value in its attribute's text: the text itself, or for a word list the word of a
 * scheme it holds (undefined: none, the switch is not in use).
 * @param {SchemeSwitch} s
 * @param {string | null} text
 */
export function switchValue(s, text) {
  if (!s.token) return text ?? undefined;
  const words = (text || "").split(/\s+/);
  return words.includes(s.dark) ? s.dark : words.includes(s.light) ? s.light : undefined;
}

/**
 * The attribute text that puts a switch in `scheme`: its value, or for a word list the other
 * words kept and the scheme's word in place of the other's.
 * @param {SchemeSwitch} s
 * @param {string | null} text the attribute's text now
 * @param {"light" | "dark"} scheme
 */
export function switchTo(s, text, scheme) {
  if (!s.token) return s[scheme];
  const words = (text || "").split(/\s+/).filter((w) => w && w !== s.light && w !== s.dark);
  return [...words, s[scheme]].join(" ");
}

/**
 * The site's primary colour in CSS, where the theme names one (Furo, Material for MkDocs,
 * PyData and sphinx-book-theme, Shibuya and other Radix-coloured themes, themes that call it
 * --color-primary); else transparent.
 */
export const PRIMARY_COLOR =
  "var(--color-brand-primary, var(--md-primary-fg-color, var(--pst-color-primary, var(--accent-9, var(--color-primary, #0000)))))";

/**
 * Is the site showing its dark scheme? The setting, else the first known switch on the page
 * with a light or dark value (Furo's `auto` and unknown values fall through to the system),
 * else how dark the page is behind the apps (any other theme: one with a single scheme stays
 * light or dark whatever the system prefers; one that follows the system repaints).
 * @param {object} page
 * @param {import("./settings.js").ThemeMode} page.mode the site's setting: "auto" follows the page
 * @param {{value: string | undefined, switch: SchemeSwitch}[]} page.switches known switches present
 * @param {boolean} page.systemDark does the reader's system prefer dark?
 * @param {number} [page.backdrop] luminance (0..1) of the page behind the apps, if known
 */
export function siteIsDark({ mode, switches, systemDark, backdrop }) {
  if (mode !== "auto") return mode === "dark";
  for (const { value, switch: s } of switches) {
    if (value === s.dark || value === s.light) return value === s.dark;
  }
  if (switches.length || backdrop === undefined) return systemDark;
  return backdrop < 0.2;
}

/** @typedef {[number, number, number, number]} RGBA red, green, blue 0..255, alpha 0..1 */

/**
 * A computed colour (`rgb()`/`rgba()`, what getComputedStyle gives for sRGB colours); undefined
 * for anything else (`oklch()`, `color()`): left out rather than guessed.
 * @param {string | null | undefined} text
 * @returns {RGBA | undefined}
 */
export function parseColor(text) {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$/.exec(text || "");
  return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : undefined;
}

/**
 * `top` painted over `under`.
 * @param {RGBA} top
 * @param {RGBA} under opaque
 * @returns {RGBA}
 */
export const over = (top, under) => [
  top[0] * top[3] + under[0] * (1 - top[3]),
  top[1] * top[3] + under[1] * (1 - top[3]),
  top[2] * top[3] + under[2] * (1 - top[3]),
  1,
];

/**
 * `a` mixed into the opaque `b` by `t` (0: b, 1: a).
 * @param {RGBA} a @param {RGBA} b @param {number} t
 */
export const mix = (a, b, t) => over([a[0], a[1], a[2], t], b);

/** @param {RGBA} c as Streamlit takes colours: opaque `rgb()` */
export const cssColor = (c) => `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;

/**
 * Relative luminance (WCAG 2) of an opaque colour.
 * @param {RGBA} c
 */
export function luminance(c) {
  const lin = (/** @type {number} */ v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

/**
 * WCAG contrast ratio of two opaque colours (1..21).
 * @param {RGBA} a @param {RGBA} b
 */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** @param {RGBA} a @param {RGBA} b distance in RGB */
export const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * The layers behind an element, nearest first, flattened onto the canvas (white).
 * @param {RGBA[]} layers backgrounds from the element's parent up to the first opaque one
 * @returns {RGBA}
 */
export const flatten = (layers) => layers.reduceRight((under, top) => over(top, under), /** @type {RGBA} */ ([255, 255, 255, 1]));

/**
 * @typedef {object} Look The site's look where an app sits, in one scheme (look.js reads it).
 * @property {RGBA} bg the opaque background behind the app
 * @property {RGBA | undefined} text the text colour there (maybe see-through)
 * @property {RGBA | undefined} link a link's colour there
 * @property {RGBA | undefined} primary the theme's primary colour (PRIMARY_COLOR), if it names one
 * @property {RGBA | undefined} codeBg a code block's background (maybe see-through), if it has one
 * @property {RGBA | undefined} [inlineCode] inline code's text colour
 * @property {string} font the text's font family
 * @property {string} codeFont a code block's font family
 * @property {number} size the text's font size, px
 * @property {number} codeSize a code block's font size, px
 * @property {number} root the root element's font size, px (what Streamlit's rem is)
 */

/** Streamlit options that exist only in [theme], not per scheme. */
export const THEME_ONLY = ["baseFontSize"];

/**
 * Streamlit's theme options for one scheme of the site. Colours are opaque (see-through ones
 * flattened onto the page's background); the secondary background (inputs, code) is the site's
 * code-block background, or a faint tint of the text where that is too close to the page's
 * (inputs would vanish) or too far (a dark code scheme on a light page: the text would not read); borders are the text at 20% (Streamlit's own default). Sizes: Streamlit
 * sizes in rem of the page's root, and the app box is zoomed to the text around it (zoomFor), so
 * code keeps the site's code-to-text ratio in rem, and `baseFontSize` (the px size Streamlit
 * gives its root element) is the page's root size, which the zoom turns into the text's size.
 * @param {Look} look
 * @returns {Record<string, string | number>}
 */
export function themeValues(look) {
  /** @type {RGBA} */
  const text = look.text ? over(look.text, look.bg) : luminance(look.bg) < 0.2 ? [250, 250, 250, 1] : [49, 51, 63, 1];
  // a code block in a scheme of its own (a dark one on a light page): the app's text, which
  // is the page's, would not read on it
  const block = look.codeBg && over(look.codeBg, look.bg);
  const code = block && contrast(text, block) >= 4.5 ? block : undefined;
  const tint = code && distance(code, look.bg) >= 12 ? code : mix(text, look.bg, 0.06);
  // no accent of its own (a monochrome theme): the text's colour, where Streamlit's white
  // button labels read on it (a light page); on a dark page Streamlit's own stays
  const primary = pickPrimary(look, text) || (contrast(text, WHITE) >= 4.5 ? text : undefined);
  const inline = look.inlineCode && over(look.inlineCode, look.bg);
  /** @type {Record<string, string | number | undefined>} */
  const values = {
    font: ownFont(look.font),
    codeFont: ownFont(look.codeFont),
    primaryColor: primary && cssColor(primary),
    backgroundColor: cssColor(look.bg),
    secondaryBackgroundColor: cssColor(tint),
    codeBackgroundColor: cssColor(code || tint),
    // inline code in the site's colour, where it reads on the code background
    codeTextColor: inline && contrast(inline, code || tint) >= 3 ? cssColor(inline) : undefined,
    textColor: cssColor(text),
    linkColor: look.link && look.link[3] >= 1 ? cssColor(look.link) : undefined,
    borderColor: cssColor(mix(text, look.bg, 0.2)),
    codeFontSize: codeFontSize(look),
    // Streamlit's own default is 16: only a different root needs the [theme] option.
    baseFontSize: look.root > 0 && Math.round(look.root) !== 16 ? Math.round(look.root) : undefined,
  };
  return /** @type {Record<string, string | number>} */ (Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== "")));
}

/**
 * A font family for Streamlit's font options as the page has it: Streamlit reads a bare
 * `sans-serif`, `serif` or `monospace` as its own fonts (Source Sans...), so a page in the
 * browser's generic font gets a first family that matches no font before it.
 * @param {string} family
 */
export const ownFont = (family) => (/^((sans-)?serif|monospace)(,|$)/.test(family) ? `_, ${family}` : family);

/**
 * The site's code size for Streamlit (its codeFontSize), in rem: the code's size relative to
 * the text around the app, which the zoom makes the text's size.
 * @param {Look} look
 */
export const codeFontSize = (look) => (look.size > 0 && look.codeSize > 0 ? `${+(look.codeSize / look.size).toFixed(3)}rem` : undefined);

/**
 * The site's primary colour for Streamlit's accents (buttons, sliders, checkboxes): the theme's
 * own, else its links', whichever is first opaque, not just the text colour (a theme variable
 * that is not a colour leaves the probe its text's colour; some themes' links are only
 * underlined text), legible under Streamlit's white button labels (contrast 2:1 or more) and
 * visible on the page (1.8:1). None: Streamlit's own primary colour stays.
 * @param {Look} look
 * @param {RGBA} text the page's text colour, opaque
 * @returns {RGBA | undefined}
 */
export function pickPrimary(look, text) {
  return [look.primary, look.link].find(
    (c) => c && c[3] >= 1 && distance(c, text) > 30 && contrast(c, [255, 255, 255, 1]) >= 2 && contrast(c, look.bg) >= 1.8,
  );
}

/**
 * The zoom that makes Streamlit's rem-sized text the size of the text around the app.
 * @param {Look} look
 */
export const zoomFor = (look) => (look.root > 0 && look.size > 0 ? +(look.size / look.root).toFixed(4) : 1);

/**
 * Black or white text on a colour, whichever reads better.
 * @param {RGBA} color
 */
export const textOn = (color) => (contrast(color, [0, 0, 0, 1]) > contrast(color, WHITE) ? "#000" : "#fff");

/** @type {RGBA} */
const WHITE = [255, 255, 255, 1];

/**
 * Streamlit theme options that make an app look like the site, each set in BOTH [theme.light]
 * and [theme.dark]. A plain [theme] option would make a custom single-scheme theme, which stops
 * the light/dark following (checked with Streamlit 1.62); with both sections Streamlit keeps
 * following the scheme stlite's matchMedia reports. THEME_ONLY options (no per-scheme form) go
 * in [theme], taken from the light look (they do not differ by scheme). An option that the
 * app's own config sets in any of [theme], [theme.light] or [theme.dark] is left out, so the
 * app's value wins (a [theme] value then shows in both schemes, as unset section options come
 * from [theme]).
 * @param {string[]} inherit Streamlit option names to take ("font", "primaryColor", ...)
 * @param {Record<string, unknown> | undefined} own the app's config
 * @param {(option: string, scheme: "light" | "dark") => string | number | null | undefined} site
 *   the site's value (asked only for options the app leaves to the site); none: left out
 * @returns {Record<string, string | number>}
 */
export function inheritedTheme(inherit, own, site) {
  /** @type {Record<string, string | number>} */
  const options = {};
  for (const option of inherit) {
    if (["", "light.", "dark."].some((section) => own && `theme.${section}${option}` in own)) continue;
    if (THEME_ONLY.includes(option)) {
      const value = site(option, "light") ?? site(option, "dark");
      if (value) options[`theme.${option}`] = value;
      continue;
    }
    for (const scheme of /** @type {const} */ (["light", "dark"])) {
      const value = site(option, scheme);
      if (value) options[`theme.${scheme}.${option}`] = value;
    }
  }
  return options;
}
