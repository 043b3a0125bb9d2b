// @ts-check
/**
 * The loader's second part, imported with stlite when the page's first app is about to start
 * (pages whose apps never start do not pay for it): loads stlite and its stylesheet behind the
 * host-page guards, reads the site's look for the apps' theme, mounts apps and reports their
 * progress (here); fits them to the site (fit.js), turns the editor layout's code into an
 * editor (editor-layout.js) and offers the reader's choice (choice.js): one file, built from
 * these modules. The page side (page.js) decides when, and shows the status.
 */
import { installGuards, keepPageStyles } from "./guards.js";
import { addAppStyles } from "./styles.js";
import { loadErrorText, mountOptions, runSource, sharesRuntime } from "./options.js";
import { carriedEdits } from "./editor-box.js";
import { wireActions } from "./actions.js";
import { fitToSite, siteValues } from "./fit.js";
import { inheritedTheme } from "./theme.js";
import { steerTo } from "./steer.js";
import { REFUSED } from "./worker/warm.js";

export { showSnapshots } from "./snapshot.js";
export { addEditor } from "./editor-layout.js";
export { offerChoice } from "./choice.js";

/** @typedef {import("./settings.js").Settings} Settings */
/** @typedef {import("./config.js").AppConfig} AppConfig */
/**
 * @typedef {{unmount: () => void, writeFile: (path: string, data: string) => Promise<void>, runPython?: (code: string) => Promise<unknown>, _kernel?: EventTarget, warm?: boolean}} Controller
 *   stlite's (`warm`: the shared worker admitted it with Python up, steer.js)
 */
/**
 * @typedef {{unmount: () => void, rerun: () => Promise<void>, runPython: (code: string) => Promise<unknown>}} App
 *   an app mounted (mountApp): `rerun` with its text files as its config has them now (the
 *   editor's Run), `runPython` in its runtime (the editor's completions)
 */
/**
 * @typedef {{mount: (options: object, el: HTMLElement, fresh?: boolean) => Controller, reconfigures?: boolean}} Stlite
 *   stlite; steered to the site's worker file (steer.js): `fresh` mounts on a worker of the
 *   app's own from that file, and `reconfigures` says that the shared worker takes a new
 *   Streamlit config once no app runs on it
 */
/** @typedef {"loading" | "running" | "error"} State */
/**
 * @typedef {object} AppEvents What a mounting app tells the page.
 * @property {(state: State, text?: string) => void} status
 * @property {() => void} settled It no longer needs the Python thread to itself (its first run
 *   is over, or it failed): other apps may mount.
 */

/**
 * Load stlite and its stylesheet, the guards installed first. Once per page. With an early
 * worker (early-worker.js) that answered, stlite's mount() connects its apps to it (steer.js).
 * @param {Settings} settings
 * @param {import("./early-worker.js").EarlyWorker} [early]
 * @returns {Promise<Stlite>}
 */
export async function loadStlite(settings, early) {
  installGuards(settings);
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = settings.cssUrl;
  keepPageStyles(link);
  document.head.append(link);
  // app.css before any app draws: it holds the rules of the loading and running states
  const [stlite, warm] = await Promise.all([import(settings.jsUrl), early?.ready, addAppStyles(import.meta.url)]);
  return early && warm ? steerTo(stlite, early) : stlite;
}

/**
 * Whether the shared runtime watches the apps' files (options.js NO_WATCHER), for this page's
 * apps there: decided by the first of them, as all apps running on one runtime have one
 * Streamlit config (a runtime with none running takes the next one's: src/worker/warm.js). It
 * does if an editor is on the page then, or may still come (the page is still parsing).
 * @type {boolean | undefined}
 */
let sharedWatch;
/** This page's apps mounted on the shared runtime, now. */
let onShared = 0;
/** Every app mounted, by its unmount. */
const mounted = new Set();
/**
 * Into the back/forward cache, the apps let go of their runtimes (a lease ends an app on the
 * shared one, lease.js); back from it, the page loads again, onto the warm runtime. A page
 * that is simply left needs nothing: its leases end with it. Once per page.
 */
