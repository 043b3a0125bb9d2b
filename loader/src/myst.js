// @ts-check
/**
 * The anywidget module for mystmd and Jupyter Book 2 (``stlite-docs-myst``), built into
 * stlite_docs/static/stlite-docs-myst.mjs: ONE file (mystmd copies a widget as one file), the
 * mount part included.
 *
 * Each ``{stlite}`` directive is an anywidget node whose model holds the same app element as
 * every other host writes (``html``: the .stlite-docs-app div with its JSON config) and the
 * loader's settings (``settings``: the data- attributes other hosts put on the loader's
 * <script> tag). The module is evaluated once per page, however many widgets render: every
 * app of the page is registered with the one page (page.js), so they mount on ONE shared
 * worker, in the order schedule.js gives.
 *
 * MyST's book theme renders a widget into a shadow root. Streamlit styles the document (its
 * styles never reach into a shadow root), so the app element goes into the light DOM of the
 * widget's host, shown through a <slot>, and the widget's stylesheet into <head>.
 */
import { setStatus } from "./box.js";
import { createPage } from "./page.js";
import { readSettings } from "./settings.js";

/** @typedef {{get: (name: string) => unknown}} Model */

/** @type {ReturnType<typeof createPage> | undefined} */
let page;

/**
 * The element to put the app into: the widget's own element, or the host of its shadow root
 * (whose shadow content becomes a <slot> showing the host's light DOM children).
 * @param {HTMLElement} el
 */
function lightDomHost(el) {
  const root = el.getRootNode();
  if (!(root instanceof ShadowRoot)) return el;
  for (const node of el.querySelectorAll("link[rel=stylesheet]")) {
    const link = /** @type {HTMLLinkElement} */ (node);
    if (![...document.head.querySelectorAll("link")].some((l) => l.href === link.href)) document.head.append(link);
  }
  root.replaceChildren(document.createElement("slot"));
  return /** @type {HTMLElement} */ (root.host);
}

/** @param {{model: Model, el: HTMLElement}} widget */
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "stlite-docs-widget";
  // Built by stlite-docs-myst (render_mount): every value escaped, the config inert JSON.
  box.innerHTML = String(model.get("html") || "");
  lightDomHost(el).append(box);
  try {
    const settings = /** @type {Record<string, string>} */ (model.get("settings") || {});
    page ||= createPage(readSettings((name) => settings[name], import.meta.url), new URL(".", import.meta.url).pathname);
    page.scan();
  } catch (e) {
    for (const app of box.querySelectorAll(".stlite-docs-app")) setStatus(/** @type {HTMLElement} */ (app), "error", `${e}`);
  }
  // Removed with the widget: the page unmounts an app whose element left the document.
  return () => {
    box.remove();
    page?.scan();
  };
}

export default { render };
