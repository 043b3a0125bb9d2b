// @ts-check
/**
 * The editor layout's controls around the editors themselves: one editor per text file of the
 * app (a tab per file when it has several), Run (and Ctrl/Cmd+Enter), Reset to the author's
 * code, and the reader's edits kept for the browser tab's session (sessionStorage, by page and
 * app), so a reload or a visit to another page and back does not lose them.
 *
 * Which editor: editor.js gives CodeMirror (its own file, loaded only where a page has an
 * editor app); editor-plain.js a text area, for the loaders carried inline in a page, which
 * have no folder to load a second file from.
 */

import { sharePayload } from "./actions.js";

/** @typedef {import("./config.js").AppConfig} AppConfig */
/** @typedef {{get: () => string, set: (doc: string) => void}} Editor */
/**
 * @typedef {object} EditorParts
 * @property {HTMLElement} parent where the editor goes (the file's highlighted block)
 * @property {string} doc the code to edit
 * @property {string} label what a screen reader hears the editor is
 * @property {() => void} run Ctrl/Cmd+Enter
 * @property {(doc: string) => void} changed after each edit
 * @property {string | undefined} nonce the page's CSP nonce for styles
 * @property {boolean} lineNumbers
 * @property {(code: string) => Promise<unknown>} runPython in the app's runtime (undefined: no
 *   runtime yet)
 */
/** @typedef {(parts: EditorParts) => Editor} CreateEditor */
/**
 * @typedef {object} EditorHooks What the editors ask of the page.
 * @property {(start: boolean) => void} run run the app's files as they are now in its config
 *   (the editors keep them there): it reruns with them, or starts with them if `start`; else
 *   they wait for its start
 * @property {(code: string) => Promise<unknown>} runPython in the app's runtime, once it has one
 * @property {string | undefined} nonce
 */

/**
 * Where the reader's edits of app `el` are kept for the session.
 * @param {HTMLElement} el
 */
const storageKey = (el) => `stlite-docs:edits:${location.pathname}#${el.id}`;

/**
 * The files of `now` that differ from the author's, and the author's text they were made to.
 * @param {Record<string, string>} author
 * @param {Record<string, string | {base64: string}>} now
 * @returns {{base: Record<string, string>, edits: Record<string, string>}}
 */
function changes(author, now) {
  const paths = Object.keys(author).filter((path) => now[path] !== author[path]);
  return { base: Object.fromEntries(paths.map((p) => [p, author[p]])), edits: Object.fromEntries(paths.map((p) => [p, /** @type {string} */ (now[p])])) };
}

/**
 * Stored edits, if they were made to this very code (an edit of since-changed code is dropped,
 * not applied to other code); none if storage is off or the entry damaged.
 * @param {Storage} storage
 * @param {string} key
 * @param {Record<string, string | {base64: string}>} files the code as the page has it
 * @param {(kept: {at?: number}) => boolean} [fresh]
 * @returns {Record<string, string>}
 */
function stored(storage, key, files, fresh = () => true) {
  try {
    const kept = JSON.parse(storage.getItem(key) || "null");
    if (kept && fresh(kept) && Object.entries(kept.base).every(([path, text]) => files[path] === text)) return kept.edits;
  } catch {}
  return {};
}

/**
 * Store `author`'s changes in `now` under `key` (none: forget); storage off or full: not kept.
 * @param {Storage} storage
 * @param {string} key
 * @param {Record<string, string>} author
 * @param {Record<string, string | {base64: string}>} now
 * @param {object} [more] stored with them
 */
function store(storage, key, author, now, more) {
  const kept = changes(author, now);
  try {
    Object.keys(kept.edits).length ? storage.setItem(key, JSON.stringify({ ...more, ...kept })) : storage.removeItem(key);
  } catch {}
}

/**
 * The reader's edits kept from earlier in this session.
 * @param {HTMLElement} el
 * @param {Record<string, string>} author the author's text files
 */
export const keptEdits = (el, author) => stored(sessionStorage, storageKey(el), author);

/**
 * Keep the reader's edits for the session (the files that differ from the author's; none: forget).
 * @param {HTMLElement} el
 * @param {Record<string, string>} author
 * @param {Record<string, string>} now
 */
const keepEdits = (el, author, now) => store(sessionStorage, storageKey(el), author, now);

/** Edits carried to an app's own page are taken there within this time (ms), else dropped. */
const CARRY_MS = 5 * 60_000;

/**
 * "Open full page" under an editor app opens the app's own page as the reader has edited it:
 * on the press, the edits are left for that page (localStorage: the page opens in a new tab,
 * which does not share this one's sessionStorage), which takes them, once, when its app
 * starts (carriedEdits). Only the site's own pages can write them; they are the reader's own.
 * The stlite sharing links get the code as edited in their address, made on the press.
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg
 * @param {Record<string, string>} author
 */
export function carryEdits(el, cfg, author) {
  const links = el.closest(".stlite-docs-block")?.querySelectorAll("a[data-stlite-docs-full], a[data-stlite-docs-share]") || [];
  for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (links)) {
    const carry = () => {
      if (link.hasAttribute("data-stlite-docs-full")) store(localStorage, carryKey(new URL(link.href).pathname), author, cfg.files, { at: Date.now() });
      else link.href = `${link.href.split("#!")[0]}#!${sharePayload(cfg)}`;
    };
    link.addEventListener("click", carry);
    link.addEventListener("auxclick", carry);
  }
}

