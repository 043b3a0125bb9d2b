// @ts-check
/**
 * stlite-docs page runtime: mounts every `.stlite-docs-app` of the page on ONE
 * shared stlite worker (one Pyodide per page), lazily as apps come into view,
 * and keeps the host page's title, favicon and URL untouched.
 * It reads JSON configs (inert <template> text) only; nothing from the page is evaluated as code.
 */

/** @typedef {{entrypoint: string, files: Record<string, string | {base64: string}>, requirements: string[], height: string, width?: string, layout?: string, config?: Record<string, unknown>, worker?: string}} AppConfig */
/** @typedef {{unmount: () => void, writeFile: (path: string, data: string) => Promise<void>, _kernel?: EventTarget}} Controller */
/** @typedef {{mount: (options: object, el: HTMLElement) => Controller}} Stlite */

const STATE = "data-stlite-docs-state";
/** How far below or above the viewport mountNext() looks, in viewport heights. */
const AHEAD = 3;

const script = /** @type {HTMLScriptElement | null} */ (
  [...document.querySelectorAll("script[src]")].find((s) => /** @type {HTMLScriptElement} */ (s).src === import.meta.url) ||
  document.querySelector("script[data-stlite-js]")
);
/** @param {string} name */
const setting = (name) => new URL(script?.getAttribute(name) || "", import.meta.url).href;
const jsUrl = setting("data-stlite-js");
const cssUrl = setting("data-stlite-css");
const pyodideUrl = setting("data-pyodide");
// Under a CSP without 'unsafe-inline' styles, Streamlit's <style> elements need a nonce:
// the one the server put on this script tag, or the site's configured one.
const styleNonce = script?.nonce || script?.getAttribute("data-style-nonce") || undefined;
const stliteBase = jsUrl.slice(0, jsUrl.lastIndexOf("/") + 1);

/** @type {Map<HTMLElement, {cfg: AppConfig, controller?: Controller}>} */
const apps = new Map();
/** @type {Promise<Stlite> | undefined} */
let stlitePromise;

/** True when the current call comes from stlite's bundle (Streamlit's frontend). */
const fromStlite = () => (new Error().stack || "").includes(stliteBase);

const DARK = "(prefers-color-scheme: dark)";
const themeMode = script?.getAttribute("data-theme") || "auto";

/** Is the site showing its dark scheme? Furo: body[data-theme]; Material: body[data-md-color-scheme]. */
function siteIsDark() {
  if (themeMode !== "auto") return themeMode === "dark";
  const { theme: furo, mdColorScheme: material } = document.body.dataset;
  if (furo === "dark" || furo === "light") return furo === "dark";
  if (material) return material === "slate";
  return realMatchMedia(DARK).matches;
}
const realMatchMedia = window.matchMedia.bind(window);

/**
 * Streamlit's default theme follows (prefers-color-scheme: dark) and listens for its changes.
 * Answer stlite's queries with the SITE's scheme instead, and announce the site's theme
 * toggles as changes: apps follow the site live and keep their state.
 */
function followSiteTheme() {
  /** @type {Set<(e: {matches: boolean, media: string}) => void>} */
  const listeners = new Set();
  let dark = siteIsDark();
  const query = /** @type {MediaQueryList} */ (/** @type {unknown} */ ({
    media: DARK,
    get matches() {
      return dark;
    },
    addEventListener: (/** @type {string} */ _t, /** @type {any} */ f) => listeners.add(f),
    removeEventListener: (/** @type {string} */ _t, /** @type {any} */ f) => listeners.delete(f),
    addListener: (/** @type {any} */ f) => listeners.add(f),
    removeListener: (/** @type {any} */ f) => listeners.delete(f),
  }));
  window.matchMedia = (q) => (q.includes("prefers-color-scheme: dark") && fromStlite() ? query : realMatchMedia(q));
  const update = () => {
    if (siteIsDark() === dark) return;
    dark = !dark;
    for (const f of listeners) f({ matches: dark, media: DARK });
  };
  new MutationObserver(update).observe(document.body, { attributes: true, attributeFilter: ["data-theme", "data-md-color-scheme"] });
  realMatchMedia(DARK).addEventListener("change", update);
}

/** Streamlit theme options to take from the site: data-inherit (Settings.inherited_theme_options()). */
const inherit = (script?.getAttribute("data-inherit") || "").match(/\S+/g) || [];

