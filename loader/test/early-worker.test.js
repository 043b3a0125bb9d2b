// @ts-check
// The early worker (early-worker.js) and the steering of stlite's connections to it (steer.js)
// on stand-ins for the browser objects they use: what starts when, what the worker is sent,
// which of stlite's workers are swapped and which are left alone, and that the page's globals
// are back as they were after every mount.
import assert from "node:assert/strict";
import { test } from "node:test";
import { WARM, startEarlyWorker, startsEarly, workerOptions } from "../src/early-worker.js";
import { readSettings } from "../src/settings.js";
import { checkOf, fnv1a32, isStliteWorker, steerTo } from "../src/steer.js";
import { lease } from "../src/lease.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const LOADER = "https://docs.example/p/_static/stlite-docs.js?v=1";
const TAG = {
  "data-stlite-js": "https://cdn.example/npm/@stlite/browser@1.9.2/build/stlite.js",
  "data-stlite-css": "https://cdn.example/npm/@stlite/browser@1.9.2/build/stlite.css",
  "data-pyodide": "https://cdn.example/pyodide/v0.29.3/full/pyodide.mjs",
  "data-stlite-worker": "stlite-worker-7b734e48da5b8657.js",
  "data-stlite-worker-check": "44840:48c58f9e",
  "data-stlite-wheels": "stliteLib=wheels/stlite_lib-0.1.0-py3-none-any.whl streamlit=wheels/streamlit-1.62.0-cp313-none-any.whl",
};
/** @param {Record<string, string>} attrs */
const reader = (attrs) => (/** @type {string} */ name) => attrs[name] ?? null;

test("the worker file's settings: relative to the loader, the wheels to stlite.js", () => {
  assert.deepEqual(readSettings(reader(TAG), LOADER).worker, {
    url: "https://docs.example/p/_static/stlite-worker-7b734e48da5b8657.js",
    check: "44840:48c58f9e",
    wheels: {
      stliteLib: "https://cdn.example/npm/@stlite/browser@1.9.2/build/wheels/stlite_lib-0.1.0-py3-none-any.whl",
      streamlit: "https://cdn.example/npm/@stlite/browser@1.9.2/build/wheels/streamlit-1.62.0-cp313-none-any.whl",
    },
  });
});

test("no worker file, or an incomplete one: none (stlite's own path), never an error", () => {
  for (const [name, value] of [
    ["data-stlite-worker", ""],
    ["data-stlite-worker-check", ""],
    ["data-stlite-wheels", ""],
    ["data-stlite-wheels", "streamlit=wheels/s.whl"], // stliteLib missing
    ["data-stlite-wheels", "stliteLib streamlit"], // no paths
  ]) {
    assert.equal(readSettings(reader({ ...TAG, [name]: value }), LOADER).worker, undefined, `${name}=${value}`);
  }
});

/** A page's window as far as startsEarly looks. */
const page = (origin = "https://docs.example", SharedWorker = class {}) => ({ SharedWorker, location: { origin } });

test("starts early only with a worker file, a shared app, SharedWorker and a real origin", () => {
  const worker = readSettings(reader(TAG), LOADER).worker;
  assert.equal(startsEarly(worker, true, page()), true);
  assert.equal(startsEarly(undefined, true, page()), false); // a custom stlite: no file
  assert.equal(startsEarly(worker, false, page()), false); // every app has worker: own
  assert.equal(startsEarly(worker, true, { location: { origin: "https://docs.example" } }), false); // Chrome on Android
  assert.equal(startsEarly(worker, true, page("null")), false); // opaque origin (file://, sandbox)
});

/** A SharedWorker stand-in that records what it was given and lets the test answer. */
function fakeSharedWorker({ throws = false } = {}) {
  /** @type {{url: string, options: WorkerOptions, sent: any[], closed: boolean, error: () => void, answer: (data: unknown) => void}[]} */
  const made = [];
  class FakeSharedWorker {
    /** @param {string} url @param {WorkerOptions} options */
    constructor(url, options) {
      if (throws) throw new Error("blocked by CSP");
      const record = {
        url,
        options,
        sent: /** @type {any[]} */ ([]),
        closed: false,
        error: () => this.onerror?.(),
        answer: (/** @type {unknown} */ data) => this.port.onmessage?.({ data }),
      };
      made.push(record);
      this.port = {
        /** @type {((e: {data: unknown}) => void) | null} */
        onmessage: null,
        postMessage: (/** @type {unknown} */ m) => record.sent.push(m),
        close: () => (record.closed = true),
      };
      /** @type {(() => void) | null} */
      this.onerror = null;
    }
  }
  return { made, win: { SharedWorker: /** @type {typeof SharedWorker} */ (/** @type {unknown} */ (FakeSharedWorker)) } };
}

