// @ts-check
/**
 * The host page's CSS kept out of the apps, on any theme, without knowing the theme.
 *
 * Streamlit's view lives in the page's own DOM, so every rule of the site's stylesheets that
 * matches its elements styles them: a theme's `#content h3 { margin-top }`, `article ul`,
 * `.rst-content code` or Material's `details` give Streamlit's headings, lists, code and expander
 * the theme's spacing, where the app's own full page has Streamlit's. Fixing that theme by theme
 * only ever fixes the themes measured. So, when the first app starts, every rule of the page's
 * stylesheets gets a guard on the element it styles, `:where(:not(<inside an app>))`:
 * - it no longer matches anything inside an app's mount or in Streamlit's overlays (the popovers,
 *   menus and toasts Streamlit puts at the end of <body>), whatever its selector and even with
 *   !important;
 * - `:where()` weighs nothing, so the rule's specificity, and the site's cascade outside the apps,
 *   are exactly as they were;
 * - the rule stays in its sheet, at its place, in its layer and media query, with its URLs
 *   resolved as before; only its selector text changes (CSSOM, so a strict CSP allows it).
 * What the app takes from the site on purpose still reaches it by inheritance (the font, the
 * text colour, the type scale: its box's), and stlite-docs' own rules for the app (app.css) are
 * not guarded. Neither are rules whose selector names an app (`.stlite-docs-app ...`,
 * `[data-testid=...]`, Streamlit's `.stButton`-like classes): an author's CSS aimed at apps
 * keeps working. Stylesheets from another origin without CORS cannot be read, so cannot be
 * guarded: they keep reaching in (said in the docs).
 */

/** Not inside an app: the mounts, and Streamlit's overlay root and toasts at the end of <body>. */
export const GUARD =
  ":where(:not(.stlite-docs-mount, .stlite-docs-mount *, [data-st-overlay-root], [data-st-overlay-root] *, [data-testid=stToastContainer], [data-testid=stToastContainer] *))";

/** A selector that names an app or Streamlit's elements: the author meant it for apps. */
const NAMES_AN_APP = /stlite-docs|data-testid|data-st-|\.st[A-Z]|\.st-/;

/**
 * Walk a selector's characters outside strings, parentheses and brackets.
 * @param {string} text
 * @param {(c: string, i: number) => void} visit
 */
function topLevel(text, visit) {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === "\\") i++;
    else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (depth === 0) visit(c, i);
  }
}

/**
 * A selector list's selectors (split at its top-level commas).
 * @param {string} list
 * @returns {string[]}
 */
