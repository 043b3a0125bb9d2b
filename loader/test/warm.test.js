// @ts-check
// The warm runtime (src/worker/warm.js) on a stand-in for stlite's worker: which apps are
// admitted, refused or ended, what reaches stlite's handlers and in which order, and what the
// Python side is asked.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GRACE_MS, PREWARM_CONFIG, REFUSED, configKey, home, install, isPrewarm, requirementNames } from "../src/worker/warm.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
/** The grace an app with another config gets (GRACE_MS in the worker), short for the tests. */
const GRACE = 50;

/** A stand-in for stlite's worker and the Python in it; `calls` records what was asked. */
function fakeWorker({ installed = true, conflicts = /** @type {string[]} */ ([]), retire = 0, onShutdown = async () => {} } = {}) {
  /** @type {string[]} */
  const calls = [];
  /** @type {Map<string, {events: any[], post: (m: any) => void}>} */
  const handlers = new Map();
  const module = {
    conflicts: (/** @type {string[]} */ reqs) => (calls.push(`conflicts ${reqs.join(",")}`), { toJs: () => conflicts, destroy() {} }),
    request_reparse: () => calls.push("reparse"),
    forget: (/** @type {string} */ folder) => calls.push(`forget ${folder}`),
    collect: () => calls.push("collect"),
    unimport: (/** @type {string} */ folder) => calls.push(`unimport ${folder}`),
    runtimes: () => ({ toJs: () => [1, 1], destroy() {} }),
  };
  const py = {
    runPython: () => {},
    pyimport: (/** @type {string} */ name) => (assert.equal(name, "stlite_docs_warm"), module),
    toPy: (/** @type {unknown} */ v) => v,
  };
  /** @type {import("../src/worker/warm.js").Stlite} */
  const stlite = {
    X(_t, post, _n, appId) {
      const record = { events: /** @type {any[]} */ ([]), post };
      handlers.set(String(appId), record);
      post({ type: "event:envSetup" });
      return async (event) => void record.events.push(event.data.type);
    },
    async J(_py, appId) {
      calls.push(`boot ${appId}`);
      return { boundAsgiApp: { destroy: () => calls.push(`destroy ${appId}`) } };
    },
    async He(_py, asgi) {
      calls.push(`shutdown ${asgi === undefined ? "?" : "app"}`);
      await onShutdown();
    },
    pyodide: Promise.resolve(py),
    installed,
  };
  /** @type {Map<string, () => unknown>} */
  const waiting = new Map();
  const navigator = { locks: { request: async (/** @type {string} */ name, /** @type {() => unknown} */ grant) => void waiting.set(name, grant) } };
  install(stlite, navigator, { grace: GRACE, retire });
  /** Connect an app; returns its handler (as stlite's onconnect would install it) and posts. */
  const connect = (/** @type {string} */ appId) => {
    /** @type {any[]} */
    const posted = [];
    const handler = stlite.X("pyodide", (m) => posted.push(m), undefined, appId);
    return { send: (/** @type {any} */ data) => handler({ data, ports: [] }), posted, record: /** @type {any} */ (handlers.get(appId)) };
  };
  /** Boot app `appId` as stlite would: J, then loadFinished. */
  const boot = async (/** @type {string} */ appId) => {
    const { post } = /** @type {any} */ (handlers.get(appId));
    await stlite.J(/** @type {any} */ (py), appId, "app.py");
    post({ type: "event:loadFinished" });
  };
  const release = async (/** @type {string} */ lock) => {
    await waiting.get(lock)?.();
    await tick();
    await tick();
  };
  return { stlite, calls, connect, boot, release, waiting };
}

const CONFIG = { "client.toolbarMode": "viewer", "theme.base": "light" };
const init = (config = /** @type {Record<string, unknown>} */ (CONFIG), requirements = /** @type {string[]} */ ([])) => ({
  type: "initData",
  data: { streamlitConfig: config, requirements, files: {} },
});

test("the grace before an app with another config is refused covers a page swap", () => {
  assert.ok(GRACE_MS >= 1000 && GRACE_MS <= 3000);
});

test("config keys ignore the order of keys; the prewarm is recognised by its logger.level", () => {
  assert.equal(configKey({ a: 1, b: "x" }), configKey({ b: "x", a: 1 }));
  assert.notEqual(configKey({ a: 1 }), configKey({ a: 2 }));
  assert.equal(configKey(undefined), configKey({}));
  assert.equal(isPrewarm({ "logger.level": { toString: 0 } }), true);
  assert.equal(isPrewarm({ "logger.level": "INFO" }), false);
  assert.equal(home("abcd"), "/home/pyodide/abcd");
});

