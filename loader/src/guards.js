// @ts-check
/**
 * Every change this loader makes to the host page's globals, gathered here, one function each.
 *
 * Streamlit (inside stlite's bundle) acts as if it owned the window: it sets document.title and
 * the favicon, pushes history entries on multipage navigation, follows the system's colour
 * scheme rather than the site's, and stlite's bundle and stylesheet add <style> elements without
 * the page's CSP nonce and rules for `body`. Each guard lets the host page's own calls through
 * unchanged and adjusts only those that come from stlite's code (`fromStlite`, read from the call
 * stack), so the page, its theme and its other scripts keep working. installGuards() installs
 * them all, once, before stlite's bundle is evaluated; each guard takes what it patches as an
 * argument, so node tests run it on stand-ins.
 */
import { isDarkNow, watchScheme } from "./look.js";
import { DARK } from "./theme.js";
import { OWN, keepPageCssOut, ownSheets } from "./isolation.js";

/** @typedef {() => boolean} CallerCheck True when the current call comes from stlite's code. */

/**
 * A CallerCheck for code loaded from under `base` (stlite's folder): a stack names the URL of
 * each frame. Call it directly from the patched function: V8 keeps 10 frames.
 * @param {string} base
 * @returns {CallerCheck}
 */
export const callsFrom = (base) => () => (new Error().stack || "").includes(base);

/**
 * matchMedia: Streamlit's default theme follows (prefers-color-scheme: dark) and listens for its
 * changes. Answer stlite's queries with the SITE's scheme instead, and announce the site's
 * scheme changes to its listeners: apps follow the site's theme toggle live and keep their state.
 * @param {Pick<Window, "matchMedia">} win
 * @param {() => boolean} isDark the site's scheme now
 * @param {CallerCheck} fromStlite
 * @returns {() => void} call when the site may have changed its scheme
 */
export function followSiteScheme(win, isDark, fromStlite) {
  const realMatchMedia = win.matchMedia.bind(win);
  /** @type {Set<(e: {matches: boolean, media: string}) => void>} */
  const listeners = new Set();
  let dark = isDark();
  const query = /** @type {MediaQueryList} */ (/** @type {unknown} */ ({
    media: DARK,
    get matches() {
      return dark;
    },
    addEventListener: (/** @type {string} */ _type, /** @type {any} */ f) => listeners.add(f),
    removeEventListener: (/** @type {string} */ _type, /** @type {any} */ f) => listeners.delete(f),
    addListener: (/** @type {any} */ f) => listeners.add(f),
    removeListener: (/** @type {any} */ f) => listeners.delete(f),
  }));
  win.matchMedia = (q) => (q.includes("prefers-color-scheme: dark") && fromStlite() ? query : realMatchMedia(q));
  const update = () => {
    if (isDark() === dark) return;
    dark = !dark;
    for (const f of listeners) f({ matches: dark, media: DARK });
  };
  realMatchMedia(DARK).addEventListener("change", update);
  return update;
}

/**
 * document.title: Streamlit sets it to the app's title; the page keeps its own.
 * @param {Document} doc
 * @param {Document} documentPrototype Document.prototype, which has the title accessor
 * @param {CallerCheck} fromStlite
 */
export function keepTitle(doc, documentPrototype, fromStlite) {
  const title = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(documentPrototype, "title"));
  Object.defineProperty(doc, "title", {
    configurable: true,
    get: () => title.get?.call(doc),
    set: (v) => fromStlite() || title.set?.call(doc, v),
  });
}

/**
 * <link rel=icon href>: Streamlit points the favicon at its own; the page keeps the site's.
 * @param {HTMLLinkElement} linkPrototype HTMLLinkElement.prototype
 * @param {CallerCheck} fromStlite
 */
export function keepFavicon(linkPrototype, fromStlite) {
  const href = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(linkPrototype, "href"));
  Object.defineProperty(linkPrototype, "href", {
    ...href,
    /** @this {HTMLLinkElement} @param {string} v */
    set(v) {
      if (!(/icon/i.test(this.rel) && fromStlite())) href.set?.call(this, v);
    },
  });
}

/**
 * history.pushState/replaceState: multipage apps and st.query_params rewrite the URL; the
 * page's URL and history stay the reader's (the app navigates inside its box).
 * @param {Pick<History, "pushState" | "replaceState">} history
 * @param {CallerCheck} fromStlite
 */
export function keepUrl(history, fromStlite) {
  for (const name of /** @type {const} */ (["pushState", "replaceState"])) {
    const original = history[name];
    history[name] = function (...args) {
      if (!fromStlite()) original.apply(this, args);
    };
  }
}

/**
 * document.createElement("style"): stlite's bundle adds <style> elements of its own
 * (react-toastify's) as it loads. Mark them as the apps' own, so isolation.js leaves their rules
 * alone, and give them the page's CSP nonce when there is one, before any `styleNonce` reaches
 * stlite, so a strict style-src needs no hashes.
 * @param {Pick<Document, "createElement">} doc
 * @param {string} nonce "" for none
 * @param {CallerCheck} fromStlite
 */