function leaveWithPage() {
  addEventListener("pagehide", (e) => e.persisted && mounted.forEach((unmount) => unmount()));
  addEventListener("pageshow", (e) => e.persisted && !mounted.size && location.reload());
  return true;
}
let leaving = false;

/**
 * Mount one app into a new .stlite-docs-mount child of its element. An editor on a runtime
 * that does not watch files (one that came later, e.g. by instant navigation) is mounted
 * afresh on each edit instead of rerunning in place. An app the shared runtime does not admit
 * (warm.js: another Streamlit config than the apps running there, or requirements that conflict
 * with what it has installed) is mounted again on a runtime of its own.
 * @param {Stlite} stlite
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg
 * @param {Settings} settings
 * @param {boolean} alone the page's first app: settled only once its first script run is over
 *   (after loadFinished that run is still ahead in the one Python thread, and an app mounted in
 *   between would delay its output), unless the shared worker had Python up already (a warm
 *   runtime: the other apps' starts are short)
 * @param {AppEvents} on
 * @returns {App | undefined} undefined: it could not start (reported)
 */
export function mountApp(stlite, el, cfg, settings, alone, on) {
  // an app's own page opened from an edited editor: the reader's code
  if (!el.closest(".stlite-docs-layout-editor")) Object.assign(cfg.files, carriedEdits(cfg.files));
  wireActions(el, cfg);
  const canShare = typeof SharedWorker === "function";
  const editor = cfg.layout === "editor";
  /** on a worker of its own: the shared one refused it (warm.js) */
  let refused = false;
  /** @type {HTMLElement | undefined} */
  let target;
  /** The current mount's edits rerun in place (its runtime watches files), else remount. */
  let inPlace = true;
  /**
   * Into a new .stlite-docs-mount (replacing the last one): once, on each edit of an editor
   * whose runtime does not watch files, or on a runtime of its own when the shared one refused.
   * @param {boolean} first
   * @returns {{unmount: () => void, writeFile: Controller["writeFile"], runPython: (code: string) => Promise<unknown>} | undefined}
   */
  const start = (first) => {
    target?.remove();
    const into = (target = document.createElement("div"));
    into.className = "stlite-docs-mount";
    el.append(into);
    const shared = !refused && sharesRuntime(cfg, canShare);
    // the site's worker file takes a new config once no app runs on it (warm.js); stlite's
    // own worker keeps its first
    if (shared && (sharedWatch === undefined || (!onShared && stlite.reconfigures))) {
      sharedWatch = document.readyState === "loading" || !!document.querySelector(".stlite-docs-layout-editor");
    }
    const watch = shared ? !!sharedWatch : editor;
    inPlace = watch || !editor;
    /** @type {Controller} */
    let controller;
    try {
      fitToSite(el, settings);
      const site = siteValues(el, settings);
      const theme = inheritedTheme(settings.inherit, cfg.config, (option, scheme) => site[scheme][option]);
      // refused by the shared runtime: a worker of its own from the same file (steer.js; its
      // requirement URLs resolve as they do there)
      controller = stlite.mount(mountOptions(cfg, settings, theme, canShare, watch), into, refused);
    } catch (e) {
      on.status("error", `This app could not start: ${e}`);
      on.settled();
      return;
    }
    if (shared) onShared++;
    const unmount = () => {
      if (!mounted.delete(unmount)) return;
      if (shared) onShared--;
      controller.unmount();
    };
    leaving ||= leaveWithPage();
    mounted.add(unmount);
    watchLoading(controller, {
      progress: (text) => on.status("loading", text),
      finished() {
        // The source stays until Streamlit draws the app: the box changes height once. A
        // snapshot of the app's first screen stays until that run is over: the same screen.
        const shown = () => on.status("running");
        whenShown(into, el.querySelector(".stlite-docs-snapshot") ? () => whenDrawn(into, shown, 100) : shown);
        if (first && alone && !controller.warm) whenDrawn(into, on.settled);
        else on.settled();
      },
      failed(detail) {
        const message = String(/** @type {any} */ (detail)?.message || "");
        if (shared && message.startsWith(REFUSED)) {
          console.info(`${message}: on a runtime of its own`);
          unmount();
          refused = true;
          current = start(first);
          return;
        }
        on.status("error", loadErrorText(detail, settings.pyodideUrl));
        on.settled();
      },
    });
    return {
      unmount,
      writeFile: (path, data) => controller.writeFile(path, data),
      runPython: async (code) => controller.runPython?.(code),
    };
  };
  let current = start(true);
  if (!current) return;
  return {
    unmount: () => current?.unmount(),
    runPython: async (code) => current?.runPython(code),
    async rerun() {
      if (!inPlace) {
        current?.unmount();
        return void (current = start(false)); // cfg has the edits (editor-box.js)
      }
      // the entrypoint last: its write reruns the script, with the other files as edited
      for (const [path, text] of Object.entries(cfg.files)) {
        if (path !== cfg.entrypoint && typeof text === "string") await current?.writeFile(path, text);
      }
      await current?.writeFile(cfg.entrypoint, runSource(cfg, /** @type {string} */ (cfg.files[cfg.entrypoint])));
    },
  };
}

