// @ts-check
/**
 * The site's settings, as the build wrote them on the loader's own <script> tag (data-
 * attributes: no inline script is needed, so a strict CSP allows the page). Pure: the caller
 * says how to read an attribute and what the loader's URL is.
 */

/** @typedef {"auto" | "light" | "dark" | "off"} ThemeMode */
/**
 * @typedef {object} Settings
 * @property {string} jsUrl stlite.js, absolute.
 * @property {string} cssUrl stlite.css, absolute.
 * @property {string} pyodideUrl pyodide.mjs, absolute: stlite's worker runs from a data: URL,
 *   where a relative URL would mean nothing.
 * @property {string | undefined} styleNonce The CSP nonce for Streamlit's <style> elements.
 * @property {ThemeMode} theme "auto" follows the site's scheme, "light"/"dark" force one,
 *   "off" leaves Streamlit's own choice alone.
 * @property {string[]} inherit Streamlit theme options to take from the site ("font", "primaryColor").
 * @property {string | undefined} start The site's start policy (policy.js; absent: "auto").
 * @property {string[]} pageStarts The start policies of the page's apps on the shared runtime,
 *   where the build knows them all before the page's body (data-page-starts): one that starts
 *   at once for this reader starts Python as the loader runs (page.js).
 * @property {string[]} preload Modules stlite.js imports, absolute: hinted with it when stlite
 *   starts, so they download side by side.
 * @property {WorkerFile} [worker] stlite's worker as a file of the site, where the
 *   build ships it (see early-worker.js); undefined: stlite's own path.
 * @property {boolean} keepWarm The worker is the site's, kept across the reader's pages
 *   (data-keep-warm="false": one per page view).
 */
/**
 * @typedef {object} WorkerFile stlite's worker script, served by the site itself.
 * @property {string} url The file, absolute (same origin as the page).
 * @property {string} check `"<length>:<fnv1a32 hex>"` of the `data:` URL stlite's bundle holds
 *   the same script in (steer.js compares it).
 * @property {Record<string, string>} wheels What stlite passes its worker as `wheels`
 *   (`stliteLib`, `streamlit`), absolute: a prewarm installs the same.
 */

/** @type {readonly string[]} */
const THEMES = ["auto", "light", "dark", "off"];
/** The URLs every page needs; the build always writes them. */
const URLS = /** @type {const} */ (["data-stlite-js", "data-stlite-css", "data-pyodide"]);

/**
 * Read and check the settings.
 * @param {(name: string) => string | null | undefined} attr an attribute of the loader's
 *   <script> tag (null when absent)
 * @param {string} base the loader's own URL: relative URLs are relative to its folder, so they
 *   work from every page of the site and under any sub-path
 * @param {string} [nonce] the tag's nonce (a server that adds one per response needs no setting)
 * @returns {Settings}
 * @throws {Error} naming a missing URL (a hand-written or damaged tag), never a half-set loader
 */
export function readSettings(attr, base, nonce) {
  /** @param {string} name a space-separated list */
  const words = (name) => attr(name)?.match(/\S+/g) || [];
  const [jsUrl, cssUrl, pyodideUrl] = URLS.map((name) => {
    const value = attr(name);
    if (!value) throw new Error(`the loader's <script> tag has no ${name}`);
    return new URL(value, base).href;
  });
  const theme = attr("data-theme") || "auto";
  return {
    jsUrl,
    cssUrl,
    pyodideUrl,
    styleNonce: nonce || attr("data-style-nonce") || undefined,
    // the build only writes known values; anything else means the default
    theme: /** @type {ThemeMode} */ (THEMES.includes(theme) ? theme : "auto"),
    inherit: words("data-inherit"),
    start: attr("data-start") || undefined,
    pageStarts: words("data-page-starts"),
    preload: words("data-preload").map((url) => new URL(url, base).href),
    worker: readWorker(attr, base, jsUrl, words("data-stlite-wheels")),
    keepWarm: attr("data-keep-warm") !== "false",
  };
}

/**
 * The worker file's settings: data-stlite-worker (relative to the loader, as the other URLs),
 * data-stlite-worker-check, data-stlite-wheels (`name=path` pairs, relative to stlite.js).
 * Anything missing or malformed means none (stlite's own path), never an error: the apps run
 * either way.
 * @param {(name: string) => string | null | undefined} attr
 * @param {string} base the loader's URL
 * @param {string} jsUrl stlite.js, absolute
 * @param {string[]} pairs data-stlite-wheels' `name=path` pairs
 * @returns {WorkerFile | undefined}
 */
function readWorker(attr, base, jsUrl, pairs) {
  const file = attr("data-stlite-worker");
  const check = attr("data-stlite-worker-check");
  /** @type {Record<string, string>} */
  const wheels = {};
  for (const pair of pairs) {
    const [name, path] = pair.split("=");
    if (path) wheels[name] = new URL(path, jsUrl).href;
  }
  if (file && check && wheels.stliteLib && wheels.streamlit) return { url: new URL(file, base).href, check, wheels };
}
