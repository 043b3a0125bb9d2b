// @ts-check
/**
 * The part of the site's worker file that follows stlite's worker script (see warm.js): it
 * binds stlite's top-level names, as the pinned build has them (stlite_docs.worker_script
 * checks they are there), to the warm runtime. A classic script: the names are the globals of
 * stlite's script, which this one shares.
 */
import { install } from "./warm.js";

install(
  {
    get X() {
      return X;
    },
    set X(handler) {
      X = handler;
    },
    get J() {
      return J;
    },
    set J(boot) {
      J = boot;
    },
    get He() {
      return He;
    },
    set He(shutdown) {
      He = shutdown;
    },
    get pyodide() {
      return j;
    },
    get installed() {
      return D;
    },
  },
  self.navigator,
);
