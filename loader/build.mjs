// @ts-check
/**
 * Builds the loader that sites get from loader/src, with esbuild (bundled, minified, same
 * bytes on every run):
 *
 *   stlite_docs/static/stlite-docs.js         the entry: src/stlite-docs.js and what it imports
 *   stlite_docs/static/stlite-docs.css        src/page.css: the app box, on every page with apps
 *   stlite_docs/static/stlite-docs-mount.js   src/mount.js and what it imports, which the entry
 *                                             imports with stlite when the first app starts
 *   stlite_docs/static/stlite-docs-mount.css  src/app.css: Streamlit's view in the box, which
 *                                             mount.js loads with stlite
 *   stlite_docs/static/stlite-docs-inline.js  the entry and the mount part in one file, for pages
 *                                             that carry the loader inline (a data: URL: no
 *                                             second file next to it), by stlite_docs.markdown
 *   stlite_docs/static/stlite-docs-myst.mjs   src/myst.js, the mystmd widget, in one file too
 *   stlite_docs/static/stlite-docs-inline.css page.css and app.css in one file, for those two:
 *                                             their host page carries it (mount.js adds none)
 *   stlite_docs/static/stlite-docs-editor.js  src/editor.js: CodeMirror, which mount.js imports
 *                                             when a page has an editor app (one-file builds
 *                                             have the text area of src/editor-plain.js instead)
 *   stlite_docs/static/stlite-docs-capture.js src/capture.js, a classic script defining
 *                                             `stliteDocsCapture`: what the build's headless
 *                                             browser runs to snapshot an app (never in a page)
 *   stlite_docs/static/stlite-docs-warm.js    src/worker/entry.js, a classic script: the part the
 *                                             site's worker file has after stlite's worker
 *                                             (stlite_docs.worker_script puts them together)
 *
 * The entry imports the second file as `./stlite-docs-mount.js?v=<hash of it and its CSS>`, and
 * mount.js loads its CSS with the same query, so a browser never pairs a new entry with a cached
 * old copy. The built files are committed (the
 * Python package ships them as they are); tests/test_loader_bundle.py fails when they are stale.
 *
 * Usage: node loader/build.mjs [--outdir DIR] [--src DIR]     (npm run build)
 * (--src: a patched copy of src/, for what-if benchmarks)
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: "string" }, src: { type: "string" } } });
const outdir = values.outdir || join(here, "..", "stlite_docs", "static");
const src = values.src || join(here, "src");

/** Output file names, as stlite_docs lists them among its shipped files. */
export const ENTRY = "stlite-docs.js";
export const MOUNT = "stlite-docs-mount.js";
export const PAGE_CSS = "stlite-docs.css";
export const MOUNT_CSS = "stlite-docs-mount.css";
export const INLINE = "stlite-docs-inline.js";
export const MYST = "stlite-docs-myst.mjs";
export const INLINE_CSS = "stlite-docs-inline.css";
export const WARM = "stlite-docs-warm.js";
export const EDITOR = "stlite-docs-editor.js";
export const CAPTURE = "stlite-docs-capture.js";

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  charset: "utf8", // "…" as 3 bytes, not a 6-byte escape; module scripts are always UTF-8
  legalComments: "none",
  write: false,
  logLevel: "warning",
};

/**
 * @param {string} entry a file in src/
 * @param {esbuild.Plugin[]} [plugins]
 * @param {esbuild.Format} [format]
 * @param {string} [globalName] an iife's global
 */
async function bundle(entry, plugins = [], format = "esm", globalName = undefined) {
  const result = await esbuild.build({ ...common, format, globalName, entryPoints: [join(src, entry)], plugins });
  return /** @type {esbuild.OutputFile[]} */ (result.outputFiles)[0].text;
}

/** @param {string} file a stylesheet in src/, minified */
async function css(file) {
  const result = await esbuild.build({ ...common, bundle: false, entryPoints: [join(src, file)], loader: { ".css": "css" } });
  return /** @type {esbuild.OutputFile[]} */ (result.outputFiles)[0].text;
}

/**
 * A part imported as a file of its own: `import("./<source>")` becomes the built file, keyed
 * by a hash of what it loads, unbundled (a static import of it is an error).
 * @param {string} source the module in src/
 * @param {string} built its file name in the output
 * @param {string[]} parts the built text whose hash keys it for caches
 * @returns {esbuild.Plugin}
 */
function chunk(source, built, parts) {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  const version = hash.digest("hex").slice(0, 8);
  const filter = new RegExp(`^\\./${source.replace(".", "\\.")}$`);
  return {
    name: `${source}-chunk`,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.kind === "dynamic-import"
          ? { path: `./${built}?v=${version}`, external: true }
          : { errors: [{ text: `import ${source} only with import(): it is a file of its own` }] },
      );
    },
  };
}

const editor = await bundle("editor.js");
const mount = await bundle("mount.js", [chunk("editor.js", EDITOR, [editor])]);
const mountCss = await css("app.css");
// mount.js loads its stylesheet with the same query (styles.js)
const entry = await bundle("stlite-docs.js", [chunk("mount.js", MOUNT, [mount, mountCss])]);

/**
 * @type {esbuild.Plugin} One-file builds: the host page carries app.css, mount.js adds none;
 * the editor is the text area (editor-plain.js): no folder to load CodeMirror's file from.
 */
const stylesInPage = {
  name: "styles-in-page",
  setup(build) {
    build.onResolve({ filter: /^\.\/styles\.js$/ }, () => ({ path: join(src, "styles-in-page.js") }));
    build.onResolve({ filter: /^\.\/editor\.js$/ }, () => ({ path: join(src, "editor-plain.js") }));
  },
};
// One file each: esbuild bundles import("./mount.js") as a part evaluated on first import.
const inline = await bundle("stlite-docs.js", [stylesInPage]);
const myst = await bundle("myst.js", [stylesInPage]);
const pageCss = await css("page.css");
// A classic script that shares the global names of stlite's worker script before it.
const warm = await bundle("worker/entry.js", [], "iife");
const capture = await bundle("capture.js", [], "iife", "stliteDocsCapture");

mkdirSync(outdir, { recursive: true });
const outputs = [
  [ENTRY, entry],
  [PAGE_CSS, pageCss],
  [MOUNT, mount],
  [MOUNT_CSS, mountCss],
  [INLINE, inline],
  [MYST, myst],
  [INLINE_CSS, pageCss + mountCss],
  [WARM, warm],
  [EDITOR, editor],
  [CAPTURE, capture],
];
for (const [name, text] of outputs) {
  writeFileSync(join(outdir, name), text);
  console.log(`${name}: ${Buffer.byteLength(text)} bytes`);
}
