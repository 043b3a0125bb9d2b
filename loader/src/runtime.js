// @ts-check
/**
 * The one place a page asks for Python and stlite, each once, whichever comes first: an app
 * the reader reaches or starts, or the prewarm of a page whose apps start at once. Module
 * state, not a factory: a document evaluates the loader once (one module per URL), so a page
 * has one runtime, shared by all its apps. page.js decides when (the start policies).
 */
import { startEarlyWorker, startsEarly } from "./early-worker.js";

/** @typedef {import("./settings.js").Settings} Settings */

/** @type {Promise<typeof import("./mount.js")> | undefined} */
let chunk;
/** @type {Promise<import("./mount.js").Stlite> | undefined} */
let stlite;
let pythonAsked = false;
/**
 * The worker started ahead of stlite (early-worker.js), once Python was asked for and if it
 * could start.
 * @type {import("./early-worker.js").EarlyWorker | undefined}
 */
export let early;

/** The loader's second part (mount.js), imported once. */
export const loadChunk = () => (chunk ||= import("./mount.js"));

/**
 * Start Python, once, where the site serves stlite's worker as a file (early-worker.js):
 * Pyodide and Streamlit load before stlite, and without it.
 * @param {Settings} settings
 * @param {() => boolean} shared whether an app of the page runs on the shared runtime (apps
 *   with `worker: own` have their own)
 * @returns the early worker, or undefined (stlite's own path)
 */
export function startPython(settings, shared) {
  if (!pythonAsked) {
    pythonAsked = true;
    early = startsEarly(settings.worker, shared(), window) ? startEarlyWorker(settings.worker, settings.pyodideUrl, settings.keepWarm) : undefined;
  }
  return early;
}

/**
 * Load stlite, once: fetched alongside mount.js (a modulepreload: no waiting for one before the
 * other; its main chunk too, named by the build in data-preload) and evaluated after it, as
 * mount.js installs the guards first. Python first, before either arrives. A failure shows
 * when an app mounts.
 * @param {Settings} settings
 * @param {() => boolean} shared see startPython
 */
export function loadStlite(settings, shared) {
  if (!stlite) {
    const warm = startPython(settings, shared);
    for (const href of [settings.jsUrl, ...settings.preload]) document.head.append(Object.assign(document.createElement("link"), { rel: "modulepreload", href }));
    stlite = loadChunk().then((m) => m.loadStlite(settings, warm));
    stlite.catch(() => {});
  }
  return stlite;
}