/**
 * The site's primary colour in its light or dark scheme, as the page's own CSS computes it for
 * a copy of <body> (so type and attribute selectors match it) with the scheme's attributes
 * (Furo: data-theme; Material: the data-md-color-* of that scheme's palette toggle). So both
 * schemes are known when the app mounts (when Streamlit's theme is fixed), and the page never
 * shows another scheme: the probe is added and removed within one task, so it is never laid
 * out or painted (only its style is computed). Furo: --color-brand-primary; Material: --md-primary-fg-color; other
 * themes: the colour of the first link in the content, in the current scheme. Computed colours
 * are `rgb(...)`, which Streamlit takes; a see-through or non-sRGB one is left out.
 * @param {"light" | "dark"} scheme
 */
function siteColor(scheme) {
  const probe = /** @type {HTMLElement} */ (document.body.cloneNode());
  if (probe.dataset.theme) probe.dataset.theme = scheme;
  const palette = /** @type {HTMLElement | null} */ (document.querySelector(`input[data-md-color-scheme=${scheme == "dark" ? "slate" : "default"}]`));
  Object.assign(probe.dataset, palette?.dataset);
  probe.style.color = "var(--color-brand-primary, var(--md-primary-fg-color, #0000))";
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  const link = document.querySelector("[role=main] a:not(.stlite-docs-app *)");
  return color.startsWith("rgb(") ? color : link && getComputedStyle(link).color;
}

/**
 * Streamlit theme options that make an app look like the site (data-inherit): the body's font
 * family and the primary colour, each set in BOTH [theme.light] and [theme.dark]. A plain
 * [theme] option would make a custom single-scheme theme, which stops the light/dark
 * following (checked with Streamlit 1.62); with both sections Streamlit keeps following the
 * scheme stlite's matchMedia reports. An option that the app's own config sets in any of
 * [theme], [theme.light] or [theme.dark] is left out, so the app's value wins (a [theme] value
 * then shows in both schemes, as unset section options come from [theme]).
 * @param {Record<string, unknown>} [own] the app's config
 */
function inheritedTheme(own = {}) {
  /** @type {Record<string, string>} */
  const options = {};
  for (const option of inherit) {
    if ([option, "light." + option, "dark." + option].some((k) => "theme." + k in own)) continue;
    for (const scheme of /** @type {const} */ (["light", "dark"])) {
      const value = option === "font" ? getComputedStyle(document.body).fontFamily : siteColor(scheme);
      if (value) options[`theme.${scheme}.${option}`] = value;
    }
  }
  return options;
}

/** Streamlit sets document.title, the favicon and the URL as if it owned the page: drop those writes. */
function guardHostPage() {
  if (themeMode !== "off") followSiteTheme();
  const title = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(Document.prototype, "title"));
  Object.defineProperty(document, "title", {
    configurable: true,
    get: () => title.get?.call(document),
    set: (v) => fromStlite() || title.set?.call(document, v),
  });
  const href = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(HTMLLinkElement.prototype, "href"));
  Object.defineProperty(HTMLLinkElement.prototype, "href", {
    ...href,
    set(v) {
      if (!(/icon/i.test(this.rel) && fromStlite())) href.set?.call(this, v);
    },
  });
  for (const name of /** @type {const} */ (["pushState", "replaceState"])) {
    const original = history[name];
    history[name] = function (...args) {
      if (!fromStlite()) original.apply(this, args);
    };
  }
}

/**
 * stlite's bundle adds <style> elements of its own (react-toastify's) as it loads, before
 * any `styleNonce` reaches it: give them the nonce too, so a strict style-src needs no hashes.
 */
function nonceStliteStyles() {
  if (!styleNonce) return;
  const create = Document.prototype.createElement;
  const doc = /** @type {any} */ (document);
  doc.createElement = function (/** @type {string} */ tag, /** @type {any} */ options) {
    const el = create.call(this, tag, options);
    if (String(tag).toLowerCase() === "style" && fromStlite()) el.setAttribute("nonce", String(styleNonce));
    return el;
  };
}

/** Load stlite (and its CSS) once, on first need. */
function loadStlite() {
  if (!stlitePromise) {
    guardHostPage();
    nonceStliteStyles();
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = cssUrl;
    link.addEventListener("load", () => dropGlobalRules(link.sheet));
    document.head.append(link);
    stlitePromise = import(jsUrl);
  }
  return stlitePromise;
}

