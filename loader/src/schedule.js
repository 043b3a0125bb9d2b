// @ts-check
/**
 * Which apps to mount, and when. Pure: boxes and flags in, apps out.
 *
 * The page's first app boots Python alone: the other apps share its one Python thread, so an
 * app mounted alongside only delays the first one's output (by ~0.6 s on a 2-core machine).
 * Once its first script run is over, the pending apps near the viewport mount together: their
 * setups overlap in the worker, which is quicker than one after another.
 */

/** How far above or below the viewport apps mount once the first app is up, in viewport heights. */
export const AHEAD = 3;

/** @typedef {{top: number, bottom: number, width: number, height: number}} Box */

/**
 * Distance in px from a box to the viewport: 0 when they overlap.
 * @param {Box} box
 * @param {number} viewportHeight
 */
export const distance = (box, viewportHeight) => Math.max(0, box.top - viewportHeight, -box.bottom);

/**
 * The pending apps to mount now (asked when the first app is not booting): those within
 * `reach` px of the viewport, nearest first. The very first mount (`first`) is one app alone:
 * the nearest, so with no app visible at load the prewarm boots Python with the one the reader
 * gets to first. An app with an empty box is hidden (an inactive tab) and mounts when shown.
 * @template T
 * @param {{app: T, box: Box}[]} pending apps that wait to mount, in page order
 * @param {{reach: number, viewportHeight: number, first: boolean}} now
 * @returns {T[]}
 */
export function appsToMount(pending, { reach, viewportHeight, first }) {
  const near = pending
    .filter(({ box }) => box.width || box.height)
    .map(({ app, box }) => ({ app, d: distance(box, viewportHeight) }))
    .filter(({ d }) => d <= reach)
    .sort((a, b) => a.d - b.d); // stable: page order among equals
  return near.slice(0, first ? 1 : near.length).map(({ app }) => app);
}

/**
 * How far to look when the viewport observer reports, in px. Before any app has mounted (the
 * page's load): when Python boots without an app (the early worker, early-worker.js), the apps
 * within AHEAD screens, as once the first app is up, so an app far down costs nothing until the
 * reader comes near; otherwise the whole page, so the prewarm boots Python with the nearest
 * app. Either way a visible app, the nearest, is the one that mounts; and what the report says
 * is visible is not asked then: one batch may hold an app's old entry (visible, made while the
 * page parsed) beside its new one (pushed out of view by content that came later), and no
 * report follows to say so. Later: an app came into view: the visible ones (0); apps only left
 * the view: nothing to do.
 * @param {boolean} anyVisible
 * @param {boolean} noneMounted no app has mounted yet
 * @param {boolean} pythonStarted Python is booting without an app
 * @param {number} viewportHeight
 * @returns {number | undefined}
 */
export const reachOnView = (anyVisible, noneMounted, pythonStarted, viewportHeight) =>
  noneMounted ? (pythonStarted ? viewportHeight * AHEAD : Infinity) : anyVisible ? 0 : undefined;
