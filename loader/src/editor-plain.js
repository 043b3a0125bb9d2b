// @ts-check
/**
 * The editor layout's editors as text areas: for the loaders a page carries inline (the
 * Markdown extension without a loader folder, mystmd's widget), which cannot load
 * CodeMirror's file (editor.js) from a folder next to them. Same controls (editor-box.js).
 */
import { buildEditors } from "./editor-box.js";

/**
 * The editor layout's code pane as text areas.
 * @param {HTMLElement} el the app element
 * @param {import("./config.js").AppConfig} cfg
 * @param {Record<string, string>} author
 * @param {import("./editor-box.js").EditorHooks} hooks
 */
export const addEditors = (el, cfg, author, hooks) => buildEditors(el, cfg, author, hooks, createEditor);

/** @type {import("./editor-box.js").CreateEditor} */
function createEditor({ parent, doc, label, run, changed }) {
  const area = document.createElement("textarea");
  area.className = "stlite-docs-plain-editor";
  area.spellcheck = false;
  area.value = doc;
  area.setAttribute("aria-label", label);
  // as tall as its code (app.css: field-sizing, wrapped lines too; rows where unsupported)
  area.rows = Math.min(30, doc.split("\n").length + 1);
  area.addEventListener("input", () => changed(area.value));
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  parent.append(area);
  return {
    get: () => area.value,
    set(text) {
      area.value = text;
    },
  };
}