test("an app is admitted, then ended when its page lets it go: runtime shut down, files forgotten", async () => {
  const w = fakeWorker();
  const app = w.connect("abcd");
  app.send({ type: "stlite-docs:app", lock: "L1" });
  app.send(init(CONFIG, ["six"]));
  app.send({ type: "websocket:connect" });
  await tick();
  assert.deepEqual(app.record.events, ["initData", "websocket:connect"], "stlite sees its messages, in order");
  await w.boot("abcd");
  assert.equal(w.calls.includes("conflicts six"), true, "its requirements were checked");
  assert.ok(w.waiting.has("L1"), "the worker waits for the page's lock");
  await w.release("L1");
  assert.deepEqual(w.calls.slice(-6), ["boot abcd", "unimport /home/pyodide/abcd", "shutdown app", "destroy abcd", "forget /home/pyodide/abcd", "collect"]);
});

test("an app let go while it boots ends once it is up", async () => {
  const w = fakeWorker();
  const app = w.connect("boot");
  app.send(init());
  app.send({ type: "stlite-docs:app", lock: "L2" });
  await tick();
  await w.release("L2");
  assert.ok(!w.calls.includes("shutdown app"), "not while booting");
  await w.boot("boot");
  await tick();
  await tick();
  assert.ok(w.calls.includes("shutdown app") && w.calls.includes("forget /home/pyodide/boot"));
});

test("an ended app's modules go at once; its runtime is shut down once no app boots", async () => {
  const w = fakeWorker({ retire: 30 }); // and at the latest 5 x 30 ms later
  const left = w.connect("left");
  left.send(init());
  left.send({ type: "stlite-docs:app", lock: "A" });
  await tick();
  await w.boot("left");
  const next = w.connect("next");
  next.send(init());
  await tick(); // "next" boots
  await w.release("A");
  assert.ok(w.calls.includes("unimport /home/pyodide/left"), "its modules, before the next app imports");
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.ok(!w.calls.includes("forget /home/pyodide/left"), "not while another app boots");
  await w.boot("next");
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.ok(w.calls.includes("forget /home/pyodide/left"));
});

test("the prewarm's Streamlit config stops stlite's boot right after importing Streamlit", () => {
  // what stlite's worker computes from it: (config["logger.level"] ?? "INFO").toString()
  assert.throws(() => (/** @type {any} */ (PREWARM_CONFIG)["logger.level"] ?? "INFO").toString(), TypeError);
  assert.equal(isPrewarm(PREWARM_CONFIG), true);
});

test("a page's prewarm becomes stlite's, with no app, on a cold worker only", async () => {
  const cold = fakeWorker({ installed: false });
  const page = cold.connect("warm");
  page.send({ type: "stlite-docs:prewarm", pyodideUrl: "https://p/pyodide.mjs", wheels: { streamlit: "s.whl" } });
  await tick();
  assert.deepEqual(page.record.events, ["initData"]);
  const warm = fakeWorker();
  const next = warm.connect("next");
  next.send({ type: "stlite-docs:prewarm", pyodideUrl: "https://p/pyodide.mjs", wheels: {} });
  await tick();
  assert.deepEqual(next.record.events, [], "Python is up already");
});

test("the prewarm passes to stlite untouched and counts as no app", async () => {
  const w = fakeWorker();
  const warm = w.connect("warm");
  warm.send(init({ "logger.level": { toString: 0 } }));
  await tick();
  assert.deepEqual(warm.record.events, ["initData"]);
  const other = w.connect("next");
  other.send(init({ "theme.base": "dark" }));
  await tick();
  assert.deepEqual(other.record.events, ["initData"], "a prewarm never holds the config");
});

test("a second config waits for the running apps to end, then runs if they did", async () => {
  const w = fakeWorker();
  const first = w.connect("one");
  first.send(init());
  first.send({ type: "stlite-docs:app", lock: "Q1" });
  await tick();
  await w.boot("one");
  const second = w.connect("two");
  second.send(init({ ...CONFIG, "theme.base": "dark" }));
  await tick();
  assert.deepEqual(second.record.events, [], "waiting");
  await w.release("Q1");
  await tick();
  assert.deepEqual(second.record.events, ["initData"]);
  assert.ok(w.calls.includes("reparse"));
});

test("a second config while an app runs is refused with a load error the page knows", async () => {
  const w = fakeWorker();
  const first = w.connect("one");
  first.send(init());
  await tick();
  await w.boot("one");
  const second = w.connect("two");
  second.send(init({ ...CONFIG, "theme.base": "dark" }));
  second.send({ type: "websocket:connect" });
  await new Promise((resolve) => setTimeout(resolve, GRACE + 20));
  assert.deepEqual(second.record.events, [], "stlite never sees the refused app");
  const error = second.posted.find((m) => m.type === "event:loadError")?.data.error;
  assert.ok(error?.message.startsWith(REFUSED) && /Streamlit config/.test(error.message), String(error));
  const same = w.connect("three");
  same.send(init({ "theme.base": "light", "client.toolbarMode": "viewer" }));
  await tick();
  assert.deepEqual(same.record.events, ["initData"], "the same config is admitted");
  assert.ok(!w.calls.includes("reparse"));
});

