// @ts-check
/**
 * The page side of the loader, on every page with apps: the scheduler. It registers the app
 * elements (their boxes: box.js) and starts them by their start policy (policy.js decides
 * which): "eager" apps mount as they come near the viewport (schedule.js decides which), with
 * Python asked for at once; "visible" apps wait until they are about to scroll into view;
 * "click" apps wait for the reader to press their Run button. Apps mount through mount.js,
 * which runtime.js imports together with stlite on first need. Nothing happens at import: the entry (stlite-docs.js)
 * creates the page and scans it.
 */
import { STATE, addRunButton, setStatus, sizeBox } from "./box.js";
import { parseAppConfig } from "./config.js";
import { constrained, decide, queryChoice } from "./policy.js";
import { WARM } from "./early-worker.js";
import { early, loadChunk, loadStlite, startPython } from "./runtime.js";
import { AHEAD, appsToMount, reachOnView } from "./schedule.js";

/** @typedef {import("./config.js").AppConfig} AppConfig */
/** @typedef {import("./mount.js").App} App */
/** The state of an app that mounts once it comes near the viewport (and its turn comes). */
const PENDING = "pending";

/**
 * The apps of a page and their lifecycle: click (showing their source and a Run button),
 * pending (showing their source), loading, running, or error.
 * @param {import("./settings.js").Settings} settings
 * @param {string} scope what "this site" is for the reader's remembered choice: the loader's
 *   folder (every page of a site loads the one loader)
 */
