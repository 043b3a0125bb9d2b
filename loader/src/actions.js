// @ts-check
/**
 * The reader's actions under an app: Copy code, and Download (the app's one file as it is, or
 * a .zip of all its files and a requirements.txt). Both act on the app's files as the page has
 * them now: with an editor, the reader's edits (editor-box.js keeps cfg.files current). The
 * build renders the buttons hidden (they need JavaScript); mount.js shows and wires them when
 * the app starts to load.
 */

import { runSource } from "./options.js";

/** @typedef {import("./config.js").AppConfig} AppConfig */

/**
 * The app's code to copy: its one text file, or every text file under a `## file:` line (the
 * body an author writes for a multi-file app).
 * @param {AppConfig} cfg
 */
export function codeText(cfg) {
  const text = Object.entries(cfg.files).filter(([, content]) => typeof content === "string");
  if (text.length === 1) return /** @type {string} */ (text[0][1]);
  return text.map(([path, content]) => `## file: ${path}\n${content}`).join("");
}

/**
 * What Download gives: the entrypoint alone when it is the app's only file and it needs no
 * packages, else a zip of its files and a requirements.txt.
 * @param {AppConfig} cfg
 * @param {string} name the download's name without extension (the app's id)
 * @returns {{name: string, data: Uint8Array, type: string}}
 */
export function download(cfg, name) {
  const files = Object.entries(cfg.files);
  const encoder = new TextEncoder();
  if (files.length === 1 && !cfg.requirements.length) {
    return { name: cfg.entrypoint.split("/").pop() || "app.py", data: encoder.encode(String(files[0][1])), type: "text/x-python" };
  }
  /** @type {[string, Uint8Array][]} */
  const entries = files.map(([path, content]) => [
    path,
    typeof content === "string" ? encoder.encode(content) : Uint8Array.from(atob(content.base64), (c) => c.charCodeAt(0)),
  ]);
  if (cfg.requirements.length && !(("requirements.txt") in cfg.files)) {
    entries.push(["requirements.txt", encoder.encode(cfg.requirements.join("\n") + "\n")]);
  }
  return { name: `${name}.zip`, data: zip(entries), type: "application/zip" };
}

/**
 * The app as stlite sharing takes it after `#!` (what the build writes into the links, made
 * again from the code as the page has it now): a protobuf AppData message (`string
 * entrypoint = 1; map<string, File> files = 2; repeated string requirements = 3`, File: `string
 * text = 1` or `bytes data = 2`), files sorted by path, the entrypoint with its setup code,
 * base64url with `=` as `,` (stlite_docs/sharing.py writes the same bytes).
 * @param {AppConfig} cfg
 */
export function sharePayload(cfg) {
  const utf8 = (/** @type {string} */ s) => [...new TextEncoder().encode(s)];
  /** @param {number} n */
  const varint = (n) => {
    const out = [];
    for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
    return [...out, n];
  };
  const field = (/** @type {number} */ number, /** @type {number[]} */ data) => [...varint((number << 3) | 2), ...varint(data.length), ...data];
  let out = field(1, utf8(cfg.entrypoint));
  for (const [path, content] of Object.entries(cfg.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const file =
      typeof content === "string"
        ? field(1, utf8(path === cfg.entrypoint ? runSource(cfg, content) : content))
        : field(2, [...atob(content.base64)].map((c) => c.charCodeAt(0)));
    out = out.concat(field(2, [...field(1, utf8(path)), ...field(2, file)]));
  }
  for (const requirement of cfg.requirements) out = out.concat(field(3, utf8(requirement)));
  let binary = "";
  for (const byte of out) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, ",");
}

/** @type {Uint32Array | undefined} */
let crcTable;

/** @param {Uint8Array} data */
function crc32(data) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A zip archive of `entries`, stored (not compressed): an app's few small files. Thirty lines
 * of the zip format, where a zip library would add ~9 KB to the loader of every page with
 * apps; Python's zipfile reads the result (tests/browser/test_browser_actions.py).
 * @param {[string, Uint8Array][]} entries
 */
export function zip(entries) {
  const encoder = new TextEncoder();
  /** @type {Uint8Array[]} */
  const parts = [];
  /** @type {Uint8Array[]} */
  const central = [];
  let offset = 0;
  for (const [path, data] of entries) {
    const name = encoder.encode(path);
    const crc = crc32(data);
    // version 2.0, flags: UTF-8 names, stored, 1980-01-01 00:00
    /** @type {[number, number][]} */
    const common = [[20, 2], [0x800, 2], [0, 2], [0, 2], [0x21, 2], [crc, 4], [data.length, 4], [data.length, 4], [name.length, 2], [0, 2]];
    const local = bytes([[0x04034b50, 4], ...common]);
    parts.push(local, name, data);
    central.push(bytes([[0x02014b50, 4], [20, 2], ...common, [0, 2], [0, 2], [0, 2], [0, 4], [offset, 4]]), name);
    offset += local.length + name.length + data.length;
  }
  const size = central.reduce((sum, part) => sum + part.length, 0);
  const end = bytes([[0x06054b50, 4], [0, 2], [0, 2], [entries.length, 2], [entries.length, 2], [size, 4], [offset, 4], [0, 2]]);
  const out = new Uint8Array(offset + size + end.length);
  let at = 0;
  for (const part of [...parts, ...central, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Little-endian fields.
 * @param {[number, number][]} fields value, width in bytes
 */
function bytes(fields) {
  const out = new Uint8Array(fields.reduce((sum, [, width]) => sum + width, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [value, width] of fields) {
    width === 2 ? view.setUint16(at, value, true) : view.setUint32(at, value, true);
    at += width;
  }
  return out;
}

/**
 * Show and wire app `el`'s action buttons (those the build rendered under it), once.
 * @param {HTMLElement} el the app element
 * @param {AppConfig} cfg
 */
export function wireActions(el, cfg) {
  const bar = /** @type {HTMLElement | null | undefined} */ (el.closest(".stlite-docs-block")?.querySelector(":scope > .stlite-docs-links > .stlite-docs-actions[hidden]"));
  if (!bar) return;
  bar.hidden = false;
  // links in the role of buttons (styled as the links beside them): Space presses them too
  bar.addEventListener("keydown", (e) => e.key === " " && (e.preventDefault(), /** @type {HTMLElement} */ (e.target).click()));
  bar.addEventListener("click", (e) => {
    const button = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest("[data-stlite-docs-action]"));
    const action = button?.getAttribute("data-stlite-docs-action");
    if (!button || !action) return;
    e.preventDefault();
    if (action === "copy") {
      navigator.clipboard.writeText(codeText(cfg)).then(
        () => say(button, "Copied"),
        () => say(button, "Could not copy"),
      );
      return;
    }
    const file = download(cfg, el.id || "app");
    const link = Object.assign(document.createElement("a"), {
      href: URL.createObjectURL(new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (file.data)], { type: file.type })),
      download: file.name,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
}

/**
 * The button says what happened, for two seconds (and to a screen reader: its name changes).
 * @param {HTMLElement} button
 * @param {string} text
 */
function say(button, text) {
  const before = button.dataset.text || (button.dataset.text = button.textContent || "");
  button.textContent = text;
  setTimeout(() => (button.textContent = before), 2000);
}