const WORKER = /** @type {import("../src/settings.js").WorkerFile} */ (readSettings(reader(TAG), LOADER).worker);
const PYODIDE = "https://cdn.example/pyodide/v0.29.3/full/pyodide.mjs";

test("the early worker: a classic SharedWorker with a page-unique name, sent the prewarm at once", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] }); // its 20 s fallback would hold the run
  const { made, win } = fakeSharedWorker();
  const early = startEarlyWorker(WORKER, PYODIDE, false, win);
  assert.ok(early);
  assert.equal(made.length, 1);
  assert.equal(made[0].url, WORKER.url);
  assert.equal(made[0].options.type, "classic");
  assert.match(String(made[0].options.name), /^stlite-docs \S+$/);
  assert.notEqual(startEarlyWorker(WORKER, PYODIDE, false, win)?.options.name, made[0].options.name); // another page, another worker
  assert.equal(/** @type {any} */ (made[0].options).extendedLifetime, false);
  assert.deepEqual(early.options, made[0].options);
  assert.equal(early.url, WORKER.url);
  assert.equal(early.check, WORKER.check);
  // the worker's warm runtime makes it stlite's prewarm (warm.test.js): Pyodide and the wheels
  assert.deepEqual(made[0].sent, [{ type: "stlite-docs:prewarm", pyodideUrl: PYODIDE, wheels: WORKER.wheels }]);
  // the worker answers as stlite's does when a connection starts
  made[0].answer({ type: "event:envSetup" });
  assert.equal(await early.ready, "event:envSetup");
  // the prewarm connection ends at its planned loadError
  assert.equal(made[0].closed, false);
  made[0].answer({ type: "event:loadError", data: { error: new TypeError("toString is not a function") } });
  assert.equal(made[0].closed, true);
});

test("a worker file that fails to load is not used; a worker that cannot start gives none", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { made, win } = fakeSharedWorker();
  const early = startEarlyWorker(WORKER, PYODIDE, true, win);
  made[0].error();
  assert.equal(await early?.ready, false);
  assert.equal(startEarlyWorker(WORKER, PYODIDE, true, fakeSharedWorker({ throws: true }).win), undefined);
});

test("kept warm: the site's worker, by a name every page of the site gives, with an extended lifetime", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { made, win } = fakeSharedWorker();
  startEarlyWorker(WORKER, PYODIDE, true, win);
  startEarlyWorker(WORKER, PYODIDE, true, win); // the next page
  assert.deepEqual(made[0].options, made[1].options);
  assert.equal(made[0].url, made[1].url);
  assert.deepEqual(made[0].options, {
    type: "classic",
    name: `stlite-docs ${PYODIDE}`,
    extendedLifetime: true,
  });
  // another Pyodide: another runtime (another stlite: another worker file)
  assert.notEqual(workerOptions(PYODIDE.replace("0.29.3", "0.30.0"), true).name, made[0].options.name);
});

test("the site's keep_warm setting: on unless the loader tag says false", () => {
  assert.equal(readSettings(reader(TAG), LOADER).keepWarm, true);
  assert.equal(readSettings(reader({ ...TAG, "data-keep-warm": "false" }), LOADER).keepWarm, false);
});

// --- steer.js --------------------------------------------------------------------------------

test("FNV-1a as the build computes it (stlite_docs.worker_script.fnv1a32)", () => {
  // reference values of 32-bit FNV-1a
  assert.equal(fnv1a32(""), 0x811c9dc5);
  assert.equal(fnv1a32("a"), 0xe40c292c);
  assert.equal(fnv1a32("foobar"), 0xbf9cf968);
  assert.equal(checkOf("a"), "1:e40c292c");
  assert.equal(checkOf(""), "0:811c9dc5"); // zero-padded to 8 digits
});

