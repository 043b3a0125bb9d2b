// @ts-check
/**
 * An app's config: the JSON the build puts in each app element's inert <template> (see the
 * README's output contract). Pure: text in, a checked config (or an error saying what is wrong)
 * out, so a damaged page shows a message in that app's box instead of failing later in stlite.
 */

/**
 * @typedef {object} AppConfig
 * @property {string} entrypoint The file Streamlit runs.
 * @property {Record<string, string | {base64: string}>} files Path to text, or to base64 bytes.
 * @property {string[]} requirements micropip specs.
 * @property {string} height "auto" (the box fits the app's content) or a CSS length.
 * @property {string} [maxHeight] With "auto", the tallest the box grows (a CSS length).
 * @property {string} [width] A CSS length.
 * @property {string} [layout] "app", "code-above", "code-beside" or "editor".
 * @property {Record<string, unknown>} [config] Flat Streamlit config ("theme.base": "dark").
 * @property {string} [worker] "own": a Pyodide of its own instead of the page's shared one.
 * @property {string} [start] The app's start policy (policy.js), over the site's.
 * @property {string} [setup] Hidden setup code: runs before the entrypoint's code, shown nowhere.
 * @property {boolean} [lineNumbers] The editor shows line numbers.
 */

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
/** @param {unknown} value */
const isText = (value) => typeof value === "string";
/** @param {(value: unknown) => boolean} check */
const optional = (check) => (/** @type {unknown} */ value) => value === undefined || check(value);

/**
 * What each key must be (see AppConfig).
 * @type {Record<string, (value: unknown) => boolean>}
 */
const KEYS = {
  entrypoint: (v) => isText(v) && v !== "",
  files: (v) => isObject(v) && Object.values(v).every((c) => isText(c) || (isObject(c) && isText(c.base64))),
  requirements: (v) => Array.isArray(v) && v.every(isText),
  height: isText,
  maxHeight: optional(isText),
  width: optional(isText),
  layout: optional(isText),
  worker: optional(isText),
  start: optional(isText),
  setup: optional(isText),
  lineNumbers: optional((v) => typeof v === "boolean"),
  config: optional(isObject),
};

/**
 * Parse and check an app's config.
 * @param {string} json
 * @returns {AppConfig}
 * @throws {Error} naming the key that is wrong (or the JSON syntax error)
 */
export function parseAppConfig(json) {
  const cfg = JSON.parse(json);
  if (!isObject(cfg)) throw new Error("not a JSON object");
  for (const [key, ok] of Object.entries(KEYS)) {
    if (!ok(cfg[key])) throw new Error(`"${key}" is missing or of the wrong type`);
  }
  const { entrypoint, files } = /** @type {AppConfig} */ (cfg);
  if (!(entrypoint in files)) throw new Error(`"files" has no "${entrypoint}" (the entrypoint)`);
  return /** @type {AppConfig} */ (cfg);
}