test("with no app running, a new config is admitted and Streamlit parses it anew", async () => {
  const w = fakeWorker();
  const first = w.connect("one");
  first.send(init());
  first.send({ type: "stlite-docs:app", lock: "P1" });
  await tick();
  await w.boot("one");
  await w.release("P1");
  const next = w.connect("two");
  next.send(init({ ...CONFIG, "theme.base": "dark" }));
  await tick();
  assert.deepEqual(next.record.events, ["initData"]);
  assert.ok(w.calls.includes("reparse"));
});

test("requirements the runtime cannot meet are refused, naming them", async () => {
  const w = fakeWorker({ conflicts: ["packaging==21.0 (the shared runtime has packaging 24.2)"] });
  const app = w.connect("req");
  app.send(init(CONFIG, ["packaging==21.0"]));
  await tick();
  const error = app.posted.find((m) => m.type === "event:loadError")?.data.error;
  assert.match(error?.message, /packaging==21\.0 \(the shared runtime has packaging 24\.2\)/);
  assert.deepEqual(app.record.events, []);
});

test("before Streamlit is installed nothing is asked of Python", async () => {
  const w = fakeWorker({ installed: false });
  const app = w.connect("cold");
  app.send(init(CONFIG, ["six"]));
  await tick();
  assert.deepEqual(app.record.events, ["initData"]);
  assert.deepEqual(w.calls, []);
});

test("stats: apps running, apps started, what Python holds", async () => {
  const w = fakeWorker();
  const app = w.connect("one");
  app.send(init());
  await tick();
  await w.boot("one");
  const probe = w.connect("probe");
  probe.send({ type: "stlite-docs:stats" });
  await tick();
  const stats = probe.posted.find((m) => m.type === "stlite-docs:stats")?.data;
  assert.equal(stats.apps, 1);
  assert.equal(stats.started, 1);
  assert.deepEqual([stats.runtimes, stats.sessions], [1, 1]);
});

test("a dedicated worker's handler (no app id) is stlite's own", () => {
  const w = fakeWorker();
  /** @type {any[]} */
  const posted = [];
  w.stlite.X("pyodide", (m) => posted.push(m), undefined, undefined);
  assert.deepEqual(posted, [{ type: "event:envSetup" }]);
});

test("the packages requirements name, as PEP 503 normalizes them", () => {
  assert.deepEqual([...requirementNames(["Altair[all]>=5", "typing_extensions==4.1", " six", "./wheels/probe_pkg-1.0-py3-none-any.whl", "https://x/y/Zed.Pkg-2.0-py3-none-any.whl?v=1"])], ["altair", "typing-extensions", "six", "probe-pkg", "zed-pkg"]);
  assert.equal(requirementNames(undefined).size, 0);
});

test("an app that names a package another app is installing waits for it, then is checked", async () => {
  const w = fakeWorker();
  const first = w.connect("one");
  first.send(init(CONFIG, ["probe==1.0"]));
  await tick();
  const second = w.connect("two");
  second.send(init(CONFIG, ["probe==2.0"]));
  await tick();
  assert.deepEqual(second.record.events, [], "waits while the first installs");
  await w.boot("one");
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.deepEqual(second.record.events, ["initData"]);
  assert.ok(w.calls.includes("conflicts probe==2.0"), "checked against what is installed then");
});

test("ended apps shut down one after another, yielding to an app that starts booting", async () => {
  /** @type {(() => Promise<void>) | undefined} */
  let arrive;
  const w = fakeWorker({ retire: 30, onShutdown: async () => arrive?.() });
  for (const [id, lock] of [["one", "A"], ["two", "B"]]) {
    const app = w.connect(id);
    app.send(init());
    app.send({ type: "stlite-docs:app", lock });
    await tick();
    await w.boot(id);
  }
  // the reader's next page: its app connects while the first ended app shuts down
  arrive = async () => {
    arrive = undefined;
    w.connect("next").send(init());
    await tick(); // admitted: it boots
  };
  await w.release("A");
  await w.release("B");
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.ok(w.calls.includes("forget /home/pyodide/one"), "the first was shut down");
  assert.ok(!w.calls.includes("forget /home/pyodide/two"), "the second waits for the booting app");
  assert.equal(w.calls.filter((c) => c === "collect").length, 1, "one collection for the batch so far");
  await w.boot("next");
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.ok(w.calls.includes("forget /home/pyodide/two"), "then the rest");
});
