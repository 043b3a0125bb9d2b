// @ts-check
/**
 * The build's snapshots of an app's first screen (stlite_docs.prerender, the `prerender`
 * setting): static HTML in a declarative shadow root inside the box's source element, which
 * the page shows until the live app draws (then app.css hides it). Without the loader, a page
 * shows the light one, or the one of the reader's system setting where the site follows it.
 * Here, on pages that have them:
 * - the one of the scheme the site shows, following the site's toggle (look.js);
 * - a page a script put in place (instant navigation parses pages without attaching shadow
 *   roots) gets its shadow roots attached;
 * A press on a snapshot starts an app that waits for the reader (page.js: from the first
 * moment); the snapshot is not live: nothing of the press is replayed in the app.
 */
import { isDarkNow, watchScheme } from "./look.js";

/** Boxes with a snapshot in each scheme. */
const pairs = new Set();
let watching = false;

/**
 * Show the snapshot of the scheme the site shows, in every box that has two.
 * @param {import("./settings.js").ThemeMode} mode
 */
function pick(mode) {
  const dark = isDarkNow(mode);
  for (const el of pairs) {
    if (!el.isConnected) pairs.delete(el);
    for (const snap of el.querySelectorAll(":scope > .stlite-docs-source > .stlite-docs-snapshot")) {
      /** @type {HTMLElement} */ (snap).style.display = (snap.getAttribute("data-scheme") === "dark") === dark ? "block" : "none";
    }
  }
}

/**
 * Take over app `el`'s snapshots (see the module's doc).
 * @param {HTMLElement} el the app's box
 * @param {import("./settings.js").Settings} settings
 */
export function showSnapshots(el, settings) {
  const snaps = el.querySelectorAll(":scope > .stlite-docs-source > .stlite-docs-snapshot");
  for (const snap of snaps) {
    const template = /** @type {HTMLTemplateElement | null} */ (snap.querySelector(":scope > template[shadowrootmode]"));
    if (template && !snap.shadowRoot) snap.attachShadow({ mode: "open" }).append(template.content);
    template?.remove();
  }
  if (snaps.length < 2 || settings.theme === "light" || settings.theme === "dark") return;
  pairs.add(el);
  pick(settings.theme);
  if (!watching) watchScheme(() => pick(settings.theme));
  watching = true;
}
