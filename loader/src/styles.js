// @ts-check
/**
 * Our rules for Streamlit's view in the box (app.css, built into stlite-docs-mount.css), loaded
 * with stlite by mount.js: a stylesheet next to the mount part, with the same version query, so
 * a strict CSP (style-src 'self') allows it and browsers cache it. One-file builds (the inline
 * loader, the mystmd widget) replace this module with styles-in-page.js (see build.mjs).
 * @param {string} moduleUrl the mount part's own URL (import.meta.url)
 */
export function addAppStyles(moduleUrl) {
  const href = new URL(`./stlite-docs-mount.css${new URL(moduleUrl).search}`, moduleUrl).href;
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href }));
}
