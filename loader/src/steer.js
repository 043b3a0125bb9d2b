// @ts-check
/**
 * stlite's connections to the worker early-worker.js started: while stlite's `mount()` runs
 * (it builds its kernel synchronously), recognise stlite's worker blob and construct that
 * SharedWorker from the early worker's file and name instead. SharedWorkers are keyed by URL
 * and name, so the kernel's connection lands on the warm worker and its app starts there, as
 * it would on stlite's own worker.
 *
 * stlite 1.9.2's kernel wraps its worker's `data:` URL in a blob whose text is
 * `importScripts("<data: URL>");` (a blob URL it creates once per page and reuses), then calls
 * `new SharedWorker(blobUrl, {type})`. The swap happens only for that blob, recognised by the
 * length and FNV-1a hash of the `data:` URL the build computed from the same script
 * (stlite_docs.worker_script), and for plain options (no name, a classic worker); anything
 * else (another stlite, a changed kernel) keeps stlite's own worker. Blob, URL.createObjectURL
 * and SharedWorker are patched only for the duration of each `mount()` call.
 *
 * Each app steered there takes a lease (lease.js): unmounting it, or leaving the page, ends
 * its app in the worker.
 */
import { WARM } from "./early-worker.js";
import { lease } from "./lease.js";

/** @typedef {import("./mount.js").Stlite} Stlite */
/** @typedef {import("./early-worker.js").EarlyWorker} EarlyWorker */

/**
 * FNV-1a, 32 bit, over UTF-16 code units (as `stlite_docs.worker_script.fnv1a32`): the page
 * must check 45 KB synchronously, inside stlite's `mount()`, where no sha256 is at hand.
 * @param {string} text
 */
export function fnv1a32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** @param {string} text @returns {string} `"<length>:<fnv1a32 hex>"` */
export const checkOf = (text) => `${text.length}:${fnv1a32(text).toString(16).padStart(8, "0")}`;

/**
 * Is `text` stlite's worker wrapper for the `data:` URL whose fingerprint is `check`?
 * @param {unknown} text a blob's text
 * @param {string} check
 */
export function isStliteWorker(text, check) {
  const head = 'importScripts("';
  return typeof text === "string" && text.startsWith(head) && text.endsWith('");') && checkOf(text.slice(head.length, -3)) === check;
}

/**
 * stlite, its `mount()` steered to the early worker.
 * @param {Stlite} stlite
 * @param {EarlyWorker} early
 * @param {{Blob: typeof Blob, URL: typeof URL, SharedWorker: typeof SharedWorker, navigator: {locks?: any}}} [win]
 * @returns {Stlite}
 */
export function steerTo(stlite, early, win = window) {
  /** Blob URLs made for stlite's worker (stlite reuses its one for every app). */
  const steer = new Set();
  return {
    reconfigures: true,
    /**
     * stlite's mount(), its app on the early worker, or with `fresh` on a worker of its own
     * from the same file (an app the shared runtime does not admit, mount.js).
     * @param {object} options
     * @param {HTMLElement} el
     * @param {boolean} [fresh]
     */
    mount(options, el, fresh) {
      const to = fresh ? { type: /** @type {const} */ ("classic"), name: `stlite-docs own ${Math.random()}` } : early.options;
      const { Blob: RealBlob, SharedWorker: RealSharedWorker, URL: url } = win;
      const realCreate = url.createObjectURL;
      /** @type {WeakMap<object, unknown>} */
      const texts = new WeakMap();
      win.Blob = new Proxy(RealBlob, {
        construct(target, args) {
          const blob = Reflect.construct(target, args, target);
          if (Array.isArray(args[0]) && args[0].length === 1) texts.set(blob, args[0][0]);
          return blob;
        },
      });
      url.createObjectURL = (obj) => {
        const made = realCreate.call(url, obj);
        if (isStliteWorker(texts.get(obj), early.check)) steer.add(made);
        return made;
      };
      /** @type {SharedWorker | undefined} */
      let steered;
      win.SharedWorker = new Proxy(RealSharedWorker, {
        construct(target, [href, opts]) {
          const plain = typeof opts !== "string" && !opts?.name && (opts?.type || "classic") === "classic";
          if (!steer.has(String(href)) || !plain) return Reflect.construct(target, [href, opts], target);
          return (steered = Reflect.construct(target, [early.url, to], target));
        },
      });
      try {
        const controller = stlite.mount(options, el);
        if (steered) {
          // the worker says first if Python is up in it (warm.js): mount.js need not give the
          // page's first app the Python thread to itself
          steered.port.addEventListener("message", (e) => e.data?.type === WARM && (controller.warm = true));
          const release = lease(steered.port, win.navigator);
          const unmount = controller.unmount;
          controller.unmount = () => {
            release();
            unmount.call(controller);
          };
        }
        return controller;
      } finally {
        win.Blob = RealBlob;
        win.SharedWorker = RealSharedWorker;
        url.createObjectURL = realCreate;
      }
    },
  };
}
