// @ts-check
/**
 * The warm runtime, inside stlite's shared worker: what lets one worker serve a reader's pages
 * one after another, so the next page's apps attach to a Python that is already up.
 *
 * The site serves stlite's worker script with this part appended (stlite_docs.worker_script
 * composes the file; entry.js binds stlite's names to it). stlite's worker gives every
 * connection (an app of some page) its own handler, home folder and Streamlit runtime, but
 * never ends one: an app whose page is gone stays in the worker, and Streamlit's config is
 * parsed once per worker. On top of it, this part
 *
 * - ends an app when its page lets it go: the page holds a Web Lock per app and names it on the
 *   app's connection ("stlite-docs:app"); the worker asks for the same lock, which it gets once
 *   the page releases it (the app unmounted, or the page left: pagehide, navigation, a closed
 *   tab). The app's Streamlit runtime then shuts down as stlite shuts one down, and its files,
 *   its modules and its folder on sys.path go;
 * - admits each app before stlite sees it (its initData): an app whose Streamlit config differs
 *   from that of the apps running on the worker, or whose requirements conflict with a package
 *   the worker has installed (another version), is refused with a load error the page knows
 *   (REFUSED): it then runs on a runtime of its own. With no app running, a new config is
 *   applied (Streamlit's config parsed again): each page gets its own;
 * - answers "stlite-docs:stats" (apps running, Streamlit runtimes alive, wasm memory) for the
 *   tests and the benchmark.
 *
 * Everything stlite does is left as it is: the handlers, the boot, the shutdown (`He`), the
 * connection's messages, in their order.
 */

/** What a connection hears first where Python is up already (early-worker.js WARM). */
const WARM = "stlite-docs:warm";

/** The start of the message of a load error this part sends for an app it does not admit. */
export const REFUSED = "stlite-docs: not on the shared runtime: ";

/**
 * How long an app whose config differs from the running apps' waits for them to end before it
 * is refused: a page's apps end as its successor's arrive (instant navigation swaps them in one
 * step), and the worker learns of it a moment later.
 */
export const GRACE_MS = 1500;

/**
 * How long an ended app's runtime is kept before it is shut down and its files removed, and
 * then only once no app is booting: the left page's apps end as the next page's start, and
 * shutting them down (Streamlit's runtime, a garbage collection: ~0.1-0.2 s of the one Python
 * thread) would delay those.
 */
export const RETIRE_MS = 2000;

/** The home folder stlite gives an app (its `Q`). */
export const home = (/** @type {string} */ appId) => `/home/pyodide/${appId}`;

/** @typedef {(msg: any, transfer?: Transferable[]) => void} Post */
/** @typedef {(event: {data: any, ports: readonly MessagePort[]}) => unknown} Handler */
/** @typedef {{boundAsgiApp?: {destroy?: () => void}, lifespanState?: unknown}} Asgi */
/**
 * @typedef {object} PyProxy
 * @property {() => any} toJs
 * @property {() => void} destroy
 */
/**
 * @typedef {object} Pyodide
 * @property {(code: string) => any} runPython
 * @property {(name: string) => any} pyimport
 * @property {(value: unknown) => any} toPy
 * @property {{HEAP8?: Int8Array}} [_module]
 */
/**
 * @typedef {object} Stlite stlite's worker, by the names of the pinned build (entry.js)
 * @property {(t: string, post: Post, n: unknown, appId?: string) => Handler} X a connection's
 *   handler
 * @property {(py: Pyodide, appId: string, entrypoint: string) => Promise<Asgi>} J boots an app
 * @property {(py: Pyodide, asgi: Asgi) => Promise<void>} He shuts an app down
 * @property {Promise<Pyodide> | null} pyodide Pyodide, once loading
 * @property {boolean} installed Streamlit and stlite's packages are installed
 */
/**
 * @typedef {object} Conn One connection: an app of a page, or a page's prewarm.
 * @property {string} appId
 * @property {"new" | "prewarm" | "refused" | "booting" | "live" | "failed" | "ended"} state
 * @property {string} [key] its Streamlit config (configKey)
 * @property {Asgi} [asgi] its app, once booted
 * @property {boolean} [ending] its page let it go
 * @property {Set<string>} [names] the packages its requirements name
 */

/**
 * The Python side, a module of its own in the worker (`stlite_docs_warm`), made once.
 * `conflicts`: requirements that an installed distribution does not satisfy (names, specifiers
 * and wheel URLs; anything it cannot read is micropip's business). `configure`: stlite's
 * configure_streamlit, made to parse Streamlit's config anew when asked (reparse), so that an
 * idle worker takes the next page's config (with the cached options cleared first, Streamlit
 * neither warns that server options changed nor keeps the old ones). `forget`: an ended app's
 * modules, sys.path entries and files. `runtimes`: Streamlit runtimes and sessions alive.
 */
