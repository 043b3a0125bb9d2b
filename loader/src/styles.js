// @ts-check
/**
 * Our rules for Streamlit's view in the box and for the editor (app.css, built into
 * stlite-docs-mount.css), loaded by mount.js when the first app starts or an editor is added: a
 * stylesheet next to the mount part, with the same version query, so a strict CSP
 * (style-src 'self') allows it and browsers cache it, and pages whose apps never start do not
 * pay for it. One-file builds (the inline loader, the mystmd widget) replace this module with
 * styles-in-page.js (see build.mjs).
 */

/** @type {Promise<void> | undefined} */
let added;

/**
 * Add the stylesheet, once; settles when it has loaded (or failed: the apps work without it).
 * @param {string} moduleUrl the mount part's own URL (import.meta.url)
 * @returns {Promise<void>}
 */
export function addAppStyles(moduleUrl) {
  return (added ||= new Promise((done) => {
    const href = new URL(`./stlite-docs-mount.css${new URL(moduleUrl).search}`, moduleUrl).href;
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href, onload: done, onerror: done });
    document.head.append(link);
  }));
}