/** stlite.css styles `body`; remove such rules so the host page's styles stay as they were. */
function dropGlobalRules(/** @type {CSSStyleSheet | null} */ sheet) {
  try {
    const rules = sheet?.cssRules || [];
    for (let i = rules.length - 1; i >= 0; i--) {
      const sel = /** @type {CSSStyleRule} */ (rules[i]).selectorText;
      if (sel && /^(html|body|:root)$/.test(sel.trim())) sheet?.deleteRule(i);
    }
  } catch {
    // cross-origin sheet without CORS: its one body rule (a counter reset) is harmless
  }
}

/**
 * @param {HTMLElement} el
 * @param {string} state
 * @param {string} [text]
 */
function setStatus(el, state, text) {
  el.setAttribute(STATE, state);
  if (state == "error") el.style.removeProperty("--stlite-docs-height"); // fit the message
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
 * The page's first app, until its first script run is over: it boots Python, and other apps
 * wait for it. They share its one Python thread, so an app mounted alongside only delays the
 * first one's output (by ~0.6 s on a 2-core machine). Later apps mount together (see
 * mountNext): their setups overlap in the worker, which is quicker than one after another.
 * @type {HTMLElement | undefined}
 */
let busy;
let first = true;

/** @param {HTMLElement} el */
async function mount(el) {
  const app = apps.get(el);
  if (!app || el.getAttribute(STATE) !== "pending") return;
  observer.unobserve(el);
  const release = () => {
    if (busy == el) busy = undefined;
    mountNext();
  };
  // Released after its first run (at most 3 s after loadFinished) or on any error.
  if (first) busy = el;
  first = false;
  setStatus(el, "loading", "Loading Python…");
  /** @type {Stlite} */
  let stlite;
  try {
    stlite = await loadStlite();
  } catch (e) {
    setStatus(el, "error", `Could not load stlite from ${jsUrl}: ${e}`);
    return release();
  }
  if (!el.isConnected) return release();
  const target = document.createElement("div");
  target.className = "stlite-docs-mount";
  el.append(target);
  const { cfg } = app;
  try {
    app.controller = stlite.mount(
      {
        entrypoint: cfg.entrypoint,
        files: Object.fromEntries(
          Object.entries(cfg.files).map(([p, c]) => [p, typeof c === "string" ? c : Uint8Array.from(atob(c.base64), (ch) => ch.charCodeAt(0))]),
        ),
        requirements: cfg.requirements,
        pyodideUrl,
        sharedWorker: typeof SharedWorker === "function" && cfg.worker !== "own",
        disableDocumentStyles: true,
        styleNonce,
        disableProgressToasts: true,
        // runOnSave: the editor's writeFile reruns the app (a runtime-wide setting)
        streamlitConfig: { "client.toolbarMode": "viewer", "server.runOnSave": true, ...inheritedTheme(cfg.config), ...cfg.config },
      },
      target,
    );
  } catch (e) {
    setStatus(el, "error", `This app could not start: ${e}`);
    return release();
  }
  const kernel = app.controller._kernel;
  kernel?.addEventListener("loadProgress", (e) => setStatus(el, "loading", String(/** @type {CustomEvent} */ (e).detail || "")));
  kernel?.addEventListener("loadFinished", () => {
    setStatus(el, "running");
    if (busy == el) whenDrawn(target, release);
    else release();
  });
  kernel?.addEventListener("loadError", (e) => {
    const detail = /** @type {CustomEvent} */ (e).detail;
    const message = String(detail?.message || detail);
    const what = message.includes(pyodideUrl) ? `Could not load Python (Pyodide) from ${pyodideUrl}` : "This app could not start";
    setStatus(el, "error", `${what}: ${message}`);
    release();
  });
}

/**
 * Call `then` once the app's first script run is over (Streamlit shows its toolbar when
 * connected and a status widget while the script runs), or after `tries` checks 0.1 s apart.
 * After loadFinished that run is still ahead, in the one Python thread: an app mounted in
 * between would compete with it and delay the first app's output.
 * @param {HTMLElement} target
 * @param {() => void} then
 */
function whenDrawn(target, then, tries = 30) {
  const done = target.querySelector("[data-testid=stToolbar]") && !target.querySelector("[data-testid=stStatusWidget]");
  if (tries && !done) setTimeout(whenDrawn, 100, target, then, tries - 1);
  else then();
}

/**
 * Unless the first app is still booting, mount the pending apps within `reach` px of the
 * viewport, nearest first, shortly: the visible ones (distance 0), and once the
 * first app is up, those the reader is about to scroll to, together (their setups overlap in
 * the worker). The first mount is one app alone: the nearest, so with no app visible at load
 * the prewarm boots Python with the one the reader gets to first.
 */
