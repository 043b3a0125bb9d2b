// @ts-check
/**
 * Reading the site's look from the page (the DOM side of theme.js): the colours, fonts and
 * sizes around an app, in the scheme the page shows and, for themes with a known switch, in
 * the other one; whether the site shows its dark scheme; and when that may have changed.
 */
import { DARK, flatten, luminance, parseColor, PRIMARY_COLOR, SCHEME_SWITCHES, siteIsDark, switchTo, switchValue } from "./theme.js";

/** @typedef {import("./theme.js").Look} Look */
/** @typedef {import("./theme.js").RGBA} RGBA */
/** @typedef {"light" | "dark"} Scheme */

const rootOf = (/** @type {"html" | "body"} */ root) => (root === "html" ? document.documentElement : document.body);

/** The known scheme switches this page has, with their current values. */
const switchesHere = () =>
  SCHEME_SWITCHES.map((s) => ({ switch: s, value: switchValue(s, rootOf(s.root)?.getAttribute(s.attr) ?? null) })).filter((h) => h.value !== undefined);

/**
 * The opaque colour the page paints behind `el`: its ancestors' backgrounds, flattened.
 * @param {Element} el
 */
export function backdrop(el) {
  /** @type {RGBA[]} */
  const layers = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = parseColor(getComputedStyle(node).backgroundColor);
    if (c && c[3] > 0) layers.push(c);
    if (c && c[3] >= 1) break;
  }
  return flatten(layers);
}

/**
 * Is the site showing its dark scheme now? (theme.js's siteIsDark decides.)
 * @param {import("./settings.js").ThemeMode} mode the site's setting
 */
export function isDarkNow(mode) {
  const anchor = document.querySelector(".stlite-docs-app");
  return siteIsDark({
    mode,
    switches: switchesHere(),
    systemDark: matchMedia(DARK).matches,
    backdrop: anchor ? luminance(backdrop(anchor)) : undefined,
  });
}

/**
 * Call `changed` whenever the site may have switched schemes: themes switch with attributes or
 * classes on <html> or <body>, by the `media` or `disabled` of a stylesheet in <head> (as
 * CPython's theme does), or follow the system's setting. (A theme that puts a stylesheet in
 * or takes one out is not watched: Streamlit adds its <style> elements to <head> as apps draw.)
 * @param {() => void} changed
 */
export function watchScheme(changed) {
  const watch = new MutationObserver(changed);
  watch.observe(document.documentElement, { attributes: true });
  watch.observe(document.body, { attributes: true });
  watch.observe(document.head, { subtree: true, attributeFilter: ["media", "disabled"] });
  matchMedia(DARK).addEventListener("change", changed);
}

/**
 * The site's look where app `el` sits, in the scheme the page shows now: the background behind
 * it, its text colour, font and size, and the site's link colour, primary colour and code
 * blocks. Code blocks are read from the app's own highlighted source, or the code beside it
 * (the site's highlighter made them, so they have the site's markup: `pre` or `pre > code`),
 * else from a probe. Probes are added and removed within one task: styled, never painted.
 * @param {HTMLElement} el
 * @returns {Look}
 */
