// @ts-check
/**
 * The loader's second part, imported with stlite when the page's first app is about to start
 * (pages whose apps never start do not pay for it): loads stlite and its stylesheet behind the
 * host-page guards, reads the site's look for the apps' theme, mounts apps and reports their
 * progress, and turns the editor layout's code into an editor. The page side (page.js) decides
 * when, and shows the status.
 */
import { installGuards, keepPageStyles } from "./guards.js";
import { loadErrorText, mountOptions } from "./options.js";
import { inheritedTheme, paletteSelector, pickColor, PRIMARY_COLOR } from "./theme.js";

/** @typedef {import("./settings.js").Settings} Settings */
/** @typedef {import("./config.js").AppConfig} AppConfig */
/** @typedef {{unmount: () => void, writeFile: (path: string, data: string) => Promise<void>, _kernel?: EventTarget}} Controller */
/** @typedef {{mount: (options: object, el: HTMLElement) => Controller}} Stlite */
/** @typedef {"loading" | "running" | "error"} State */
/**
 * @typedef {object} AppEvents What a mounting app tells the page.
 * @property {(state: State, text?: string) => void} status
 * @property {() => void} settled It no longer needs the Python thread to itself (its first run
 *   is over, or it failed): other apps may mount.
 */

/**
 * Load stlite and its stylesheet, the guards installed first. Once per page.
 * @param {Settings} settings
 * @returns {Promise<Stlite>}
 */
export function loadStlite(settings) {
  installGuards(settings);
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = settings.cssUrl;
  keepPageStyles(link);
  document.head.append(link);
  return import(settings.jsUrl);
}

/**
 * The site's primary colour in its light or dark scheme, as the page's own CSS computes it for
 * a copy of <body> (so type and attribute selectors match it) with the scheme's attributes
 * (Furo: data-theme; Material: the data-md-color-* of that scheme's palette toggle). So both
 * schemes are known when the app mounts (when Streamlit's theme is fixed), and the page never
 * shows another scheme: the probe is added and removed within one task, so it is never laid
 * out or painted (only its style is computed).
 * @param {"light" | "dark"} scheme
 */
function siteColor(scheme) {
  const probe = /** @type {HTMLElement} */ (document.body.cloneNode());
  if (probe.dataset.theme) probe.dataset.theme = scheme;
  const palette = /** @type {HTMLElement | null} */ (document.querySelector(paletteSelector(scheme)));
  Object.assign(probe.dataset, palette?.dataset);
  probe.style.color = PRIMARY_COLOR;
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  const link = document.querySelector("[role=main] a:not(.stlite-docs-app *)");
  return pickColor(color, () => link && getComputedStyle(link).color);
}

/**
 * The site's value of each inheritable Streamlit theme option, in a scheme.
 * @type {Record<string, (scheme: "light" | "dark") => string | null | undefined>}
 */
const SITE = {
  font: () => getComputedStyle(document.body).fontFamily,
  primaryColor: siteColor,
};

/**
 * Mount one app into a new .stlite-docs-mount child of its element.
 * @param {Stlite} stlite
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg
 * @param {Settings} settings
 * @param {boolean} alone the page's first app: settled only once its first script run is over
 *   (after loadFinished that run is still ahead in the one Python thread, and an app mounted in
 *   between would delay its output)
 * @param {AppEvents} on
 * @returns {Controller | undefined} undefined: it could not start (reported)
 */
export function mountApp(stlite, el, cfg, settings, alone, on) {
  const target = document.createElement("div");
  target.className = "stlite-docs-mount";
  el.append(target);
  /** @type {Controller} */
  let controller;
  try {
    const theme = inheritedTheme(settings.inherit, cfg.config, (option, scheme) => SITE[option]?.(scheme));
    controller = stlite.mount(mountOptions(cfg, settings, theme, typeof SharedWorker === "function"), target);
  } catch (e) {
    on.status("error", `This app could not start: ${e}`);
    on.settled();
    return;
  }
  watchLoading(controller, {
    progress: (text) => on.status("loading", text),
    finished() {
      on.status("running");
      if (alone) whenDrawn(target, on.settled);
      else on.settled();
    },
    failed(detail) {
      on.status("error", loadErrorText(detail, settings.pyodideUrl));
      on.settled();
    },
  });
  return controller;
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

/**
 * Editor layout: the entrypoint's code becomes a textarea; Run (or Ctrl/Cmd+Enter) hands its
 * text to `run`, which writes it into the app (it reruns in place) or starts the app.
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg
 * @param {(source: string) => void} run
 */
export function addEditor(el, cfg, run) {
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
  const button = document.createElement("button");
  button.type = "button";
  button.className = "stlite-docs-run";
  button.textContent = "Run ▶";
  button.title = "Run (Ctrl/Cmd+Enter)";
  button.addEventListener("click", () => run(area.value));
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run(area.value);
    }
  });
  const name = file.querySelector(".stlite-docs-filename");
  file.replaceChildren(...(name ? [name] : []), area, button);
}
