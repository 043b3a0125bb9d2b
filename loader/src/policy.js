// @ts-check
/**
 * When an app starts: the author's start policy (the app's `start` option, else the site's
 * `start` setting) and the reader's say in it. Pure: the facts in, one of three behaviours out.
 *
 * - "eager": stlite is fetched with the page, and the app nearest the viewport boots Python.
 * - "visible": nothing of stlite or Pyodide is fetched until the app is about to scroll into view.
 * - "click": nothing is fetched until the reader presses the app's Run button.
 *
 * "auto" (the default) is "eager", or "click" where the reader's browser asks to save data or is
 * on a slow or cellular connection. The reader overrides: `?stlite=off` for one visit makes every
 * app wait for its button; `?stlite=on` for one visit, or the choice to always run apps on this
 * site (remembered in the browser), starts the apps that would wait for a button at once.
 */

/**
 * Megabytes a reader's first app downloads on a first visit (stlite, Pyodide, Streamlit and
 * its packages; cached after), said on the Run button. The runtime benchmark checks it
 * (benchmarks/targets.py) against what a first visit of its one-app page downloads.
 */
export const FIRST_VISIT_MB = 22;

/** @typedef {"eager" | "visible" | "click"} Start */
/**
 * @typedef {object} Connection What the Network Information API says, where present.
 * @property {boolean} [saveData] the reader asked to save data (Save-Data)
 * @property {string} [effectiveType] "slow-2g", "2g", "3g" or "4g"
 * @property {string} [type] "cellular", "wifi", ... (mobile browsers)
 */

const POLICIES = ["auto", "eager", "visible", "click"];

/**
 * The reader's override for this visit, from the page's query string: "on" or "off" (decide()
 * ignores any other value).
 * @param {string} search e.g. location.search
 */
export const queryChoice = (search) => new URLSearchParams(search).get("stlite");

/**
 * Whether downloading ~22 MB unasked would be unwelcome: the reader's browser sends Save-Data,
 * or the connection is slow (2G or 3G class) or cellular.
 * @param {Connection | undefined} connection navigator.connection
 */
export const constrained = (connection) =>
  !!connection && (!!connection.saveData || /2g|3g/.test(connection.effectiveType || "") || connection.type === "cellular");

/**
 * How an app starts.
 * @param {object} facts
 * @param {string} [facts.app] the app's start option
 * @param {string} [facts.site] the site's start setting
 * @param {boolean} facts.constrained see constrained()
 * @param {boolean} facts.remembered the reader chose to always run apps on this site
 * @param {string | null} [facts.query] the reader's override for this visit: "on", "off"
 * @returns {Start}
 */
export function decide({ app, site, constrained, remembered, query }) {
  if (query === "off") return "click";
  let start = [app, site].find((p) => p && POLICIES.includes(p)) || "auto";
  if (start === "auto") start = constrained ? "click" : "eager";
  return start === "click" && (query === "on" || remembered) ? "eager" : /** @type {Start} */ (start);
}