/**
 * stlite's mount() reports no loading events; its controller's private `_kernel`, an
 * EventTarget, does: loadProgress (detail: the text to show), loadFinished, loadError (detail:
 * the error). The loader's only use of stlite's private API, checked against @stlite/browser
 * 1.9.2 (the pinned STLITE_VERSION in stlite_docs). A stlite without it (another version through
 * a custom URL) shows the app at once, without progress.
 * @param {Controller} controller
 * @param {{progress: (text: string) => void, finished: () => void, failed: (detail: unknown) => void}} on
 */
function watchLoading(controller, on) {
  const kernel = controller._kernel;
  if (!kernel) return on.finished();
  kernel.addEventListener("loadProgress", (e) => on.progress(String(/** @type {CustomEvent} */ (e).detail || "")));
  kernel.addEventListener("loadFinished", () => on.finished());
  kernel.addEventListener("loadError", (e) => on.failed(/** @type {CustomEvent} */ (e).detail));
}

/**
 * Call `then` once Streamlit shows the app: its first element (not a loading skeleton), or,
 * for an app that shows nothing, its toolbar with no script running for half a second (before
 * the first run starts, Streamlit's view is empty for a moment: shown then, the box would
 * shrink and grow again).
 * @param {HTMLElement} target
 * @param {() => void} then
 */
function whenShown(target, then) {
  let idleSince = 0;
  const shown = () => {
    if (target.querySelector("[data-testid=stMainBlockContainer] [data-testid=stElementContainer] > [data-testid]:not([data-testid$=Skeleton])")) return true;
    const idle = target.querySelector("[data-testid=stToolbar]") && !target.querySelector("[data-testid=stStatusWidget]");
    if (!idle) idleSince = 0;
    else if (!idleSince) idleSince = Date.now();
    return idle && Date.now() - idleSince >= 500;
  };
  const check = () => {
    if (!shown()) return false;
    watch.disconnect();
    clearInterval(timer);
    then();
    return true;
  };
  const watch = new MutationObserver(check);
  const timer = setInterval(check, 250);
  if (!check()) watch.observe(target, { childList: true, subtree: true });
}

/**
 * Call `then` once the app's first script run is over (Streamlit shows its toolbar when
 * connected and a status widget while the script runs), or after `tries` checks 0.1 s apart.
 * @param {HTMLElement} target
 * @param {() => void} then
 */
function whenDrawn(target, then, tries = 30) {
  const done = target.querySelector("[data-testid=stToolbar]") && !target.querySelector("[data-testid=stStatusWidget]");
  if (tries && !done) setTimeout(whenDrawn, 100, target, then, tries - 1);
  else then();
}
