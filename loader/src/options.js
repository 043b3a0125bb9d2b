// @ts-check
/**
 * What stlite's mount() gets for an app, and how its failures read. Pure: an app's config and
 * the site's settings in, mount() options out.
 */

/**
 * The Streamlit config every app gets (the build's page checks count it as part of each app's
 * config: stlite_docs.checks.LOADER_CONFIG, compared by a test). The viewer toolbar: no
 * developer menu in a docs page. runOnSave: the editor's writeFile reruns the app (a
 * runtime-wide setting). No garbage collection forced after every script run (Streamlit's
 * postScriptGC): ~0.05-0.1 s of the one Python thread per run, on every widget change;
 * Python still collects as it goes.
 */
export const STREAMLIT_DEFAULTS = { "client.toolbarMode": "viewer", "server.runOnSave": true, "runner.postScriptGC": false };

/**
 * For a runtime none of whose apps is edited: no file watcher. Streamlit's watcher scans every
 * loaded module after each app's first run, ~0.2-0.4 s of the one Python thread per app, which
 * the page's other apps wait for; only the editor needs it (its edits rerun in place).
 */
export const NO_WATCHER = { "server.fileWatcherType": "none" };

/**
 * Whether the app runs on the page's one shared runtime (else on one of its own).
 * @param {import("./config.js").AppConfig} cfg
 * @param {boolean} canShare the browser has SharedWorker (Chrome on Android has not)
 */
export const sharesRuntime = (cfg, canShare) => canShare && cfg.worker !== "own";

/**
 * The entrypoint's code as the runtime runs it: the hidden setup code first (the page shows,
 * and the editor edits, the code without it).
 * @param {import("./config.js").AppConfig} cfg
 * @param {string} source the entrypoint's code as shown
 */
export const runSource = (cfg, source) => (cfg.setup || "") + source;

/**
 * The files as stlite's mount() takes them: text as it is, base64 as bytes.
 * @param {import("./config.js").AppConfig["files"]} files
 * @returns {Record<string, string | Uint8Array>}
 */
export function decodeFiles(files) {
  return Object.fromEntries(
    Object.entries(files).map(([path, content]) => [
      path,
      typeof content === "string" ? content : Uint8Array.from(atob(content.base64), (ch) => ch.charCodeAt(0)),
    ]),
  );
}

/**
 * The options for stlite's mount(). Streamlit config: the defaults, then the site's theme
 * values, then the app's own config (which wins).
 * @param {import("./config.js").AppConfig} cfg
 * @param {import("./settings.js").Settings} settings
 * @param {Record<string, string | number>} theme inherited theme options (theme.js inheritedTheme)
 * @param {boolean} canShare the browser has SharedWorker (Chrome on Android has not)
 * @param {boolean} watch the runtime watches the apps' files (NO_WATCHER)
 */
export function mountOptions(cfg, settings, theme, canShare, watch) {
  const files = decodeFiles(cfg.files);
  files[cfg.entrypoint] = runSource(cfg, /** @type {string} */ (files[cfg.entrypoint]));
  return {
    entrypoint: cfg.entrypoint,
    files,
    requirements: cfg.requirements,
    pyodideUrl: settings.pyodideUrl,
    // one Pyodide for every app of the page, unless the app asks for its own
    sharedWorker: sharesRuntime(cfg, canShare),
    // stlite would set html, body {height: 100%}: not on a host page
    disableDocumentStyles: true,
    styleNonce: settings.styleNonce,
    // the app's box shows the progress instead
    disableProgressToasts: true,
    streamlitConfig: { ...STREAMLIT_DEFAULTS, ...(watch ? {} : NO_WATCHER), ...theme, ...cfg.config },
  };
}

/**
 * The message for stlite's loadError: names Pyodide and its URL when that is what failed.
 * @param {unknown} detail the event's detail (an Error, or anything)
 * @param {string} pyodideUrl
 */
export function loadErrorText(detail, pyodideUrl) {
  const message = String(/** @type {any} */ (detail)?.message || detail);
  const what = message.includes(pyodideUrl) ? `Could not load Python (Pyodide) from ${pyodideUrl}` : "This app could not start";
  return `${what}: ${message}`;
}
