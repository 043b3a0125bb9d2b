// @ts-check
/**
 * An app fitted to the text around it (part of the mount part, mount.js): the site's theme
 * values for Streamlit's config, and the box's zoom, border, code size and the editor's colours
 * read from the page, again whenever the site switches schemes.
 */
import { isDarkNow, readLook, readLooks, watchScheme } from "./look.js";
import { codeFontSize, cssColor, mix, over, pickPrimary, textOn, themeValues, zoomFor } from "./theme.js";

/** @typedef {import("./settings.js").Settings} Settings */

/** @type {Record<"light" | "dark", Record<string, string | number>> | undefined} */
let siteTheme;

/**
 * The site's Streamlit theme values in each scheme, read once, around the page's first app:
 * Streamlit's config is one per runtime, so every app of the page gets the first one's theme.
 * @param {HTMLElement} el
 * @param {Settings} settings
 */
export function siteValues(el, settings) {
  if (!siteTheme) {
    const looks = readLooks(el, isDarkNow(settings.theme));
    siteTheme = { light: looks.light ? themeValues(looks.light) : {}, dark: looks.dark ? themeValues(looks.dark) : {} };
  }
  return siteTheme;
}

/** @type {Set<HTMLElement>} */
const fitted = new Set();

/**
 * Fit app `el` to the text around it, in the scheme shown: its zoom (Streamlit sizes in rem of
 * the page's root; the zoom makes that the size of the text around the app) when the site's
 * font size is inherited, its border colour, and the editor's code font, code background and
 * Run button colours. Again whenever the site switches schemes.
 * @param {HTMLElement} el
 * @param {Settings} settings
 */
export function fitToSite(el, settings) {
  if (!fitted.size) watchScheme(() => fitted.forEach((app) => (app.isConnected ? fitToSite(app, settings) : fitted.delete(app))));
  fitted.add(el);
  const look = readLook(el);
  const inherits = (/** @type {string} */ option) => settings.inherit.includes(option);
  if (inherits("baseFontSize")) el.style.setProperty("--stlite-docs-zoom", String(zoomFor(look)));
  // st.code's size, again (app.css): a theme's rule for inline code can outweigh Streamlit's
  const code = inherits("codeFontSize") && codeFontSize(look);
  el.toggleAttribute("data-stlite-docs-code", !!code);
  if (code) el.style.setProperty("--stlite-docs-code-size", code);
  const text = look.text && over(look.text, look.bg);
  if (inherits("borderColor") && text) el.style.setProperty("--stlite-docs-border", cssColor(mix(text, look.bg, 0.2)));
  const block = /** @type {HTMLElement | null} */ (el.closest(".stlite-docs-block"));
  if (!block) return;
  // The site's primary colour; a site without one gets a button in its text colour.
  const button = (text && pickPrimary(look, text)) || text;
  if (button) {
    block.style.setProperty("--stlite-docs-primary", cssColor(over(button, look.bg)));
    block.style.setProperty("--stlite-docs-on-primary", textOn(over(button, look.bg)));
  }
  if (look.codeBg) block.style.setProperty("--stlite-docs-code-bg", cssColor(over(look.codeBg, look.bg)));
  block.style.setProperty("--stlite-docs-code-font", `${look.codeSize}px/1.5 ${look.codeFont}`);
}
