// @ts-check
/**
 * The page side of the loader, on every page with apps: registers the app elements, shows each
 * one's status, and mounts them as they come near the viewport (schedule.js decides which)
 * through mount.js, which it imports together with stlite on first need. Nothing happens at
 * import: the entry (stlite-docs.js) creates the page and scans it.
 */
import { parseAppConfig } from "./config.js";
import { startEarlyWorker, startsEarly } from "./early-worker.js";
import { AHEAD, appsToMount, reachOnView } from "./schedule.js";

/** @typedef {import("./config.js").AppConfig} AppConfig */
/** @typedef {import("./mount.js").Controller} Controller */
/** @typedef {import("./mount.js").State} State */

const STATE = "data-stlite-docs-state";

/**
 * Show an app's state: the element's data-stlite-docs-state (the CSS keys on it) and a status
 * line (a live region; an alert for errors).
 * @param {HTMLElement} el
 * @param {State} state
 * @param {string} [text]
 */
export function setStatus(el, state, text) {
  el.setAttribute(STATE, state);
  if (state === "error") el.removeAttribute("data-stlite-docs-fixed"); // fit the message
  let status = el.querySelector(":scope > .stlite-docs-status");
  if (!status) {
    status = document.createElement("div");
    status.className = "stlite-docs-status";
    el.append(status);
  }
  status.setAttribute("role", state === "error" ? "alert" : "status");
  status.textContent = text || "";
}

/**
 * The apps of a page and their lifecycle: pending (showing their source), loading, running, or
 * error.
 * @param {import("./settings.js").Settings} settings
 */
export function createPage(settings) {
  /** @type {Map<HTMLElement, {cfg?: AppConfig, controller?: Controller}>} */
  const apps = new Map();
  /** @type {Promise<typeof import("./mount.js")> | undefined} */
  let chunk;
  /** @type {Promise<import("./mount.js").Stlite> | undefined} */
  let stlite;
  /** @type {import("./early-worker.js").EarlyWorker | undefined} */
  let early;
  let pythonAsked = false;
  /**
   * The page's first app, until its first script run is over: it boots Python, and the other
   * apps wait for it (see schedule.js).
   * @type {HTMLElement | undefined}
   */
  let busy;
  let first = true;
  let viewed = false;

  const loadChunk = () => (chunk ||= import("./mount.js"));
  /**
   * Start Python, once, where the site serves stlite's worker as a file (early-worker.js):
   * Pyodide and Streamlit load before stlite, and without it. The early worker, or undefined.
   */
  const startPython = () => {
    if (!pythonAsked) {
      pythonAsked = true;
      const shared = [...apps.values()].some(({ cfg }) => cfg && cfg.worker !== "own");
      early = startsEarly(settings.worker, shared, window) ? startEarlyWorker(settings.worker, settings.pyodideUrl) : undefined;
    }
    return early;
  };
  /**
   * Load stlite, once: fetched alongside mount.js (a modulepreload: no waiting for one before
   * the other) and evaluated after it, as mount.js installs the guards first. Python first,
   * before either arrives. A failure shows when an app mounts.
   */
  const loadStlite = () => {
    if (!stlite) {
      const warm = startPython();
      document.head.append(Object.assign(document.createElement("link"), { rel: "modulepreload", href: settings.jsUrl }));
      stlite = loadChunk().then((m) => m.loadStlite(settings, warm));
      stlite.catch(() => {});
    }
    return stlite;
  };

  // An app entering the viewport is mounted (once the first app is up, if it is booting).
  const observer = new IntersectionObserver((entries) => {
    const reach = reachOnView(entries.some((e) => e.isIntersecting), !viewed, !!early, innerHeight);
    viewed = true;
    if (reach !== undefined) mountNext(reach);
  });

  /**
   * Mount what schedule.js picks, shortly: after the current task (a render, the observer's
   * other callbacks). Not while the first app boots: this runs again when it is up.
   */
  function mountNext(reach = innerHeight * AHEAD) {
    setTimeout(() => {
      if (busy) return;
      const pending = [...apps.keys()]
        .filter((el) => el.getAttribute(STATE) === "pending" && el.isConnected)
        .map((el) => ({ app: el, box: el.getBoundingClientRect() }));
      for (const el of appsToMount(pending, { reach, viewportHeight: innerHeight, first })) mount(el);
    }, 50);
  }

  /** @param {HTMLElement} el */
  async function mount(el) {
    const app = apps.get(el);
    const cfg = app?.cfg;
    if (!app || !cfg || el.getAttribute(STATE) !== "pending") return;
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
      const loading = loadStlite(); // first: it may start Python before the chunks arrive
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
   * The editor's Run: the app reruns with the new source, or starts with it.
   * @param {HTMLElement} el
   * @param {string} source
   */
  function edited(el, source) {
    const app = apps.get(el);
    if (!app?.cfg) return;
    app.cfg.files[app.cfg.entrypoint] = source;
    if (app.controller) app.controller.writeFile(app.cfg.entrypoint, source);
    else mount(el);
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
    apps.set(el, { cfg });
    // "auto": the box follows the app's content (the CSS puts Streamlit's view in the page's
    // flow); a length: a fixed box whose content scrolls inside. See stlite-docs.css.
    if (cfg.height !== "auto") {
      el.setAttribute("data-stlite-docs-fixed", "");
      el.style.setProperty("--stlite-docs-height", cfg.height);
    }
    if (cfg.maxHeight) {
      el.setAttribute("data-stlite-docs-max", "");
      el.style.setProperty("--stlite-docs-max-height", cfg.maxHeight);
    }
    if (cfg.width) el.style.setProperty("--stlite-docs-width", cfg.width);
    el.setAttribute(STATE, "pending");
    if (cfg.layout === "editor") loadChunk().then((m) => m.addEditor(el, cfg, settings, (source) => edited(el, source)), () => {});
    observer.observe(el);
  }

  /**
   * Prewarm, so the runtime is on its way before an app is near: Python alone where it can
   * start without stlite (stlite's 4.5 MB chunk comes with the first app that mounts: a page
   * whose apps the reader never reaches does not pay for it); otherwise stlite, whose first
   * app then boots Python.
   */
  const prewarm = () => startPython() || loadStlite();

  return {
    /** Register new app elements; unmount the ones removed from the page; prewarm if any. */
    scan() {
      for (const el of document.querySelectorAll(".stlite-docs-app")) {
        if (!apps.has(/** @type {HTMLElement} */ (el))) register(/** @type {HTMLElement} */ (el));
      }
      for (const [el, app] of apps) {
        if (!el.isConnected) {
          observer.unobserve(el);
          app.controller?.unmount();
          apps.delete(el);
        }
      }
      if (apps.size) prewarm();
    },
  };
}