/** @param {string} path the app's own page's */
const carryKey = (path) => `stlite-docs:carry:${path}`;

/**
 * The edits an editor's "Open full page" left for this page (carryEdits), taken once: applied
 * only to the very code they were made to, and only for a few minutes.
 * @param {Record<string, string | {base64: string}>} files the app's files, as the page has them
 */
export function carriedEdits(files) {
  const key = carryKey(location.pathname);
  const edits = stored(localStorage, key, files, (kept) => Date.now() - (kept.at || 0) < CARRY_MS);
  try {
    localStorage.removeItem(key);
  } catch {}
  return edits;
}

/**
 * Turn the editor layout's code pane into editors, with their controls.
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg (its files follow the edits: the page's Run button runs them)
 * @param {Record<string, string>} author the author's text files, as the page has them
 * @param {EditorHooks} hooks
 * @param {CreateEditor} create
 * @returns {boolean} whether there was a code pane to turn into editors
 */
export function buildEditors(el, cfg, author, hooks, create) {
  const pane = /** @type {HTMLElement | null} */ (el.closest(".stlite-docs-layout-editor")?.querySelector(".stlite-docs-code"));
  if (!pane) return false;
  const blocks = /** @type {HTMLElement[]} */ ([...pane.querySelectorAll(":scope > .stlite-docs-file")]);
  const text = () => /** @type {Record<string, string>} */ (Object.fromEntries(Object.keys(author).map((path) => [path, /** @type {string} */ (cfg.files[path])])));
  const run = () => hooks.run(true);
  /** @type {Map<string, Editor>} */
  const editors = new Map();
  let saving = 0;
  const reset = document.createElement("button");
  for (const block of blocks) {
    const path = block.getAttribute("data-path") || "";
    if (!(path in author)) continue; // binary: shown, not edited
    const pre = block.querySelector("pre");
    const parent = /** @type {HTMLElement} */ (pre?.parentElement || block);
    const host = document.createElement("div");
    host.className = "stlite-docs-editor";
    parent.append(host);
    editors.set(
      path,
      create({
        parent: host,
        doc: /** @type {string} */ (cfg.files[path]),
        label: `Python code editor: ${path}. Ctrl+Enter or Cmd+Enter runs it; Escape, then Tab, leaves the editor.`,
        nonce: hooks.nonce,
        lineNumbers: !!cfg.lineNumbers,
        runPython: hooks.runPython,
        run,
        changed(doc) {
          cfg.files[path] = doc;
          reset.disabled = false;
          window.clearTimeout(saving);
          saving = window.setTimeout(() => keepEdits(el, author, text()), 300);
        },
      }),
    );
    // the highlighted code stays, hidden: its block gives the editor the site's colours
    if (pre) pre.hidden = true;
  }
  if (!editors.size) return false;
  if (blocks.length > 1) addTabs(pane, blocks);
  const bar = document.createElement("div");
  bar.className = "stlite-docs-editor-bar";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "stlite-docs-run";
  button.textContent = "Run ▶";
  button.title = "Run (Ctrl/Cmd+Enter)";
  button.addEventListener("click", run);
  reset.type = "button";
  reset.className = "stlite-docs-reset";
  reset.textContent = "Reset";
  reset.title = "Back to the code as written here";
  reset.disabled = Object.keys(author).every((path) => author[path] === cfg.files[path]);
  reset.addEventListener("click", () => {
    for (const [path, editor] of editors) editor.set(author[path]);
    Object.assign(cfg.files, author);
    keepEdits(el, author, author);
    reset.disabled = true;
    hooks.run(false);
  });
  bar.append(button, reset);
  pane.append(bar);
  return true;
}

/**
 * One tab per file: the files' blocks become tab panels, their names the tabs.
 * @param {HTMLElement} pane
 * @param {HTMLElement[]} blocks
 */
function addTabs(pane, blocks) {
  const list = document.createElement("div");
  list.className = "stlite-docs-tabs";
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", "Files");
  /** @type {HTMLButtonElement[]} */
  const tabs = [];
  const select = (/** @type {number} */ index, focus = false) => {
    blocks.forEach((block, i) => (block.hidden = i !== index));
    tabs.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
    });
    if (focus) tabs[index].focus();
  };
  blocks.forEach((block, i) => {
    const path = block.getAttribute("data-path") || "";
    const tab = document.createElement("button");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = `${block.closest(".stlite-docs-block")?.querySelector(".stlite-docs-app")?.id || "app"}-tab-${i}`;
    tab.textContent = path;
    block.setAttribute("role", "tabpanel");
    block.setAttribute("aria-labelledby", tab.id);
    block.querySelector(":scope > .stlite-docs-filename")?.setAttribute("hidden", "");
    tab.addEventListener("click", () => select(i));
    // arrows move between tabs (the tablist pattern)
    tab.addEventListener("keydown", (e) => {
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (step) select((i + step + blocks.length) % blocks.length, true);
    });
    tabs.push(tab);
  });
  list.append(...tabs);
  pane.prepend(list);
  select(0);
}