export function createPage(settings, scope) {
  /** @type {Map<HTMLElement, {cfg?: AppConfig, controller?: App, start?: import("./policy.js").Start}>} */
  const apps = new Map();
  const key = `stlite-docs:always-run:${scope}`;
  let remembered = false;
  try {
    remembered = localStorage.getItem(key) === "1";
  } catch {} // local storage off (privacy settings, sandboxed frames): nothing is remembered
  const facts = { site: settings.start, constrained: constrained(/** @type {any} */ (navigator).connection), remembered, query: queryChoice(location.search) };
  // Python at once where an app of the page starts at once: the loader may run long before the
  // parser reaches the first app (the theme's <head> stylesheets and scripts come first)
  if (settings.pageStarts.some((app) => decide({ ...facts, app }) === "eager")) startPython(settings, () => true);
  /**
   * The page's first app, until its first script run is over: it boots Python, and the other
   * apps wait for it (see schedule.js).
   * @type {HTMLElement | undefined}
   */
  let busy;
  /** No app has mounted yet. */
  let first = true;
  const shared = () => [...apps.values()].some(({ cfg }) => cfg && cfg.worker !== "own");

  // An app entering the viewport is mounted (once the first app is up, if it is booting);
  // before any app has mounted, the nearest (schedule.js reachOnView).
  const observer = new IntersectionObserver((entries) => {
    const reach = reachOnView(entries.some((e) => e.isIntersecting), first, !!early, innerHeight);
    if (reach !== undefined) mountNext(reach);
  });
  // "visible" apps: within a screen of the viewport, an app becomes pending (and mounts).
  const near = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const el = /** @type {HTMLElement} */ (e.target);
        near.unobserve(el);
        pend(el);
        mountNext(innerHeight);
      }
    },
    { rootMargin: "100% 0px" },
  );

  /** @param {HTMLElement} el */
  function pend(el) {
    el.setAttribute(STATE, PENDING);
    observer.observe(el);
  }

  /**
   * The line that lets the reader always run apps on this site, or take that back (mount.js):
   * after the first app that started by a press (which hands it the focus: the button is gone)
   * or by that choice.
   * @param {HTMLElement} el
   * @param {boolean} [pressed]
   */
  const offerChoice = (el, pressed) => loadChunk().then((m) => m.offerChoice(el, key, remembered, pressed), () => {});

  /**
   * Start an app now, whatever its policy (its Run button, the editor's Run).
   * @param {HTMLElement} el
   */
  function start(el) {
    const state = el.getAttribute(STATE);
    if (state === "click" || state === "source") {
      el.querySelector(":scope > .stlite-docs-start")?.remove();
      near.unobserve(el);
      pend(el);
    }
    mount(el);
  }

  /**
   * Mount what schedule.js picks, shortly: after the current task (a render, the observer's
   * other callbacks). Not while the first app boots: this runs again when it is up.
   */
  function mountNext(reach = innerHeight * AHEAD) {
    setTimeout(() => {
      if (busy) return;
      const pending = [...apps.keys()]
        .filter((el) => el.getAttribute(STATE) === PENDING && el.isConnected)
        .map((el) => ({ app: el, box: el.getBoundingClientRect() }));
      for (const el of appsToMount(pending, { reach, viewportHeight: innerHeight, first })) mount(el);
    }, 50);
  }

  /** @param {HTMLElement} el */
  async function mount(el) {
    const app = apps.get(el);
    const cfg = app?.cfg;
    if (!app || !cfg || el.getAttribute(STATE) !== PENDING) return;
    observer.unobserve(el);
    // Released after its first run (at most 3 s after loadFinished) or on any error.
    const release = () => {
      if (busy === el) busy = undefined;
      mountNext();
    };
    if (first) busy = el;
    first = false;
    setStatus(el, "loading", "Loading Python…");
    /** @type {typeof import("./mount.js") | undefined} */
    let m;
    /** @type {import("./mount.js").Stlite} */
    let runtime;
    try {
      const loading = loadStlite(settings, shared); // first: it may start Python before the chunks arrive
      m = await loadChunk();
      runtime = await loading;
    } catch (e) {
      setStatus(el, "error", m ? `Could not load stlite from ${settings.jsUrl}: ${e}` : `Could not load the app loader: ${e}`);
      return release();
    }
    if (!el.isConnected) return release();
    app.controller = m.mountApp(runtime, el, cfg, settings, busy === el, {
      status: (state, text) => setStatus(el, state, text),
      settled: release,
    });
  }

  /**
   * The editor's Run: the app reruns with its files as edited (its config has them), or
   * starts with them when `begin`.
   * @param {HTMLElement} el
   * @param {boolean} begin
   */
  function edited(el, begin) {
    const controller = apps.get(el)?.controller;
    controller ? controller.rerun() : begin && start(el);
  }

  /** @param {HTMLElement} el */
  function register(el) {
    apps.set(el, {});
    /** @type {AppConfig} */
    let cfg;
    try {
      const template = /** @type {HTMLTemplateElement | null} */ (el.querySelector(":scope > template.stlite-docs-config"));
      cfg = parseAppConfig(template?.content.textContent || "");
    } catch (e) {
      return setStatus(el, "error", `Invalid app configuration: ${/** @type {Error} */ (e).message}`);
    }
    const policy = decide({ ...facts, app: cfg.start });
    apps.set(el, { cfg, start: policy });
    sizeBox(el, cfg);
    // the build's snapshot of the app (snapshot.js): a press on it starts the app, from the
    // first moment (the mount part, which shows the one of the site's scheme, may be loading)
    if (el.querySelector(".stlite-docs-snapshot")) {
      el.querySelector(":scope > .stlite-docs-source")?.addEventListener("click", () => start(el));
      loadChunk().then((m) => m.showSnapshots(el, settings), () => {});
    }
    if (cfg.layout === "editor") loadChunk().then((m) => m.addEditor(el, cfg, settings, edited, () => apps.get(el)?.controller), () => {});
    if (policy === "click") return addRunButton(el, () => (start(el), offerChoice(el, true)));
    if (policy === "visible") return near.observe(el);
    pend(el);
    // started by the reader's remembered choice: say so where it can be taken back
    if (facts.remembered && decide({ ...facts, app: cfg.start, remembered: false }) === "click") offerChoice(el);
  }

  /**
   * Prewarm, so the runtime is on its way before an app is near: Python alone where it can
   * start without stlite (stlite's 4.5 MB chunk comes with the first app that mounts: a page
   * whose apps the reader never reaches does not pay for it), and stlite too once that Python
   * turns out to be up already (the reader's next page: stlite, from the cache, is then what
   * the first app waits for); otherwise stlite, whose first app then boots Python.
   */
  const prewarm = () => {
    const python = startPython(settings, shared);
    const stlite = () => loadStlite(settings, shared);
    python ? python.ready.then((first) => void (first == WARM && stlite())) : stlite();
  };

  return {
    /**
     * Register new app elements; unmount the ones removed from the page; prewarm if an app
     * starts eagerly (the start policies' one gate before the reader acts).
     * @param {boolean} [parsing] the page is still being parsed: an app's config may be
     *   incomplete. (A first app with `worker: own` prewarms stlite's own path then, even if
     *   shared apps follow it.)
     */
    scan(parsing) {
      for (const el of document.querySelectorAll(".stlite-docs-app")) {
        // while the page parses, an app whose config may still be arriving waits: its source
        // pane follows the config, so once that is there the config is whole
        if (apps.has(/** @type {HTMLElement} */ (el)) || (parsing && !el.querySelector(".stlite-docs-source"))) continue;
        register(/** @type {HTMLElement} */ (el));
      }
      for (const [el, app] of apps) {
        if (!el.isConnected) {
          observer.unobserve(el);
          near.unobserve(el);
          app.controller?.unmount();
          apps.delete(el);
        }
      }
      if ([...apps.values()].some((app) => app.start === "eager")) prewarm();
    },
  };
}
