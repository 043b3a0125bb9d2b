// @ts-check
/**
 * An app's first screen as static HTML: run by the build (stlite_docs.prerender) in a headless
 * browser, in the built page, once the app's first script run is over.
 *
 * What it returns goes into a shadow root inside the app's box (declarative, so it shows with
 * no script, before any script): the page's CSS cannot reach into a shadow root, so the
 * snapshot keeps Streamlit's look on any theme from the first paint, while what the app takes
 * from the site on purpose (font, text colour, by inheritance) still reaches it. It holds:
 * - the app's visible elements, cloned: no scripts, styles, frames, hidden elements or ids;
 *   canvases and `blob:` images as data URLs; form controls with their values and out of the
 *   tab order (a snapshot is not live; the loader starts the app when the reader acts on it);
 * - the rules of the app's own stylesheets (stlite's, Streamlit's, stlite-docs' app.css) that
 *   style those elements, with the @media, @supports and @layer blocks around them (so the
 *   snapshot is responsive as the app is), the @keyframes they name, and every URL made
 *   absolute; selectors naming the page's root (`html`, `body`, `:root`) name the
 *   shadow root's host instead;
 * - apart, the @font-face rules those rules name (Streamlit's icon font, its own fonts where
 *   the app does not take the site's): a browser ignores them in a shadow root.
 * Nothing at import; the exports are `capture` and `toScheme`.
 */
import { schemeAttributes } from "./look.js";

const DROP = new Set(["script", "style", "link", "noscript", "template", "iframe", "object", "embed", "audio", "video"]);
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex], summary, [contenteditable]";
const PAGE_ROOT = /(^|[\s>+~(,])(?:html|body|:root)(?=$|[\s>+~.:#[),])/g;

/**
 * A selector without its pseudo-elements (`a::before`, `:after`), to test what it styles.
 * @param {string} selector
 */
const subject = (selector) => selector.replace(/::?(?:before|after|first-line|first-letter|placeholder|marker|selection|backdrop|file-selector-button|-webkit-[\w-]+|-moz-[\w-]+)(?:\([^)]*\))?/gi, "");

/**
 * Split a selector list at its top-level commas.
 * @param {string} list
 */
function splitList(list) {
  /** @type {string[]} */
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "\\") i++;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && !depth) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(list.slice(start).trim());
  return out;
}

/**
 * Every `url(...)` of a rule's text made absolute against its sheet.
 * @param {string} text
 * @param {string} base
 */
const absoluteUrls = (text, base) =>
  text.replace(/url\(\s*(["']?)([^"')]+)\1\s*\)/g, (whole, _q, url) => {
    try {
      return `url("${new URL(url, base).href}")`;
    } catch {
      return whole;
    }
  });

/**
 * A data URL of a blob: or same-document image, or undefined when it cannot be read.
 * @param {string} src
 * @returns {Promise<string | undefined>}
 */
async function dataUrl(src) {
  try {
    const blob = await (await fetch(src)).blob();
    return await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => resolve(undefined);
      reader.readAsDataURL(blob);
    });
  } catch {
    return undefined;
  }
}

/**
 * A static copy of `node` and its visible descendants (see the module's doc).
 * @param {Node} node
 * @param {Promise<void>[]} pending images being read
 * @returns {Node | null}
 */
function copyOf(node, pending) {
  if (node.nodeType === Node.TEXT_NODE) return node.cloneNode();
  if (!(node instanceof Element) || DROP.has(node.localName)) return null;
  const style = getComputedStyle(node);
  if (style.display === "none") return null;
  if (node instanceof HTMLCanvasElement) {
    const img = document.createElement("img");
    try {
      img.src = node.toDataURL();
    } catch {
      return null; // tainted by another origin's image
    }
    img.width = node.width;
    img.height = node.height;
    img.className = node.className;
    img.setAttribute("style", node.getAttribute("style") || `width:${node.clientWidth}px;height:${node.clientHeight}px`);
    return img;
  }
  const copy = /** @type {Element} */ (node.cloneNode(false));
  for (const { name } of Array.from(copy.attributes)) {
    if (/^on/i.test(name) || name === "id" || name === "for" || name === "autofocus" || name === "srcset") copy.removeAttribute(name);
  }
  if (node instanceof HTMLInputElement) {
    if (node.type === "checkbox" || node.type === "radio") copy.toggleAttribute("checked", node.checked);
    else copy.setAttribute("value", node.value);
  }
  if (node instanceof HTMLTextAreaElement) copy.textContent = node.value;
  if (node instanceof HTMLImageElement && /^blob:/.test(node.currentSrc || node.src)) {
    pending.push(dataUrl(node.currentSrc || node.src).then((url) => (url ? copy.setAttribute("src", url) : copy.remove())));
  }
  if (copy.matches(FOCUSABLE)) copy.setAttribute("tabindex", "-1");
  if (!(node instanceof HTMLTextAreaElement)) {
    for (const child of Array.from(node.childNodes)) {
      const c = copyOf(child, pending);
      if (c) copy.append(c);
    }
  }
  return copy;
}