function mountNext(reach = innerHeight * AHEAD) {
  setTimeout(
    () => {
      if (busy) return; // mountNext() runs again when the first app is up
      /** @type {[number, HTMLElement][]} */
      const near = [];
      for (const el of apps.keys()) {
        if (el.getAttribute(STATE) !== "pending" || !el.isConnected) continue;
        const box = el.getBoundingClientRect();
        if (!box.width && !box.height) continue; // hidden (an inactive tab): mounts when shown
        const distance = Math.max(0, box.top - innerHeight, -box.bottom);
        if (distance <= reach) near.push([distance, el]);
      }
      near.sort((a, b) => a[0] - b[0]);
      for (const [, el] of first ? near.slice(0, 1) : near) mount(el);
    },
    50, // after the current task (a render, the observer's other callbacks)
  );
}

let prewarmed = false;
// An app entering the viewport is mounted (once the first app is up, if it is booting).
const observer = new IntersectionObserver((entries) => {
  const visible = entries.some((e) => e.isIntersecting);
  if (visible || !prewarmed) mountNext(visible ? 0 : Infinity);
  prewarmed = true;
});

/**
 * Editor layout: the entrypoint's code becomes a textarea; Run (or Ctrl/Cmd+Enter)
 * writes it into the app's file system and the app reruns in place.
 * @param {HTMLElement} el
 * @param {AppConfig} cfg
 */
function addEditor(el, cfg) {
  const pane = el.closest(".stlite-docs-layout-editor")?.querySelector(".stlite-docs-code");
  const file = [...(pane?.querySelectorAll(".stlite-docs-file") || [])].find((f) => f.getAttribute("data-path") === cfg.entrypoint);
  const source = cfg.files[cfg.entrypoint];
  if (!file || typeof source !== "string") return;
  const area = document.createElement("textarea");
  area.className = "stlite-docs-editor";
  area.spellcheck = false;
  area.value = source;
  area.setAttribute("aria-label", `Source of ${cfg.entrypoint}`);
  area.rows = Math.min(30, source.split("\n").length + 1);
  const run = document.createElement("button");
  run.type = "button";
  run.className = "stlite-docs-run";
  run.textContent = "Run ▶";
  run.title = "Run (Ctrl/Cmd+Enter)";
  const go = () => {
    const app = apps.get(el);
    if (!app) return;
    cfg.files[cfg.entrypoint] = area.value;
    if (app.controller) app.controller.writeFile(cfg.entrypoint, area.value);
    else mount(el);
  };
  run.addEventListener("click", go);
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      go();
    }
  });
  const name = file.querySelector(".stlite-docs-filename");
  file.replaceChildren(...(name ? [name] : []), area, run);
}

/** Register new app elements; unmount the ones removed from the page. */
function scan() {
  for (const node of document.querySelectorAll(".stlite-docs-app")) {
    const el = /** @type {HTMLElement} */ (node);
    if (apps.has(el)) continue;
    try {
      const config = /** @type {HTMLTemplateElement | null} */ (el.querySelector(":scope > template.stlite-docs-config"));
      const json = config?.content.textContent || "";
      /** @type {AppConfig} */
      const cfg = JSON.parse(json);
      apps.set(el, { cfg });
      el.style.setProperty("--stlite-docs-height", cfg.height);
      if (cfg.width) el.style.setProperty("--stlite-docs-width", cfg.width);
      el.setAttribute(STATE, "pending");
      if (cfg.layout === "editor") addEditor(el, cfg);
      observer.observe(el);
    } catch (e) {
      apps.set(el, { cfg: /** @type {AppConfig} */ ({}) });
      setStatus(el, "error", `Invalid app configuration: ${e}`);
    }
  }
  for (const [el, app] of apps) {
    if (!el.isConnected) {
      observer.unobserve(el);
      app.controller?.unmount();
      apps.delete(el);
    }
  }
}

scan();
if (apps.size) {
  // Prewarm: start fetching stlite now, so the runtime is on its way before an app is near.
  loadStlite().catch(() => {});
}
// Pages that swap content without reloading (instant navigation) add and remove apps.
// The whole document is watched: a theme may replace <body> itself.
new MutationObserver((records) => {
  if (records.some((r) => !(/** @type {Element} */ (r.target).closest?.(".stlite-docs-app")))) {
    scan();
    if (apps.size) loadStlite().catch(() => {});
  }
}).observe(document.documentElement, { childList: true, subtree: true });
