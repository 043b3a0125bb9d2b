// @ts-check
/**
 * The reader's choice to run every app of the site without asking (part of the mount part,
 * mount.js; page.js offers it).
 */

/**
 * The line under the first app that started by a press (or by the reader's remembered choice):
 * a checkbox that makes every app of this site start without asking, remembered in local
 * storage under `key`, and takes that back. Once per page.
 * @param {HTMLElement} el the app element
 * @param {string} key
 * @param {boolean} checked the choice as remembered
 * @param {boolean} [focus] take the focus (the Run button that had it is gone)
 */
export function offerChoice(el, key, checked, focus) {
  if (document.querySelector(".stlite-docs-choice")) return;
  const line = document.createElement("p");
  line.className = "stlite-docs-choice";
  const box = Object.assign(document.createElement("input"), { type: "checkbox", checked });
  box.addEventListener("change", () => {
    try {
      box.checked ? localStorage.setItem(key, "1") : localStorage.removeItem(key);
    } catch {} // local storage off: nothing can be remembered
  });
  const label = document.createElement("label");
  label.append(box, " Always run apps on this site");
  line.append(label);
  el.after(line);
  if (focus) box.focus({ preventScroll: true });
}