/**
 * @typedef {object} RuleLike What is read of a CSSRule.
 * @property {number} type
 * @property {string} cssText
 * @property {string} [selectorText]
 * @property {CSSStyleDeclaration} [style]
 * @property {ArrayLike<RuleLike>} [cssRules]
 * @property {string} [conditionText]
 * @property {{mediaText: string}} [media]
 * @property {string} [name]
 */

/**
 * The rules of `sheets` that style an element of `root` (inclusive), as CSS text, and the
 * @font-face rules they name apart (a browser ignores those in a shadow root: they go in the
 * page).
 * @param {CSSStyleSheet[]} sheets
 * @param {Element} root
 * @returns {{css: string, fonts: string}}
 */
function rulesFor(sheets, root) {
  /** @type {Map<string, boolean>} */
  const tested = new Map();
  /** @param {string} selector */
  const styles = (selector) => {
    let hit = tested.get(selector);
    if (hit === undefined) {
      const s = subject(selector).trim() || "*";
      try {
        hit = root.matches(s) || !!root.querySelector(s);
      } catch {
        hit = false;
      }
      tested.set(selector, hit);
    }
    return hit;
  };
  /** @type {string[]} */
  const extras = [];
  /**
   * @param {ArrayLike<RuleLike>} rules
   * @param {string} base
   * @returns {string}
   */
  const walk = (rules, base) => {
    let out = "";
    for (const rule of Array.from(rules)) {
      if (rule.type === 1 && rule.selectorText && rule.style) {
        const kept = splitList(rule.selectorText).filter(styles);
        if (kept.length) out += `${kept.map((s) => s.replace(PAGE_ROOT, "$1:host")).join(",")}{${absoluteUrls(rule.style.cssText, base)}}`;
      } else if (rule.type === 5 || rule.type === 7) {
        extras.push(absoluteUrls(rule.cssText, base));
      } else if (rule.cssRules && (rule.type === 4 || rule.type === 12 || rule.type === 18 || rule.type === 0)) {
        const inner = walk(rule.cssRules, base);
        const head = rule.cssText.slice(0, rule.cssText.indexOf("{")).trim();
        if (inner) out += `${head}{${inner}}`;
      }
    }
    return out;
  };
  let css = "";
  for (const sheet of sheets) {
    try {
      css += walk(/** @type {ArrayLike<RuleLike>} */ (/** @type {unknown} */ (sheet.cssRules)), sheet.href || location.href);
    } catch {} // another origin's sheet without CORS: not readable
  }
  // the fonts and animations the kept rules name
  let fonts = "";
  for (const extra of extras) {
    const face = /^@font-face/.test(extra);
    const name = face ? /font-family:\s*("?)([^";]+)\1/.exec(extra)?.[2] : /^@(?:-webkit-)?keyframes\s+([^\s{]+)/.exec(extra)?.[1];
    if (!name || !css.includes(name)) continue;
    if (face) fonts += extra;
    else css += extra;
  }
  return { css, fonts };
}

/**
 * The box and the mount in a snapshot: classes of their own, so that nothing that looks for an
 * app (the loader, an author's script, a test's locator that reaches into shadow roots) takes
 * a snapshot for one; the kept rules name them so.
 */
const SNAP_APP = ".stlite-docs-snap-app";
const SNAP_MOUNT = ".stlite-docs-snap-mount";
/** @param {string} css */
const renamed = (css) => css.replace(/\.stlite-docs-app(?![\w-])/g, SNAP_APP).replace(/\.stlite-docs-mount(?![\w-])/g, SNAP_MOUNT);