const PYTHON = `
import sys, types
if "stlite_docs_warm" not in sys.modules:
    _m = types.ModuleType("stlite_docs_warm")
    exec('''
import gc, os, shutil, sys

def conflicts(requirements):
    from importlib.metadata import PackageNotFoundError, version
    from packaging.requirements import Requirement
    from packaging.utils import parse_wheel_filename
    from packaging.version import Version
    found = []
    for text in requirements:
        try:
            if text.split("?", 1)[0].endswith(".whl"):
                name, wanted, *_ = parse_wheel_filename(text.split("?", 1)[0].rsplit("/", 1)[-1])
                have = version(name)
                ok = Version(have) == wanted
            else:
                req = Requirement(text)
                name = req.name
                have = version(name)
                ok = req.specifier.contains(have, prereleases=True)
        except PackageNotFoundError:
            continue
        except Exception:
            continue
        if not ok:
            found.append(f"{text} (the shared runtime has {name} {have})")
    return found

reparse = False

def _patch():
    import stlite_lib.runtime_init as init
    original = init.configure_streamlit
    def configure_streamlit(streamlit_config=None, multi_runtime=False):
        global reparse
        if reparse:
            reparse = False
            import streamlit.config
            streamlit.config._config_options = None
        original(streamlit_config, multi_runtime)
    init.configure_streamlit = configure_streamlit

_patch()

def request_reparse():
    global reparse
    reparse = True

def _app_tasks(home):
    # the app's requests and its websocket (stlite_lib.asgi_app's call_asgi, bound to its home
    # folder): a websocket whose page is gone waits for a message forever, holding the app
    import asyncio
    found = []
    for task in asyncio.all_tasks(asyncio.get_event_loop()):
        frame = getattr(task.get_coro(), "cr_frame", None)
        if frame is not None and frame.f_locals.get("home_dir") == home:
            found.append(task)
    return found

def unimport(home):
    # at once when an app ends: the next page's app may import a module of the same name
    inside = home.rstrip("/") + "/"
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(inside):
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if p != home and not p.startswith(inside)]

def forget(home):
    for task in _app_tasks(home):
        task.cancel()
    unimport(home)
    inside = home.rstrip("/") + "/"
    if os.getcwd() == home or os.getcwd().startswith(inside):
        os.chdir("/home/pyodide")
    shutil.rmtree(home, ignore_errors=True)

def collect():
    # once per batch of ended apps, not per app: a collection takes ~0.1 s of the one thread
    gc.collect()

def runtimes():
    # by exact type: isinstance() asks some objects (proxies of JavaScript ones) for their
    # __class__, which can block
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    import asyncio
    kinds = [type(o) for o in gc.get_objects()]
    return [kinds.count(Runtime), kinds.count(AppSession), len(asyncio.all_tasks(asyncio.get_event_loop()))]
''', _m.__dict__)
    sys.modules["stlite_docs_warm"] = _m
`;

/** How long an app waits for another app that installs a package of the same name. */
const INSTALL_WAIT_MS = 30_000;

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The packages requirements name, normalized (PEP 503): `altair[all]>=5` and `Altair==5.3`
 * name `altair`, a wheel URL the project of its file name.
 * @param {string[] | undefined} requirements
 */
