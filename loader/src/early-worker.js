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
 * `new SharedWorker(file, {type: "classic", name})`, then a "stlite-docs:prewarm" message on a
 * connection of its own, which the worker file's warm runtime (src/worker/warm.js) turns into
 * stlite's own prewarm: the worker loads Pyodide (once per worker), installs the system
 * packages (protobuf and stlite's streamlit and stlite_lib wheels, once per worker) and imports
 * `streamlit.runtime`, and stops before anything an app configures. steer.js, in the mount
 * part, then makes stlite's own `new SharedWorker(<its blob>)` connect to this worker, where
 * each app starts as it would on stlite's own.
 *
 * The worker's name is the site's (keepWarm, workerOptions): the reader's next page of the
 * site connects to the same worker, which Chromium keeps across the navigation
 * (`extendedLifetime`), so its apps attach to a Python that is already up (and the warm runtime
 * ends the left page's apps: lease.js).
 */

/** @typedef {import("./settings.js").WorkerFile} WorkerFile */
/**
 * @typedef {object} EarlyWorker
 * @property {string} url the worker file (absolute)
 * @property {WorkerOptions} options what the worker was started with: the same URL and name
 *   connect to it
 * @property {string} check the fingerprint of stlite's worker `data:` URL (steer.js)
 * @property {Promise<string | false>} ready once the worker answered: the type of its first
 *   message (WARM where Python is up in it already, else stlite's "event:envSetup"), or false
 *   (it did not load, or did not answer in time)
 */

/**
 * What the worker's warm runtime says first on a connection when Python is up in it already
 * (src/worker/warm.js): the page is the reader's next page of the site.
 */
export const WARM = "stlite-docs:warm";

/** How long the worker may take to answer before stlite's own path is taken. */
const READY_TIMEOUT_MS = 20_000;

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
 * What the worker is started with. Kept warm (the site's default): a name that is the same on
 * every page of the site and names its Pyodide; the worker file is the other half of a
 * SharedWorker's identity, and says the rest: the site serves it from its own folder (two sites
 * on one origin never share) under a name that changes with its content (stlite's worker and
 * the warm runtime). With `extendedLifetime` (Chromium keeps such a worker across a
 * navigation to another page of the origin; other browsers ignore it). Otherwise a name of
 * this page view's own: a worker per page, which ends with it.
 * @param {string} pyodideUrl
 * @param {boolean} keepWarm
 * @returns {WorkerOptions}
 */
export const workerOptions = (pyodideUrl, keepWarm) =>
  /** @type {WorkerOptions} */ ({ type: "classic", name: `stlite-docs ${keepWarm ? pyodideUrl : Math.random()}`, extendedLifetime: keepWarm });

/**
 * Start the worker and send it the prewarm; undefined where it cannot start (e.g. a
 * Content-Security-Policy without worker-src 'self'): stlite's own path then.
 * @param {WorkerFile} worker
 * @param {string} pyodideUrl as the apps pass it
 * @param {boolean} keepWarm the site's keep_warm setting (workerOptions)
 * @param {{SharedWorker: typeof SharedWorker}} [win]
 * @returns {EarlyWorker | undefined}
 */
export function startEarlyWorker(worker, pyodideUrl, keepWarm, win = window) {
  const options = workerOptions(pyodideUrl, keepWarm);
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
    shared.onerror = () => resolve(false); // e.g. the file did not load
    port.onmessage = ({ data }) => {
      resolve(data?.type);
      if (data?.type === "event:loadError") port.close(); // the prewarm ends here (warm.js)
    };
  });
  port.postMessage({ type: "stlite-docs:prewarm", pyodideUrl, wheels: worker.wheels });
  return { ...worker, options, ready };
}
