// @ts-check
/**
 * styles.js for one-file builds (the inline loader, the mystmd widget): their host page already
 * carries app.css with page.css (stlite-docs-inline.css), so there is nothing to load.
 * @param {string} _moduleUrl
 * @returns {Promise<void>}
 */
export const addAppStyles = async (_moduleUrl) => {};
