// @ts-check
/**
 * An app's lease on the shared worker: the page holds a Web Lock for each app it mounts there
 * and names it on the app's own connection; the worker's warm runtime (src/worker/warm.js) asks
 * for the same lock and ends the app once it gets it. The lock is free when the page releases
 * it (the app unmounted: instant navigation removed it, or the page went into the back/forward
 * cache) or when the page is gone (navigation, a closed tab), which no event of the page's can
 * be relied on to report. So a reader walking a site leaves no apps of earlier pages running
 * in the worker that outlives them.
 */

let leases = 0;

/**
 * Take a lease for the app on `port` (stlite's connection to the shared worker, steer.js).
 * Where the browser has no Web Locks, nothing (the worker then keeps the app while it lives).
 * @param {{postMessage: (message: unknown) => void}} port
 * @param {{locks?: {request: (name: string, grant: () => Promise<unknown>) => Promise<unknown>}}} [nav]
 * @returns {() => void} release: the worker ends the app
 */
export function lease(port, nav = navigator) {
  const locks = nav.locks;
  if (!locks) return () => {};
  const name = `stlite-docs app ${++leases} ${Math.random().toString(36).slice(2)}`;
  let released = false;
  /** @type {(() => void) | undefined} */
  let free;
  locks
    .request(
      name,
      () =>
        new Promise((resolve) => {
          // named to the worker only once held: were it free, the worker would end the app
          free = () => resolve(undefined);
          if (released) free();
          else port.postMessage({ type: "stlite-docs:app", lock: name });
        }),
    )
    .catch(() => {});
  return () => {
    released = true;
    free?.();
  };
}