export function requirementNames(requirements) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const text of requirements || []) {
    const file = text.split(/[?#]/)[0];
    const name = file.endsWith(".whl") ? file.slice(file.lastIndexOf("/") + 1).split("-")[0] : text.match(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/)?.[1];
    if (name) names.add(name.toLowerCase().replace(/[-_.]+/g, "-"));
  }
  return names;
}

/**
 * A config as a comparable string: keys sorted, values as JSON.
 * @param {Record<string, unknown> | undefined} config
 */
export const configKey = (config) =>
  JSON.stringify(Object.keys(config || {}).sort().map((k) => [k, /** @type {any} */ (config)[k]]));

/**
 * The prewarm's Streamlit config (a page's "stlite-docs:prewarm", early-worker.js, becomes
 * stlite's initData with it). stlite's worker computes `String(config["logger.level"] ??
 * "INFO")` right after importing `streamlit.runtime` and before it sets up logging and
 * Streamlit's config (which must be the first app's, not the prewarm's). An own `toString`
 * that is not a function makes that step throw: the prewarm ends there (a loadError, by
 * design), with Pyodide loaded, the system packages installed and Streamlit imported.
 */
export const PREWARM_CONFIG = { "logger.level": { toString: 0 } };

/**
 * The prewarm's config (PREWARM_CONFIG): its logger.level is an object.
 * @param {Record<string, unknown> | undefined} config
 */
export const isPrewarm = (config) => typeof config?.["logger.level"] === "object";

/**
 * Install the warm runtime on stlite's worker.
 * @param {Stlite} stlite
 * @param {{locks?: {request: (name: string, grant: () => unknown) => Promise<unknown>}}} navigator
 *   the worker's (its Web Locks)
 * @param {{grace?: number, retire?: number}} [delays] GRACE_MS, RETIRE_MS
 */
export function install(stlite, navigator, { grace = GRACE_MS, retire = RETIRE_MS } = {}) {
  /** @type {Map<string, Conn>} */
  const conns = new Map();
  /** The config Streamlit was last given for an app (configKey). */
  let runtimeKey = /** @type {string | undefined} */ (undefined);
  /** Admissions, one after another: each sees what the ones before decided. */
  let admissions = Promise.resolve(/** @type {string | undefined} */ (undefined));
  let started = 0;

  /** @returns {Promise<Pyodide | undefined>} Python, if it is up with stlite's packages. */
  /** @type {any} the Python side (PYTHON), once made */
  let module;
  async function python() {
    if (!stlite.installed || !stlite.pyodide) return;
    const py = await stlite.pyodide;
    if (!module) {
      py.runPython(PYTHON);
      module = py.pyimport("stlite_docs_warm");
    }
    return { py, module };
  }

  const running = () => [...conns.values()].filter((c) => (c.state === "booting" || c.state === "live") && !c.ending);
  /** @type {(() => void)[]} */
  let waiting = [];
  /** @param {number} ms @returns {Promise<void>} once no app runs, or after `ms` */
  const idle = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      waiting.push(() => (clearTimeout(timer), resolve()));
    });
  const ended = () => {
    if (running().length) return;
    const wake = waiting;
    waiting = [];
    wake.forEach((f) => f());
  };

  /**
   * Whether an app may start here; undefined if so (then it counts as booting), else why not.
   * @param {Conn} conn
   * @param {{streamlitConfig?: Record<string, unknown>, requirements?: string[]}} init
   */
  async function decide(conn, init) {
    if (isPrewarm(init.streamlitConfig)) {
      conn.state = "prewarm";
      return;
    }
    if (conn.ending) return "its page let it go before it started";
    const key = configKey(init.streamlitConfig);
    if (key !== runtimeKey && running().length) {
      // the apps of a page the reader has just left may still be on their way out
      await idle(grace);
      if (running().length) return "its Streamlit config differs from that of the apps running there";
    }
    // an app still installing a package of the same name: its version decides
    const names = requirementNames(init.requirements);
    const installing = () => running().some((c) => c !== conn && c.state === "booting" && [...(c.names || [])].some((n) => names.has(n)));
    for (const until = Date.now() + INSTALL_WAIT_MS; names.size && installing() && Date.now() < until; ) await sleep(100);
    const up = await python();
    if (up) {
      const requirements = init.requirements || [];
      if (requirements.length) {
        const found = up.module.conflicts(up.py.toPy(requirements));
        const list = /** @type {string[]} */ (found.toJs());
        found.destroy();
        if (list.length) return `its requirements conflict with packages installed there: ${list.join("; ")}`;
      }
      // idle with another config: Streamlit parses the new one when this app configures it
      if (runtimeKey !== undefined && key !== runtimeKey) up.module.request_reparse();
    }
    runtimeKey = key;
    conn.key = key;
    conn.names = names;
    conn.state = "booting";
    conns.set(conn.appId, conn); // the apps the worker runs, by stlite's id for them
    started++;
  }

  /**
   * End an app whose page let it go: at once if it is up, else once its boot is over.
   * @param {Conn} conn
   */
  async function end(conn) {
    conn.ending = true;
    ended();
    if (conn.state === "booting" || conn.state === "ended") return; // see post below
    const { state } = conn;
    conn.state = "ended";
    conns.delete(conn.appId);
    if (state !== "live" && state !== "failed") return;
    const up = await python();
    up?.module.unimport(home(conn.appId));
    retiring.push(conn);
    if (!retiringSoon) {
      retiringSoon = true;
      setTimeout(retireAll, retire, Date.now() + 5 * retire);
    }
  }

  /** Apps ended but not yet shut down (RETIRE_MS). */
  /** @type {Conn[]} */
  const retiring = [];
  /** Whether retireAll is due. */
  let retiringSoon = false;
  /**
   * Shut the ended apps down and forget their files, once no app is booting (or by `until`).
   * @param {number} until
   */
  async function retireAll(until) {
    const booting = () => [...conns.values()].some((c) => c.state === "booting");
    if (booting() && Date.now() < until) return void setTimeout(retireAll, 100, until);
    const up = await python();
    // the apps ended by now; those that end meanwhile wait their RETIRE_MS, as the first did
    const batch = retiring.length;
    let done = 0;
    for (; done < batch; done++) {
      // an app that starts booting meanwhile (the reader went on) goes first: the rest wait
      if (done && booting() && Date.now() < until) break;
      const { appId, asgi } = /** @type {Conn} */ (retiring.shift());
      try {
        if (!up) continue;
        if (asgi) {
          await stlite.He(up.py, asgi);
          asgi.boundAsgiApp?.destroy?.();
        }
        up.module.forget(home(appId));
      } catch (e) {
        console.warn("stlite-docs: an app did not end cleanly", e);
      }
    }
    if (up && done) up.module.collect();
    retired += done;
    if (retiring.length) setTimeout(retireAll, retire, Date.now() + 5 * retire);
    else retiringSoon = false;
  }
  let retired = 0;

  /** @param {Conn} conn @param {unknown} lock the page's lock for the app */
  function watch(conn, lock) {
    if (typeof lock !== "string" || !navigator.locks) return;
    navigator.locks.request(lock, () => end(conn)).catch(() => {});
  }

  async function stats() {
    const py = await python().catch(() => undefined);
    /** @type {number[] | undefined} */
    let alive;
    if (py) {
      const counted = py.module.runtimes();
      alive = counted.toJs();
      counted.destroy();
    }
    return {
      apps: running().length,
      started,
      retired,
      retiring: retiring.length,
      held: conns.size,
      pyodide: !!py,
      wasmBytes: py?.py._module?.HEAP8?.buffer.byteLength ?? 0,
      runtimes: alive?.[0],
      sessions: alive?.[1],
      tasks: alive?.[2],
      config: runtimeKey,
    };
  }

  const realX = stlite.X;
  stlite.X = (t, post, n, appId) => {
    if (appId === undefined) return realX(t, post, n, appId); // a dedicated worker: one app
    /** @type {Conn} */
    const conn = { appId, state: "new" };
    /** @type {Post} */
    const watched = (msg, transfer) => {
      const type = msg?.type;
      if ((type === "event:loadFinished" || type === "event:loadError") && conn.state === "booting") {
        conn.state = type === "event:loadFinished" ? "live" : "failed";
        if (conn.ending) end(conn);
      }
      post(msg, transfer);
    };
    // first, where Python is up already: the page's loader (early-worker.js WARM) loads
    // stlite at once, and lets the page's first app go ahead of the others (steer.js)
    if (stlite.installed) post({ type: WARM });
    const handler = realX(t, watched, n, appId);
    let gate = Promise.resolve();
    return (event) => {
      let data = event.data;
      let type = data?.type;
      if (type === "stlite-docs:app") return watch(conn, data.lock);
      if (type === "stlite-docs:stats") return void stats().then((s) => post({ type: "stlite-docs:stats", data: s }));
      if (type === "stlite-docs:prewarm") {
        // a warm worker needs none
        if (stlite.installed) return;
        const { pyodideUrl, wheels } = data;
        data = { type: "initData", data: { files: {}, archives: [], requirements: [], prebuiltPackageNames: [], pyodideUrl, wheels, streamlitConfig: PREWARM_CONFIG } };
        event = { data, ports: [] };
        type = data.type;
      }
      if (type === "initData") {
        const decided = (admissions = admissions.then(() => decide(conn, data.data || {})).catch((e) => `${e}`));
        gate = gate.then(async () => {
          const refusal = await decided;
          if (refusal === undefined) return void handler(event);
          conn.state = "refused";
          post({ type: "event:loadError", data: { error: new Error(REFUSED + refusal) } });
        });
        return;
      }
      gate = gate.then(() => {
        if (conn.state !== "refused") handler(event);
      });
    };
  };

  const realJ = stlite.J;
  stlite.J = async (py, appId, entrypoint) => {
    const asgi = await realJ(py, appId, entrypoint);
    const conn = conns.get(appId);
    if (conn) conn.asgi = asgi;
    return asgi;
  };
}
