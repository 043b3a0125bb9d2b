// @ts-check
/**
 * The site's look, as Streamlit theme options. Pure: what the page shows comes in (the glue in
 * mount.js and guards.js reads it from the DOM), option values go out. Everything this loader
 * knows about particular themes (Furo, Material for MkDocs, MyST's) is here.
 */

/** The media query Streamlit's default theme follows. */
export const DARK = "(prefers-color-scheme: dark)";
/** <body> attributes that themes toggle between schemes: Furo's and Material's. */
export const SCHEME_ATTRIBUTES = ["data-theme", "data-md-color-scheme"];

/**
 * The scheme a <html class> names: MyST's themes (Tailwind's `darkMode: "class"`) set "light"
 * or "dark" there.
 * @param {string} className
 */
export const classScheme = (className) => /\b(dark|light)\b/.exec(className)?.[1];
/** The site's primary colour in CSS: Furo's, else Material's, else transparent (none). */
export const PRIMARY_COLOR = "var(--color-brand-primary, var(--md-primary-fg-color, #0000))";

/**
 * Is the site showing its dark scheme?
 * @param {object} page
 * @param {import("./settings.js").ThemeMode} page.mode the site's setting: "auto" follows the page
 * @param {string} [page.furo] <body data-theme>: "light", "dark" or "auto" (the system's)
 * @param {string} [page.material] <body data-md-color-scheme>: "default" or "slate"
 * @param {string} [page.html] the scheme <html class> names (classScheme): MyST's themes
 * @param {boolean} page.systemDark does the reader's system prefer dark?
 */
export function siteIsDark({ mode, furo, material, html, systemDark }) {
  if (mode !== "auto") return mode === "dark";
  if (furo === "dark" || furo === "light") return furo === "dark";
  if (material) return material === "slate";
  if (html) return html === "dark";
  return systemDark;
}

/**
 * The Material palette toggle whose data-md-color-* attributes make a scheme.
 * @param {"light" | "dark"} scheme
 */
export const paletteSelector = (scheme) => `input[data-md-color-scheme=${scheme === "dark" ? "slate" : "default"}]`;

/**
 * The primary colour to use: the theme's (computed `rgb(...)`, which Streamlit takes), else the
 * colour of a link in the content. A see-through (no theme colour) or non-sRGB value is left out.
 * @param {string} themeColor the computed PRIMARY_COLOR
 * @param {() => string | null | undefined} linkColor asked only when needed
 */
export const pickColor = (themeColor, linkColor) => (themeColor.startsWith("rgb(") ? themeColor : linkColor());

/**
 * Streamlit theme options that make an app look like the site, each set in BOTH [theme.light]
 * and [theme.dark]. A plain [theme] option would make a custom single-scheme theme, which stops
 * the light/dark following (checked with Streamlit 1.62); with both sections Streamlit keeps
 * following the scheme stlite's matchMedia reports. An option that the app's own config sets in
 * any of [theme], [theme.light] or [theme.dark] is left out, so the app's value wins (a [theme]
 * value then shows in both schemes, as unset section options come from [theme]).
 * @param {string[]} inherit Streamlit option names to take ("font", "primaryColor")
 * @param {Record<string, unknown> | undefined} own the app's config
 * @param {(option: string, scheme: "light" | "dark") => string | null | undefined} site the
 *   site's value (asked only for options the app leaves to the site); none: left out
 * @returns {Record<string, string>}
 */
export function inheritedTheme(inherit, own, site) {
  /** @type {Record<string, string>} */
  const options = {};
  for (const option of inherit) {
    if (["", "light.", "dark."].some((section) => own && `theme.${section}${option}` in own)) continue;
    for (const scheme of /** @type {const} */ (["light", "dark"])) {
      const value = site(option, scheme);
      if (value) options[`theme.${scheme}.${option}`] = value;
    }
  }
  return options;
}