export function splitSelectors(list) {
  /** @type {string[]} */
  const out = [];
  let start = 0;
  topLevel(list, (c, i) => {
    if (c === ",") {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  });
  out.push(list.slice(start).trim());
  return out;
}

/**
 * One complex selector with the guard on its subject: at the end, or before a trailing
 * pseudo-element (`a::before`, `x::-webkit-scrollbar-thumb:hover`), which must come last.
 * @param {string} selector
 */
export function guardSelector(selector) {
  let cut = -1;
  topLevel(selector, (c, i) => {
    if (/[\s>+~]/.test(c)) cut = -1;
    else if (c === ":" && cut < 0 && (selector[i + 1] === ":" || /^:(before|after|first-line|first-letter)\b/i.test(selector.slice(i)))) cut = i;
  });
  return cut < 0 ? selector + GUARD : selector.slice(0, cut) + GUARD + selector.slice(cut);
}

/**
 * A style rule's selector list, guarded (selectors that name an app are left as they are).
 * @param {string} list
 */
export function guardSelectors(list) {
  if (list.includes(GUARD)) return list;
  return splitSelectors(list)
    .map((s) => (NAMES_AN_APP.test(s) ? s : guardSelector(s)))
    .join(", ");
}

/**
 * What is read of a CSSRule (type 1: a style rule, 3: an import rule).
 * @typedef {object} CssRule
 * @property {number} [type]
 * @property {string} [selectorText]
 * @property {ArrayLike<CssRule>} [cssRules]
 * @property {CSSStyleSheet | null} [styleSheet]
 */

/**
 * Guard a sheet's style rules, in place: nested ones, those in @media, @supports, @layer,
 * @container blocks and those of the sheets it imports.
 * @param {CSSStyleSheet} sheet
 * @returns {number} the rules guarded; -1 when the sheet cannot be read (another origin)
 */
export function guardSheet(sheet) {
  /** @type {ArrayLike<CssRule>} */
  let rules;
  try {
    rules = sheet.cssRules;
  } catch {
    return -1;
  }
  let count = 0;
  /** @param {ArrayLike<CssRule>} list */
  const walk = (list) => {
    for (const rule of Array.from(list)) {
      if (rule.type === 1 && rule.selectorText) {
        const guarded = guardSelectors(rule.selectorText);
        if (guarded !== rule.selectorText) {
          rule.selectorText = guarded;
          count++;
        }
      }
      if (rule.type === 3) {
        if (rule.styleSheet) count += Math.max(0, guardSheet(rule.styleSheet));
      } else if (rule.cssRules) walk(rule.cssRules);
    }
  };
  walk(rules);
  return count;
}

/**
 * Guard the page's stylesheets now and those it adds later (a theme's lazily loaded sheet, a
 * `<link>` whose href a theme switcher changes), except the apps' own.
 * @param {Document} doc
 * @param {(sheet: CSSStyleSheet) => boolean} isOwn stlite's and stlite-docs' own sheets, and
 *   the <style> elements Streamlit adds
 */
export function keepPageCssOut(doc, isOwn) {
  /** @type {WeakSet<CSSStyleSheet>} */
  const done = new WeakSet();
  const guard = (/** @type {CSSStyleSheet | null | undefined} */ sheet) => {
    if (!sheet || done.has(sheet) || isOwn(sheet)) return;
    done.add(sheet);
    guardSheet(sheet);
  };
  const guardNode = (/** @type {Node} */ node) => {
    if (!(node instanceof HTMLLinkElement || node instanceof HTMLStyleElement)) return;
    if (node.sheet) guard(/** @type {CSSStyleSheet} */ (node.sheet));
    if (node instanceof HTMLLinkElement) node.addEventListener("load", () => guard(/** @type {CSSStyleSheet} */ (node.sheet)));
  };
  for (const sheet of [...Array.from(doc.styleSheets), ...doc.adoptedStyleSheets]) guard(sheet);
  for (const node of doc.querySelectorAll("link[rel~=stylesheet]")) guardNode(node);
  // the head, and the body's own children (not the apps' subtrees: Streamlit's every render)
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") guardNode(r.target);
      for (const node of r.addedNodes) guardNode(node);
    }
  });
  observer.observe(doc.head, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
  observer.observe(doc.body, { childList: true });
}

/**
 * The sheets keepPageCssOut leaves alone: stlite's (under its folder), stlite-docs' own files
 * and in-page <style>, and the <style> elements Streamlit adds (emotion's; the others are marked
 * by guards.js as stlite creates them).
 * @param {string[]} folders stlite's folders (of stlite.js and stlite.css)
 * @returns {(sheet: CSSStyleSheet) => boolean}
 */
export const ownSheets = (folders) => (sheet) => {
  const node = sheet.ownerNode;
  if (node instanceof Element && (node.hasAttribute("data-emotion") || node.hasAttribute(OWN) || node.classList.contains("stlite-docs-style"))) return true;
  const href = sheet.href || "";
  return folders.some((f) => href.startsWith(f)) || /\/stlite-docs(-mount|-inline)?\.css([?#]|$)/.test(href);
};

/** The mark of the <style> elements stlite's code creates (guards.js). */
export const OWN = "data-stlite-docs-own";
