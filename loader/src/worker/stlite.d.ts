// stlite's worker script (@stlite/browser 1.9.2, the pinned build), as far as entry.js uses it:
// top-level names of the script that precedes it in the site's worker file.
type Warm = import("./warm.js").Stlite;
declare var X: Warm["X"];
declare var J: Warm["J"];
declare var He: Warm["He"];
/** Pyodide, once loading (stlite's `j`). */
declare let j: Warm["pyodide"];
/** Whether Streamlit and stlite's packages are installed (stlite's `D`). */
declare let D: boolean;