/**
 * The sheets of the app (not the page's): stlite's, Streamlit's <style> elements, stlite-docs'
 * app.css.
 * @param {string[]} folders stlite's folders
 */
function appSheets(folders) {
  return Array.from(document.styleSheets).filter((sheet) => {
    const node = sheet.ownerNode;
    if (node instanceof HTMLStyleElement && (node.hasAttribute("data-emotion") || node.hasAttribute("data-stlite-docs-own"))) return true;
    if (node instanceof HTMLStyleElement && node.classList.contains("stlite-docs-style")) return true;
    const href = sheet.href || "";
    return folders.some((f) => href.startsWith(f)) || /\/stlite-docs-mount\.css([?#]|$)/.test(href);
  });
}

/**
 * @typedef {object} AppSnapshot
 * @property {string} html the static copy of the app: its box's state and sizes around its view
 * @property {string} css the rules it needs
 * @property {string} fonts the font faces they name (at-rules)
 * @property {string} text its text, for the page's search and readers without a browser
 * @property {number} height its height in CSS pixels
 * @property {string} scheme "light" or "dark": the app's background's
 */

/**
 * The snapshot of the app in element `id` (see the module's doc).
 * @param {string} id the app box's id
 * @returns {Promise<AppSnapshot>}
 */
export async function capture(id) {
  const box = /** @type {HTMLElement} */ (document.getElementById(id));
  const mount = /** @type {HTMLElement} */ (box.querySelector(":scope > .stlite-docs-mount"));
  const loader = /** @type {HTMLScriptElement | null} */ (document.querySelector("script[data-stlite-css]"));
  // the loader's URLs are relative to it, or to the page for a loader inlined as a data: URL
  const base = loader?.src && !loader.src.startsWith("data:") ? loader.src : document.baseURI;
  const folders = ["data-stlite-css", "data-stlite-js"].map((a) => new URL(".", new URL(loader?.getAttribute(a) || ".", base)).href);
  /** @type {Promise<void>[]} */
  const pending = [];
  const view = /** @type {Element} */ (copyOf(mount, pending));
  await Promise.all(pending);
  const rules = rulesFor(appSheets(folders), mount);
  // the host and the box fill the box's source element, as the mount fills the box; a fixed
  // height (Streamlit's view is placed in it, out of the flow) is the snapshot's own: the page
  // gives the box its height only once the loader runs
  const height = box.hasAttribute("data-stlite-docs-fixed") ? `${box.clientHeight}px` : "100%";
  const css = `:host{display:block;height:${height}}:host>${SNAP_APP}{height:100%}${renamed(rules.css)}`;
  const fonts = rules.fonts;
  // the box around the view, as the app's rules expect it: its state, its sizes (custom
  // properties the loader set), not its border and margin (the page's box has them)
  const frame = document.createElement("div");
  frame.className = SNAP_APP.slice(1);
  view.classList.replace("stlite-docs-mount", SNAP_MOUNT.slice(1));
  for (const name of ["data-stlite-docs-fixed", "data-stlite-docs-max", "data-stlite-docs-code"]) {
    if (box.hasAttribute(name)) frame.setAttribute(name, "");
  }
  frame.setAttribute("data-stlite-docs-state", "running");
  const vars = Array.from(box.style).filter((p) => p.startsWith("--")).map((p) => `${p}:${box.style.getPropertyValue(p)}`);
  frame.setAttribute("style", vars.join(";"));
  frame.append(view);
  const bg = getComputedStyle(/** @type {Element} */ (mount.querySelector("[data-testid=stApp]") || mount)).backgroundColor;
  const [r, g, b] = (bg.match(/[\d.]+/g) || ["255", "255", "255"]).map(Number);
  return {
    html: frame.outerHTML,
    css,
    fonts,
    text: (mount.innerText || "").trim(),
    height: mount.getBoundingClientRect().height,
    scheme: (r + g + b) / 3 < 128 ? "dark" : "light",
  };
}

/**
 * Put the site in `scheme` by its known switches (look.js), as a reader's toggle would: the
 * build snapshots the apps in both schemes of a site that has two (and the system's setting,
 * which sites set to "auto" follow, is switched by the build's browser).
 * @param {"light" | "dark"} scheme
 * @returns {boolean} whether the theme has a known switch
 */
export function toScheme(scheme) {
  const changes = schemeAttributes(scheme);
  for (const [node, name, value] of changes || []) node.setAttribute(name, value);
  return !!changes;
}