const DATA_URL = "data:text/javascript;base64,c2VsZi5vbmNvbm5lY3Q9KCk9Pnt9Ow==";
const CHECK = checkOf(DATA_URL);
const WRAPPER = `importScripts("${DATA_URL}");`;

test("stlite's worker wrapper is recognised by its data: URL's fingerprint only", () => {
  assert.equal(isStliteWorker(WRAPPER, CHECK), true);
  assert.equal(isStliteWorker(WRAPPER, checkOf(DATA_URL + "x")), false); // another stlite
  assert.equal(isStliteWorker(`import "${DATA_URL}";`, CHECK), false); // a module worker
  assert.equal(isStliteWorker(`importScripts("${DATA_URL}");\n`, CHECK), false);
  assert.equal(isStliteWorker(undefined, CHECK), false);
});

/** A window with Blob, URL.createObjectURL and SharedWorker stand-ins that record construction. */
function fakeWindow() {
  /** @type {{url: string, options: unknown, sent: unknown[], port: EventTarget}[]} */
  const workers = [];
  /** @type {Map<string, string>} lock name -> "held" | "free" */
  const locks = new Map();
  let n = 0;
  class FakeBlob {
    /** @param {unknown[]} parts */
    constructor(parts) {
      this.parts = parts;
    }
  }
  class FakeSharedWorker {
    /** @param {string} url @param {unknown} options */
    constructor(url, options) {
      /** @type {unknown[]} */
      const sent = [];
      const port = Object.assign(new EventTarget(), { postMessage: (/** @type {unknown} */ m) => sent.push(m) });
      workers.push({ url, options, sent, port });
      this.port = port;
    }
  }
  const navigator = {
    locks: {
      /** @param {string} name @param {() => Promise<unknown>} grant */
      async request(name, grant) {
        locks.set(name, "held");
        await grant();
        locks.set(name, "free");
      },
    },
  };
  const win = {
    Blob: /** @type {typeof Blob} */ (/** @type {unknown} */ (FakeBlob)),
    URL: /** @type {typeof URL} */ (/** @type {unknown} */ ({ createObjectURL: () => `blob:https://docs.example/${++n}` })),
    SharedWorker: /** @type {typeof SharedWorker} */ (/** @type {unknown} */ (FakeSharedWorker)),
    navigator,
  };
  return { win, workers, locks, originals: { ...win, createObjectURL: win.URL.createObjectURL } };
}

/**
 * A stand-in for stlite's mount(): its kernel wraps the worker's data: URL in a blob (once, then
 * reused, as stlite caches it) and constructs a SharedWorker from it.
 * @param {ReturnType<typeof fakeWindow>["win"]} win
 * @param {{text?: string, options?: unknown}} [kernel]
 */
function fakeStlite(win, { text = WRAPPER, options = { type: undefined } } = {}) {
  /** @type {string | undefined} */
  let cached;
  return {
    mount(/** @type {object} */ _options, /** @type {HTMLElement} */ _el) {
      cached ||= win.URL.createObjectURL(new win.Blob([text], { type: "text/javascript" }));
      new win.SharedWorker(cached, /** @type {any} */ (options));
      return { unmount() {}, async writeFile() {} };
    },
  };
}

const EARLY = { url: "https://docs.example/p/_static/stlite-worker-x.js", options: { type: /** @type {const} */ ("classic"), name: "stlite-docs 0.5" }, check: CHECK, ready: Promise.resolve(/** @type {string | false} */ ("event:envSetup")) };
const EL = /** @type {HTMLElement} */ ({});

test("stlite's worker becomes the early one, for every app; the globals are restored each time", () => {
  const { win, workers, originals } = fakeWindow();
  const stlite = steerTo(fakeStlite(win), EARLY, win);
  stlite.mount({}, EL);
  stlite.mount({}, EL); // the second app reuses stlite's cached blob URL
  assert.deepEqual(
    workers.map(({ url, options }) => ({ url, options })),
    [
      { url: EARLY.url, options: EARLY.options },
      { url: EARLY.url, options: EARLY.options },
    ],
  );
  assert.equal(win.Blob, originals.Blob);
  assert.equal(win.SharedWorker, originals.SharedWorker);
  assert.equal(win.URL.createObjectURL, originals.createObjectURL);
  // outside mount(), nothing is swapped
  new win.SharedWorker("blob:https://docs.example/1", /** @type {any} */ ({}));
  assert.equal(workers[2].url, "blob:https://docs.example/1");
});

