// @ts-check
/**
 * An app's box on the page, before and around the app: its state and status line, its size
 * from the app's config, and the Run button of an app that waits for the reader. What the box
 * shows; when its app starts is page.js's (the scheduler), how it mounts mount.js's.
 */
import { FIRST_VISIT_MB } from "./policy.js";

/** @typedef {import("./config.js").AppConfig} AppConfig */
/** @typedef {import("./mount.js").State} State */

/** The attribute that holds an app's state (the CSS keys on it). */
export const STATE = "data-stlite-docs-state";
/** The attribute of a box of fixed height (the CSS keys on it). */
const FIXED = "data-stlite-docs-fixed";

/**
 * Show an app's state: the element's data-stlite-docs-state and a status line (a live region;
 * an alert for errors).
 * @param {HTMLElement} el
 * @param {State} state
 * @param {string} [text]
 */
export function setStatus(el, state, text) {
  el.setAttribute(STATE, state);
  if (state === "error") el.removeAttribute(FIXED); // fit the message
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
 * Size the box as the config says. "auto": the box follows the app's content (the CSS puts
 * Streamlit's view in the page's flow); a length: a fixed box whose content scrolls inside.
 * See stlite-docs.css.
 * @param {HTMLElement} el
 * @param {AppConfig} cfg
 */
export function sizeBox(el, cfg) {
  const style = el.style;
  if (cfg.height !== "auto") {
    el.setAttribute(FIXED, "");
    style.setProperty("--stlite-docs-height", cfg.height);
  }
  if (cfg.maxHeight) {
    el.setAttribute("data-stlite-docs-max", "");
    style.setProperty("--stlite-docs-max-height", cfg.maxHeight);
  }
  if (cfg.width) style.setProperty("--stlite-docs-width", cfg.width);
}

/**
 * A "click" app's Run button, which says what a first visit downloads.
 * @param {HTMLElement} el
 * @param {() => void} pressed
 */
export function addRunButton(el, pressed) {
  el.setAttribute(STATE, "click");
  const bar = document.createElement("div");
  bar.className = "stlite-docs-start";
  bar.innerHTML = `<button type="button">▶ Run this app <small>(about ${FIRST_VISIT_MB} MB the first time, cached after)</small></button>`;
  bar.firstChild?.addEventListener("click", pressed);
  el.prepend(bar);
}