export function readLook(el) {
  const probe = document.createElement("div");
  probe.style.cssText = "position:absolute;visibility:hidden;pointer-events:none";
  // a link, a code block and inline code as the site's markup has them (Sphinx's docutils
  // literal; Markdown's bare <code> is matched by the same theme rules for `p code`)
  probe.innerHTML = '<a href="#stlite-docs">a</a><div class="highlight"><pre>x</pre></div><p><code class="docutils literal notranslate"><span class="pre">x</span></code></p>';
  el.before(probe);
  try {
    const link = /** @type {HTMLElement} */ (probe.firstChild);
    link.style.color = PRIMARY_COLOR;
    const primary = parseColor(getComputedStyle(link).color);
    link.style.color = "";
    const pre =
      el.querySelector(":scope > .stlite-docs-source pre") ||
      el.closest(".stlite-docs-block")?.querySelector(".stlite-docs-code pre") ||
      /** @type {Element} */ (probe.querySelector("pre"));
    const code = pre.querySelector("code") || pre;
    const codeStyle = getComputedStyle(code);
    /** @type {RGBA | undefined} */
    let codeBg;
    // the block's background: on pre, code, or a wrapper (Furo: div.highlight)
    for (let node = /** @type {Element | null} */ (code); node && node !== el && !node.matches(".stlite-docs-code, .stlite-docs-source"); node = node.parentElement) {
      const c = parseColor(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0) {
        codeBg = c;
        break;
      }
    }
    const style = getComputedStyle(el);
    const inline = /** @type {Element} */ (probe.querySelector("p .pre"));
    return {
      bg: backdrop(el),
      text: parseColor(style.color),
      link: parseColor(getComputedStyle(link).color),
      primary: primary && primary[3] > 0 ? primary : undefined,
      codeBg,
      inlineCode: parseColor(getComputedStyle(inline).color),
      font: style.fontFamily,
      codeFont: codeStyle.fontFamily,
      size: parseFloat(style.fontSize),
      codeSize: parseFloat(codeStyle.fontSize),
      root: parseFloat(getComputedStyle(document.documentElement).fontSize),
    };
  } finally {
    probe.remove();
  }
}

/**
 * The attributes that put the site in `scheme` by its known switches (Material's per-scheme
 * primary and accent come from its palette toggle): `[element, name, value]` each, or
 * undefined when the theme has no known switch.
 * @param {Scheme} scheme
 * @returns {[Element, string, string][] | undefined}
 */
export function schemeAttributes(scheme) {
  const here = switchesHere();
  if (!here.length) return undefined;
  /** @type {[Element, string, string][]} */
  const changes = [];
  for (const { switch: s } of here) {
    const node = rootOf(s.root);
    changes.push([node, s.attr, switchTo(s, node.getAttribute(s.attr), scheme)]);
    if (s.attr === "data-md-color-scheme") {
      const palette = [...document.querySelectorAll("input[data-md-color-scheme]")].find(
        (input) => (input.getAttribute("data-md-color-scheme") === s.dark) === (scheme === "dark"),
      );
      for (const a of palette?.attributes || []) if (a.name.startsWith("data-md-color-")) changes.push([node, a.name, a.value]);
    }
  }
  return changes;
}

/**
 * Run `read` with the site switched to `scheme` (schemeAttributes), then put every attribute
 * back, within one
 * task: styles are computed, never painted. Transitions are off meanwhile (a stylesheet adopted
 * for the task): a computed style mid-transition is the old scheme's (Material's code blocks
 * fade), and switching back must not start a fade either, so styles are brought up to date
 * before transitions return. Undefined when the theme has no known switch (only the scheme
 * shown can be read then).
 * @template T
 * @param {Scheme} scheme
 * @param {() => T} read
 * @returns {T | undefined}
 */
export function inScheme(scheme, read) {
  const changes = schemeAttributes(scheme);
  if (!changes) return undefined;
  /** @type {[Element, string, string | null][]} */
  const saved = [];
  const still = new CSSStyleSheet();
  still.replaceSync("*,*::before,*::after{transition:none!important}");
  const sheets = document.adoptedStyleSheets;
  document.adoptedStyleSheets = [...sheets, still];
  try {
    for (const [node, name, value] of changes) {
      saved.push([node, name, node.getAttribute(name)]);
      node.setAttribute(name, value);
    }
    return read();
  } finally {
    for (const [node, name, value] of saved.reverse()) {
      if (value === null) node.removeAttribute(name);
      else node.setAttribute(name, value);
    }
    void document.documentElement.offsetHeight; // every style as shown, still without transitions
    document.adoptedStyleSheets = sheets;
  }
}

/**
 * The site's look around `el` in both schemes: the one shown, and the other where the theme
 * has a known switch.
 * @param {HTMLElement} el
 * @param {boolean} dark is the dark scheme shown?
 * @returns {Record<Scheme, Look | undefined>}
 */
export function readLooks(el, dark) {
  const now = readLook(el);
  return dark ? { light: inScheme("light", () => readLook(el)), dark: now } : { light: now, dark: inScheme("dark", () => readLook(el)) };
}