test("anything else keeps stlite's own worker", () => {
  for (const [why, kernel] of /** @type {[string, {text?: string, options?: unknown}][]} */ ([
    ["another stlite's worker", { text: `importScripts("${DATA_URL}A");` }],
    ["a named worker", { options: { name: "theirs" } }],
    ["a module worker", { options: { type: "module" } }],
    ["a name as the options", { options: "theirs" }],
  ])) {
    const { win, workers } = fakeWindow();
    steerTo(fakeStlite(win, kernel), EARLY, win).mount({}, EL);
    assert.equal(workers.length, 1, why);
    assert.match(workers[0].url, /^blob:/, why);
    assert.deepEqual(workers[0].options, kernel.options ?? { type: undefined }, why);
  }
});

test("a mount that throws still restores the page's globals", () => {
  const { win, originals } = fakeWindow();
  const failing = { mount: () => { throw new Error("stlite failed"); } };
  assert.throws(() => steerTo(/** @type {any} */ (failing), EARLY, win).mount({}, EL), /stlite failed/);
  assert.equal(win.Blob, originals.Blob);
  assert.equal(win.SharedWorker, originals.SharedWorker);
  assert.equal(win.URL.createObjectURL, originals.createObjectURL);
});

test("each app steered to the worker holds a lease, named to the worker once held; unmount frees it", async () => {
  const { win, workers, locks } = fakeWindow();
  const controller = steerTo(fakeStlite(win), EARLY, win).mount({}, EL);
  await tick();
  assert.equal(locks.size, 1);
  const [[name, state]] = [...locks];
  assert.equal(state, "held");
  assert.deepEqual(workers[0].sent, [{ type: "stlite-docs:app", lock: name }]);
  controller.unmount();
  await tick();
  assert.equal(locks.get(name), "free", "the worker gets the lock: it ends the app");
});

test("an app left on stlite's own worker takes no lease", async () => {
  const { win, workers, locks } = fakeWindow();
  steerTo(fakeStlite(win, { options: { name: "theirs" } }), EARLY, win).mount({}, EL);
  await tick();
  assert.equal(locks.size, 0);
  assert.deepEqual(workers[0].sent, []);
});

test("a lease released before it is held is never named to the worker", async () => {
  const sent = /** @type {unknown[]} */ ([]);
  /** @type {Map<string, string>} */
  const states = new Map();
  const nav = {
    locks: {
      /** @param {string} name @param {() => Promise<unknown>} grant */
      async request(name, grant) {
        await tick(); // granted later
        states.set(name, "held");
        await grant();
        states.set(name, "free");
      },
    },
  };
  const release = lease({ postMessage: (m) => sent.push(m) }, nav);
  release();
  await tick();
  await tick();
  assert.deepEqual(sent, []);
  assert.deepEqual([...states.values()], ["free"]);
});

test("the worker's word that it admitted an app with Python up reaches the app's controller", () => {
  const { win, workers } = fakeWindow();
  const controller = steerTo(fakeStlite(win), EARLY, win).mount({}, EL);
  assert.equal(controller.warm, undefined);
  workers[0].port.dispatchEvent(Object.assign(new Event("message"), { data: { type: "stlite-docs:warm" } }));
  assert.equal(controller.warm, true);
});

test("fresh: an app on a worker of its own, from the same file, by a name of its own", () => {
  const { win, workers } = fakeWindow();
  const stlite = steerTo(fakeStlite(win), EARLY, win);
  stlite.mount({}, EL, true);
  stlite.mount({}, EL, true);
  assert.equal(workers[0].url, EARLY.url);
  const names = workers.map((w) => /** @type {any} */ (w.options).name);
  assert.notEqual(names[0], names[1]);
  assert.ok(names.every((n) => n !== EARLY.options.name && n.startsWith("stlite-docs own ")));
  assert.equal(/** @type {any} */ (workers[0].options).extendedLifetime, undefined);
});

test("a warm worker says so first: the page's ready is WARM", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { made, win } = fakeSharedWorker();
  const early = startEarlyWorker(WORKER, PYODIDE, true, win);
  made[0].answer({ type: WARM });
  made[0].answer({ type: "event:envSetup" });
  assert.equal(await early?.ready, WARM);
});
