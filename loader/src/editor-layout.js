// @ts-check
/**
 * The editor layout (part of the mount part, mount.js): an app's code pane becomes editors.
 */
import { carryEdits, keptEdits } from "./editor-box.js";
import { wireActions } from "./actions.js";
import { fitToSite } from "./fit.js";
import { addAppStyles } from "./styles.js";

/** @typedef {import("./settings.js").Settings} Settings */
/** @typedef {import("./config.js").AppConfig} AppConfig */
/** @typedef {import("./mount.js").App} App */

/**
 * Editor layout: the code pane becomes editors (editor-box.js), CodeMirror's from its own file
 * (editor.js), loaded now: after the page's apps began to mount, never on a page without
 * editors. The reader's edits kept from earlier in the session are the app's code from the
 * start (its first run runs them).
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg
 * @param {Settings} settings
 * @param {(el: HTMLElement, start: boolean) => void} edited the page's: run the app with its
 *   files as edited
 * @param {() => App | undefined} app the app as mounted, once it is
 */
export function addEditor(el, cfg, settings, edited, app) {
  /** @type {import("./editor-box.js").EditorHooks} */
  const hooks = { run: (start) => edited(el, start), runPython: async (code) => app()?.runPython(code), nonce: settings.styleNonce };
  const author = /** @type {Record<string, string>} */ (Object.fromEntries(Object.entries(cfg.files).filter(([, text]) => typeof text === "string")));
  Object.assign(cfg.files, keptEdits(el, author));
  wireActions(el, cfg);
  carryEdits(el, cfg, author);
  // Swapped in once the stylesheet is in: no unstyled editor in between.
  Promise.all([import("./editor.js"), addAppStyles(import.meta.url)]).then(
    ([editor]) => editor.addEditors(el, cfg, author, hooks) && fitToSite(el, settings),
    (e) => console.warn(`stlite-docs: the code editor could not load: ${e}`),
  );
}
