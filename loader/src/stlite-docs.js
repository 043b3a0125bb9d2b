// @ts-check
/**
 * stlite-docs page runtime, the entry: mounts every `.stlite-docs-app` of the page on ONE shared
 * stlite worker (one Pyodide per page), lazily as apps come into view, and keeps the host page's
 * title, favicon and URL untouched. It reads JSON configs (inert <template> text) only; nothing
 * from the page is evaluated as code. Built into stlite_docs/static/stlite-docs.js (see
 * loader/README.md).
 */
import { setStatus } from "./box.js";
import { createPage } from "./page.js";
import { readSettings } from "./settings.js";

const script = /** @type {HTMLScriptElement | null} */ (
  [...document.querySelectorAll("script[src]")].find((s) => /** @type {HTMLScriptElement} */ (s).src === import.meta.url) ||
  document.querySelector("script[data-stlite-js]")
);

try {
  // Relative settings resolve against the loader's own URL; a loader inlined into the page (a
  // data: URL, as the Python-Markdown extension emits it) has none: the page's, then.
  const inline = import.meta.url.startsWith("data:");
  const base = inline ? document.baseURI : import.meta.url;
  // "this site", for the reader's remembered choice: the loader's folder (the whole origin for
  // an inlined loader)
  const scope = inline ? "/" : new URL(".", base).pathname;
  const page = createPage(readSettings((name) => script?.getAttribute(name), base, script?.nonce), scope);
  // The loader's tag is async: it may run while the page is still parsing, and takes each
  // app as the parser completes it (page.js scan), so an app that starts at once starts
  // Python before the page's stylesheets are in; the rest at DOMContentLoaded (which has
  // passed if the page is parsed: then the listener never runs). Pages that swap content
  // without reloading (instant navigation) add and remove apps later. The whole document is
  // watched: a theme may replace <body> itself.
  const scan = () => page.scan(document.readyState === "loading");
  scan();
  document.addEventListener("DOMContentLoaded", scan);
  new MutationObserver((records) => {
    if (records.some((r) => !(/** @type {Element} */ (r.target).closest?.(".stlite-docs-app")))) scan();
  }).observe(document.documentElement, { childList: true, subtree: true });
} catch (e) {
  // a damaged loader tag: say so where the apps are
  for (const el of document.querySelectorAll(".stlite-docs-app")) setStatus(/** @type {HTMLElement} */ (el), "error", `${e}`);
}
