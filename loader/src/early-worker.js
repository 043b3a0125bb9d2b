// @ts-check
/**
 * Python before stlite's bundle: start stlite's shared worker, and with it Pyodide, while the
 * page is still fetching and evaluating stlite's 4.5 MB main chunk.
 *
 * stlite 1.9.2 keeps its worker inside that chunk as a `data:` URL, so on its own it can only
 * start the worker (and the Pyodide download) once the chunk is in. The build ships the very
 * same script as a same-origin file next to the loader (stlite_docs.worker_script, checked
 * against a pinned sha256; the loader tag's data-stlite-worker, see settings.js) for sites on
 * the pinned stlite; other stlite builds get no file and keep stlite's own path.
 *
 * This part is in the loader's entry, so the worker starts the moment the page first asks for
 * stlite (page.js loadStlite: the prewarm, or the first app the reader reaches or starts):
 * `new SharedWorker(file, {type: "classic", name})`, then a prewarm `initData` on a
 * connection of its own. The worker loads Pyodide (once per worker), installs the system
 * packages (protobuf and stlite's streamlit and stlite_lib wheels, once per worker) and
 * imports `streamlit.runtime`, then stops that connection on purpose (PREWARM_CONFIG) before
 * anything an app configures. steer.js, in the mount part, then makes stlite's own
 * `new SharedWorker(<its blob>)` connect to this worker, where each app starts as it would on
 * stlite's own.
 */

/** @typedef {import("./settings.js").WorkerFile} WorkerFile */
/**
 * @typedef {object} EarlyWorker
 * @property {string} url the worker file (absolute)
 * @property {WorkerOptions} options what the worker was started with: the same URL and name
 *   connect to it
 * @property {string} check the fingerprint of stlite's worker `data:` URL (steer.js)
 * @property {Promise<boolean>} ready true once the worker answered as stlite's worker does
 */

/** How long the worker may take to answer before stlite's own path is taken. */
const READY_TIMEOUT_MS = 20_000;

/**
 * The prewarm connection's Streamlit config. stlite's worker computes
 * `String(config["logger.level"] ?? "INFO")` right after importing `streamlit.runtime` and
 * before it sets up logging and Streamlit's config (parsed once per worker: it must be the
 * page's first app's, not the prewarm's). An own `toString` that is not a function makes that
 * step throw: the prewarm connection ends there (a loadError, by design), with Pyodide
 * loaded, the system packages installed and Streamlit imported. Structured cloning keeps the
 * own property.
 */
export const PREWARM_CONFIG = { "logger.level": { toString: 0 } };

/**
 * Whether to start the worker early: the site ships it (`worker`), some app of the page runs
 * on the shared runtime (`worker: own` apps have their own), and the page can have a
 * SharedWorker (stlite uses one Worker per app without, and on an opaque origin).
 * @param {WorkerFile | undefined} worker
 * @param {boolean} shared
 * @param {{SharedWorker?: unknown, location: {origin: string}}} win
 * @returns {worker is WorkerFile}
 */
export const startsEarly = (worker, shared, win) =>
  !!worker && shared && typeof win.SharedWorker === "function" && win.location.origin !== "null";

/**
 * Start the worker and send it the prewarm; undefined where it cannot start (e.g. a
 * Content-Security-Policy without worker-src 'self'): stlite's own path then.
 * @param {WorkerFile} worker
 * @param {string} pyodideUrl as the apps pass it
 * @param {{SharedWorker: typeof SharedWorker}} [win]
 * @returns {EarlyWorker | undefined}
 */
export function startEarlyWorker(worker, pyodideUrl, win = window) {
  /** @type {WorkerOptions} */
  const options = { type: "classic", name: `stlite-docs ${Math.random()}` };
  /** @type {SharedWorker} */
  let shared;
  try {
    shared = new win.SharedWorker(worker.url, options);
  } catch {
    return;
  }
  const port = shared.port;
  const ready = new Promise((resolve) => {
    setTimeout(resolve, READY_TIMEOUT_MS, false);
    shared.addEventListener("error", () => resolve(false)); // e.g. the file did not load
    port.onmessage = ({ data }) => {
      if (data?.type === "event:envSetup") resolve(true);
      if (data?.type === "event:loadError") port.close(); // the prewarm ends here (PREWARM_CONFIG)
    };
  });
  port.postMessage({
    type: "initData",
    data: { files: {}, archives: [], requirements: [], prebuiltPackageNames: [], pyodideUrl, wheels: worker.wheels, streamlitConfig: PREWARM_CONFIG },
  });
  return { url: worker.url, options, check: worker.check, ready };
}
