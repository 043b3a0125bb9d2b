// @ts-check
/**
 * Start stlite's shared worker, and with it Pyodide, before stlite's bundle has loaded.
 *
 * A prototype for the loader (measured by `benchmarks/levers.py`, variant `early-worker`).
 * stlite 1.9.2 keeps its worker inside its 4.5 MB main chunk as a `data:` URL, so the worker
 * (and the Pyodide download) can start only once that chunk is fetched and evaluated. The
 * site ships the same worker script as a file of its own (`stlite_docs.worker_script`, checked
 * against a pinned sha256 at build time). This module:
 *
 * 1. starts `new SharedWorker(thatFile, {type: "classic", name})` at once and sends it a
 *    prewarm `initData` on its own connection: the worker loads Pyodide (a module-level
 *    promise, shared by all its connections), installs the system packages (protobuf and
 *    stlite's streamlit and stlite_lib wheels, once per worker, serialised) and imports
 *    `streamlit.runtime`, then stops that connection on purpose before it touches anything
 *    global that an app configures (see PREWARM_CONFIG);
 * 2. while stlite's `mount()` runs (it builds its kernel synchronously), recognises stlite's
 *    worker blob (its text is `importScripts("<data: URL>");`, compared by length and FNV-1a
 *    with what the build computed) and constructs that SharedWorker from the same file with the
 *    same options and name instead: SharedWorkers are keyed by URL and name, so stlite's
 *    connections land on the warm worker and each starts its app there, as they would on
 *    stlite's own worker.
 *
 * Anything unexpected keeps today's path: no SharedWorker, an opaque origin, a worker file
 * that fails to load or does not answer as stlite's worker does, a blob whose text differs
 * (another stlite), other worker options. The `name` is unique per page, so pages never share
 * a worker (as with stlite's per-page blob URLs).
 */

/**
 * @typedef {object} EarlyWorkerOptions
 * @property {string} workerUrl absolute URL of the worker file (same origin as the page)
 * @property {string} check `"<length>:<fnv1a32 hex>"` of stlite's worker `data:` URL
 * @property {Record<string, string>} wheels absolute URLs: `stliteLib` and `streamlit`, as stlite passes them
 * @property {string} pyodideUrl absolute URL of `pyodide.mjs`, as the apps pass it
 */

/** How long to wait for the worker's first message before giving up on it. */
const READY_TIMEOUT_MS = 30_000;

/**
 * The prewarm connection's Streamlit config. stlite's worker computes
 * `String(config["logger.level"] ?? "INFO")` right after importing `streamlit.runtime` and
 * before it sets up logging and Streamlit's config (which Streamlit parses once per worker:
 * the first app's config must be the page's first app's, not the prewarm's). An object whose
 * own `toString` is not a function makes that step throw, so the prewarm connection ends
 * there, with Pyodide loaded, the system packages installed and streamlit imported.
 * (Structured cloning keeps the own property.)
 */
const PREWARM_CONFIG = { "logger.level": { toString: 0 } };

/**
 * FNV-1a, 32 bit, over UTF-16 code units (as `stlite_docs.worker_script.fnv1a32`).
 * @param {string} text
 */
export function fnv1a32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** @param {string} text */
export function checkOf(text) {
  return `${text.length}:${fnv1a32(text).toString(16).padStart(8, "0")}`;
}

/**
 * The settings from the loader's `<script>` tag, or null if the build gave none (a custom or
 * unverified stlite): `data-stlite-worker` (the worker file, relative to the loader),
 * `data-stlite-worker-check`, and `data-stlite-wheels` (`name=path` pairs relative to stlite.js).
 * @param {Element | null} script
 * @param {string} loaderUrl the loader's own URL (`import.meta.url`)
 * @param {string} stliteBase the folder of stlite.js, ending in "/"
 * @param {string} pyodideUrl
 * @returns {EarlyWorkerOptions | null}
 */
export function earlyWorkerOptions(script, loaderUrl, stliteBase, pyodideUrl) {
  const file = script?.getAttribute("data-stlite-worker");
  const check = script?.getAttribute("data-stlite-worker-check");
  const pairs = (script?.getAttribute("data-stlite-wheels") || "").match(/\S+/g) || [];
  /** @type {Record<string, string>} */
  const wheels = {};
  for (const pair of pairs) {
    const [name, path] = pair.split("=");
    if (name && path) wheels[name] = new URL(path, stliteBase).href;
  }
  if (!file || !check || !wheels.stliteLib || !wheels.streamlit) return null;
  return { workerUrl: new URL(file, loaderUrl).href, check, wheels, pyodideUrl };
}