export function markStliteStyles(doc, nonce, fromStlite) {
  const create = doc.createElement;
  /** @type {any} */ (doc).createElement = function (/** @type {string} */ tag, /** @type {any} */ options) {
    const el = create.call(this, tag, options);
    if (String(tag).toLowerCase() === "style" && fromStlite()) {
      el.setAttribute(OWN, "");
      if (nonce) el.setAttribute("nonce", nonce);
    }
    return el;
  };
}

/**
 * stlite.css styles `body` (and might style html or :root): once the sheet is loaded, remove
 * such rules so the host page's styles stay as they were.
 * @param {HTMLLinkElement} link stlite.css's <link>, before it is added to the page
 */
export function keepPageStyles(link) {
  link.addEventListener("load", () => {
    try {
      const sheet = link.sheet;
      const rules = sheet?.cssRules || [];
      for (let i = rules.length - 1; i >= 0; i--) {
        if (isPageSelector(/** @type {CSSStyleRule} */ (rules[i]).selectorText)) sheet?.deleteRule(i);
      }
    } catch {
      // cross-origin sheet without CORS: its one body rule (a counter reset) is harmless
    }
  });
}

/**
 * Does a rule's selector style the whole page?
 * @param {string | undefined} selector (undefined for at-rules such as @font-face)
 */
export const isPageSelector = (selector) => !!selector && /^(html|body|:root)$/.test(selector.trim());

/**
 * The folder of stlite.js: code under it is stlite's (callsFrom).
 * @param {string} jsUrl
 */
export const stliteFolder = (jsUrl) => jsUrl.slice(0, jsUrl.lastIndexOf("/") + 1);

/**
 * Streamlit's overlays go onto the page's <body>, placed for a whole window: its dialogs
 * (st.dialog, the dialog of a script error after an edit) fixed over everything, the site
 * dimmed and the other apps out of reach; its toasts (st.toast) fixed at the window's top right,
 * over the site's header, next to nothing. Both go by the box of the app the reader last acted
 * in (pressed, or reached with the keyboard; an editor's Run counts for its app), scrolling
 * with the page: a dialog over the box, at least as tall as it; toasts at the bottom right of
 * the box's part in view, growing upwards, as each one comes. (An app that toasts before the
 * reader acts in any app keeps Streamlit's place.)
 * @param {Document} doc
 */
export function keepOverlaysByTheirApp(doc) {
  /** @type {Element | null | undefined} */
  let app;
  const acted = (/** @type {Event} */ e) => {
    const t = /** @type {Element} */ (e.target);
    app = t.closest?.(".stlite-docs-app") || t.closest?.(".stlite-docs-block")?.querySelector(".stlite-docs-app") || app;
  };
  doc.addEventListener("pointerdown", acted, true);
  doc.addEventListener("focusin", acted, true);
  const box = () => (app?.isConnected ? app.getBoundingClientRect() : undefined);
  const placeToasts = (/** @type {HTMLElement} */ region) => {
    const b = box();
    if (!b) return;
    const bottom = Math.min(b.bottom, innerHeight);
    // 12 px inside the box's corner (Streamlit's margins off)
    Object.assign(region.style, { position: "absolute", top: `${bottom + scrollY - 12}px`, left: `${b.right + scrollX - 12}px`, right: "auto", margin: "0", maxWidth: `${b.width - 24}px`, transform: "translate(-100%, -100%)" });
  };
  const toasts = new MutationObserver((records) => {
    for (const r of records) if (r.addedNodes.length) placeToasts(/** @type {HTMLElement} */ (r.target).closest("[data-testid=stToastContainer]") || /** @type {HTMLElement} */ (r.target));
  });
  new MutationObserver((records) => {
    for (const r of records)
      for (const node of r.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        const region = /** @type {HTMLElement | null} */ (node.matches("[data-testid=stToastContainer]") ? node : node.querySelector("[data-testid=stToastContainer]"));
        if (region) {
          placeToasts(region);
          toasts.observe(region, { childList: true, subtree: true });
        }
        const b = box();
        if (!b || !node.classList.contains("stDialog")) continue;
        Object.assign(node.style, { position: "absolute", inset: "auto", top: `${b.top + scrollY}px`, left: `${b.left + scrollX}px`, width: `${b.width}px`, minHeight: `${b.height}px` });
      }
  }).observe(doc.body, { childList: true });
}

/**
 * Install every guard but keepPageStyles (which mount.js applies to stlite.css's link); once
 * per page, before stlite's bundle runs.
 * @param {import("./settings.js").Settings} settings
 */
export function installGuards(settings) {
  const fromStlite = callsFrom(stliteFolder(settings.jsUrl));
  if (settings.theme !== "off") watchScheme(followSiteScheme(window, () => isDarkNow(settings.theme), fromStlite));
  keepTitle(document, Document.prototype, fromStlite);
  keepFavicon(HTMLLinkElement.prototype, fromStlite);
  keepUrl(history, fromStlite);
  markStliteStyles(document, settings.styleNonce || "", fromStlite);
  keepPageCssOut(document, ownSheets([stliteFolder(settings.jsUrl), stliteFolder(settings.cssUrl)]));
  keepOverlaysByTheirApp(document);
}