/**
 * @typedef {object} EarlyWorker
 * @property {Promise<boolean>} ready true once the worker answered as stlite's worker does
 * @property {<T>(mount: () => T) => T} mount runs stlite's `mount()`, steering its worker here
 * @property {{started: number, answered?: number, steered: number, refused: string[]}} stats
 */

/**
 * Start the worker now, or return null where this page cannot (then mount as usual).
 * @param {EarlyWorkerOptions | null} options
 * @returns {EarlyWorker | null}
 */
export function startEarlyWorker(options) {
  if (!options || typeof SharedWorker !== "function" || location.origin === "null") return null;
  const name = `stlite-docs ${performance.timeOrigin} ${Math.random().toString(36).slice(2)}`;
  const workerOptions = /** @type {WorkerOptions} */ ({ type: "classic", name });
  /** @type {SharedWorker} */
  let worker;
  try {
    worker = new SharedWorker(options.workerUrl, workerOptions);
  } catch {
    return null; // e.g. a Content-Security-Policy without worker-src 'self'
  }
  /** @type {EarlyWorker["stats"]} */
  const stats = { started: performance.now(), steered: 0, refused: [] };
  const port = worker.port;
  const ready = new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    worker.addEventListener("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    port.onmessage = (e) => {
      const type = e.data?.type;
      if (type === "event:envSetup") {
        stats.answered = performance.now();
        clearTimeout(timer);
        resolve(true);
      } else if (type === "event:loadError") {
        port.close(); // the prewarm connection ends here by design (PREWARM_CONFIG)
      }
    };
  });
  port.start();
  port.postMessage({
    type: "initData",
    data: {
      entrypoint: "streamlit_app.py",
      files: {},
      archives: [],
      requirements: [],
      prebuiltPackageNames: [],
      pyodideUrl: options.pyodideUrl,
      wheels: options.wheels,
      streamlitConfig: PREWARM_CONFIG,
      moduleAutoLoad: false,
      languageServer: false,
    },
  });

  /** Blob URLs whose text is stlite's worker wrapper for the expected data: URL. */
  const steer = new Set();
  let usable = true;
  ready.then((ok) => {
    usable = ok;
  });

  /** @param {string} text */
  const isStliteWorker = (text) => {
    const head = 'importScripts("';
    if (!text.startsWith(head) || !text.endsWith('");')) return false;
    return checkOf(text.slice(head.length, -3)) === options.check;
  };

  return {
    ready,
    stats,
    mount(mountApp) {
      if (!usable) return mountApp();
      const win = /** @type {any} */ (window);
      const RealBlob = win.Blob;
      const RealSharedWorker = win.SharedWorker;
      const realCreate = URL.createObjectURL;
      /** @type {WeakMap<object, string>} */
      const texts = new WeakMap();
      win.Blob = new Proxy(RealBlob, {
        construct(target, args) {
          const blob = Reflect.construct(target, args, target);
          const parts = args[0];
          if (Array.isArray(parts) && parts.length === 1 && typeof parts[0] === "string") texts.set(blob, parts[0]);
          return blob;
        },
      });
      URL.createObjectURL = (/** @type {Blob | MediaSource} */ obj) => {
        const url = realCreate.call(URL, obj);
        const text = texts.get(obj);
        if (text !== undefined) {
          if (isStliteWorker(text)) steer.add(url);
          else stats.refused.push("blob text differs from the pinned worker");
        }
        return url;
      };
      win.SharedWorker = new Proxy(RealSharedWorker, {
        construct(target, args) {
          const [url, opts] = args;
          const type = typeof opts === "object" && opts ? opts.type : undefined;
          const plain = typeof opts !== "string" && (!opts || (!opts.name && (type === undefined || type === "classic")));
          if (steer.has(String(url)) && plain) {
            stats.steered++;
            return Reflect.construct(target, [options.workerUrl, { ...opts, ...workerOptions }], target);
          }
          if (steer.has(String(url))) stats.refused.push("other worker options");
          return Reflect.construct(target, args, target);
        },
      });
      try {
        return mountApp();
      } finally {
        win.Blob = RealBlob;
        win.SharedWorker = RealSharedWorker;
        URL.createObjectURL = realCreate;
      }
    },
  };
}
