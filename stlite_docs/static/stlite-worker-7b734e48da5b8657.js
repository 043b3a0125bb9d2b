function le(t) {
  return t && t.__esModule && Object.prototype.hasOwnProperty.call(t, "default") ? t.default : t;
}
var x, $;
function de() {
  if ($) return x;
  $ = 1;
  function t(r) {
    if (typeof r != "string")
      throw new TypeError("Path must be a string. Received " + JSON.stringify(r));
  }
  function s(r, e) {
    for (var o = "", c = 0, i = -1, p = 0, a, g = 0; g <= r.length; ++g) {
      if (g < r.length)
        a = r.charCodeAt(g);
      else {
        if (a === 47)
          break;
        a = 47;
      }
      if (a === 47) {
        if (!(i === g - 1 || p === 1)) if (i !== g - 1 && p === 2) {
          if (o.length < 2 || c !== 2 || o.charCodeAt(o.length - 1) !== 46 || o.charCodeAt(o.length - 2) !== 46) {
            if (o.length > 2) {
              var y = o.lastIndexOf("/");
              if (y !== o.length - 1) {
                y === -1 ? (o = "", c = 0) : (o = o.slice(0, y), c = o.length - 1 - o.lastIndexOf("/")), i = g, p = 0;
                continue;
              }
            } else if (o.length === 2 || o.length === 1) {
              o = "", c = 0, i = g, p = 0;
              continue;
            }
          }
          e && (o.length > 0 ? o += "/.." : o = "..", c = 2);
        } else
          o.length > 0 ? o += "/" + r.slice(i + 1, g) : o = r.slice(i + 1, g), c = g - i - 1;
        i = g, p = 0;
      } else a === 46 && p !== -1 ? ++p : p = -1;
    }
    return o;
  }
  function n(r, e) {
    var o = e.dir || e.root, c = e.base || (e.name || "") + (e.ext || "");
    return o ? o === e.root ? o + c : o + r + c : c;
  }
  var l = {
    // path.resolve([from ...], to)
    resolve: function() {
      for (var e = "", o = !1, c, i = arguments.length - 1; i >= -1 && !o; i--) {
        var p;
        i >= 0 ? p = arguments[i] : (c === void 0 && (c = process.cwd()), p = c), t(p), p.length !== 0 && (e = p + "/" + e, o = p.charCodeAt(0) === 47);
      }
      return e = s(e, !o), o ? e.length > 0 ? "/" + e : "/" : e.length > 0 ? e : ".";
    },
    normalize: function(e) {
      if (t(e), e.length === 0) return ".";
      var o = e.charCodeAt(0) === 47, c = e.charCodeAt(e.length - 1) === 47;
      return e = s(e, !o), e.length === 0 && !o && (e = "."), e.length > 0 && c && (e += "/"), o ? "/" + e : e;
    },
    isAbsolute: function(e) {
      return t(e), e.length > 0 && e.charCodeAt(0) === 47;
    },
    join: function() {
      if (arguments.length === 0)
        return ".";
      for (var e, o = 0; o < arguments.length; ++o) {
        var c = arguments[o];
        t(c), c.length > 0 && (e === void 0 ? e = c : e += "/" + c);
      }
      return e === void 0 ? "." : l.normalize(e);
    },
    relative: function(e, o) {
      if (t(e), t(o), e === o || (e = l.resolve(e), o = l.resolve(o), e === o)) return "";
      for (var c = 1; c < e.length && e.charCodeAt(c) === 47; ++c)
        ;
      for (var i = e.length, p = i - c, a = 1; a < o.length && o.charCodeAt(a) === 47; ++a)
        ;
      for (var g = o.length, y = g - a, b = p < y ? p : y, d = -1, f = 0; f <= b; ++f) {
        if (f === b) {
          if (y > b) {
            if (o.charCodeAt(a + f) === 47)
              return o.slice(a + f + 1);
            if (f === 0)
              return o.slice(a + f);
          } else p > b && (e.charCodeAt(c + f) === 47 ? d = f : f === 0 && (d = 0));
          break;
        }
        var _ = e.charCodeAt(c + f), R = o.charCodeAt(a + f);
        if (_ !== R)
          break;
        _ === 47 && (d = f);
      }
      var C = "";
      for (f = c + d + 1; f <= i; ++f)
        (f === i || e.charCodeAt(f) === 47) && (C.length === 0 ? C += ".." : C += "/..");
      return C.length > 0 ? C + o.slice(a + d) : (a += d, o.charCodeAt(a) === 47 && ++a, o.slice(a));
    },
    _makeLong: function(e) {
      return e;
    },
    dirname: function(e) {
      if (t(e), e.length === 0) return ".";
      for (var o = e.charCodeAt(0), c = o === 47, i = -1, p = !0, a = e.length - 1; a >= 1; --a)
        if (o = e.charCodeAt(a), o === 47) {
          if (!p) {
            i = a;
            break;
          }
        } else
          p = !1;
      return i === -1 ? c ? "/" : "." : c && i === 1 ? "//" : e.slice(0, i);
    },
    basename: function(e, o) {
      if (o !== void 0 && typeof o != "string") throw new TypeError('"ext" argument must be a string');
      t(e);
      var c = 0, i = -1, p = !0, a;
      if (o !== void 0 && o.length > 0 && o.length <= e.length) {
        if (o.length === e.length && o === e) return "";
        var g = o.length - 1, y = -1;
        for (a = e.length - 1; a >= 0; --a) {
          var b = e.charCodeAt(a);
          if (b === 47) {
            if (!p) {
              c = a + 1;
              break;
            }
          } else
            y === -1 && (p = !1, y = a + 1), g >= 0 && (b === o.charCodeAt(g) ? --g === -1 && (i = a) : (g = -1, i = y));
        }
        return c === i ? i = y : i === -1 && (i = e.length), e.slice(c, i);
      } else {
        for (a = e.length - 1; a >= 0; --a)
          if (e.charCodeAt(a) === 47) {
            if (!p) {
              c = a + 1;
              break;
            }
          } else i === -1 && (p = !1, i = a + 1);
        return i === -1 ? "" : e.slice(c, i);
      }
    },
    extname: function(e) {
      t(e);
      for (var o = -1, c = 0, i = -1, p = !0, a = 0, g = e.length - 1; g >= 0; --g) {
        var y = e.charCodeAt(g);
        if (y === 47) {
          if (!p) {
            c = g + 1;
            break;
          }
          continue;
        }
        i === -1 && (p = !1, i = g + 1), y === 46 ? o === -1 ? o = g : a !== 1 && (a = 1) : o !== -1 && (a = -1);
      }
      return o === -1 || i === -1 || // We saw a non-dot character immediately before the dot
      a === 0 || // The (right-most) trimmed path component is exactly '..'
      a === 1 && o === i - 1 && o === c + 1 ? "" : e.slice(o, i);
    },
    format: function(e) {
      if (e === null || typeof e != "object")
        throw new TypeError('The "pathObject" argument must be of type Object. Received type ' + typeof e);
      return n("/", e);
    },
    parse: function(e) {
      t(e);
      var o = { root: "", dir: "", base: "", ext: "", name: "" };
      if (e.length === 0) return o;
      var c = e.charCodeAt(0), i = c === 47, p;
      i ? (o.root = "/", p = 1) : p = 0;
      for (var a = -1, g = 0, y = -1, b = !0, d = e.length - 1, f = 0; d >= p; --d) {
        if (c = e.charCodeAt(d), c === 47) {
          if (!b) {
            g = d + 1;
            break;
          }
          continue;
        }
        y === -1 && (b = !1, y = d + 1), c === 46 ? a === -1 ? a = d : f !== 1 && (f = 1) : a !== -1 && (f = -1);
      }
      return a === -1 || y === -1 || // We saw a non-dot character immediately before the dot
      f === 0 || // The (right-most) trimmed path component is exactly '..'
      f === 1 && a === y - 1 && a === g + 1 ? y !== -1 && (g === 0 && i ? o.base = o.name = e.slice(1, y) : o.base = o.name = e.slice(g, y)) : (g === 0 && i ? (o.name = e.slice(1, a), o.base = e.slice(1, y)) : (o.name = e.slice(g, a), o.base = e.slice(g, y)), o.ext = e.slice(a, y)), g > 0 ? o.dir = e.slice(0, g - 1) : i && (o.dir = "/"), o;
    },
    sep: "/",
    delimiter: ":",
    win32: null,
    posix: null
  };
  return l.posix = l, x = l, x;
}
var ue = de(), I = /* @__PURE__ */ le(ue);
const K = "/home/pyodide", Q = (t) => `${K}/${t}`, F = (t, s) => t == null ? I.resolve(K, s) : I.resolve(Q(t), s);
function V(t, s) {
  const n = I.normalize(s), r = I.dirname(n).split(/(?=\/)/);
  let e = "";
  for (const o of r) {
    e += o;
    const c = t.FS.analyzePath(e);
    if (c.exists && c.object) {
      if (!t.FS.isDir(c.object.mode))
        throw new Error(`"${e}" already exists and is not a directory.`);
      continue;
    }
    try {
      t.FS.mkdir(e);
    } catch (i) {
      throw console.error(`Failed to create a directory "${e}"`), i;
    }
  }
}
function Y(t, s, n, l) {
  V(t, s), t.FS.writeFile(s, n, l);
}
function pe(t, s, n) {
  V(t, n), t.FS.rename(s, n);
}
const fe = "[", me = "(<=>!~", he = ";", ge = "@", ye = new RegExp(`[${fe + me + he + ge}]`);
function be(t) {
  return t.split(ye)[0].trim();
}
function U(t) {
  return t.forEach((n) => {
    let l;
    try {
      l = new URL(n);
    } catch {
      return;
    }
    if (l.protocol === "emfs:" || l.protocol === "file:")
      throw new Error(`"emfs:" and "file:" protocols are not allowed for the requirement (${n})`);
  }), t.filter((n) => be(n) === "streamlit" ? (console.warn(`Streamlit is specified in the requirements ("${n}"), but it will be ignored. A built-in version of Streamlit will be used.`), !1) : !0);
}
async function we(t) {
  const s = typeof process < "u" && process.versions?.node;
  let n;
  s ? n = (await import(
    /* webpackIgnore: true */
    "./__vite-browser-external-CPvbk0mb.js"
  )).sep : n = "/";
  const l = t.slice(0, t.lastIndexOf(n) + 1);
  if (t.endsWith(".mjs")) {
    if (s) {
      const r = await import(
        /* webpackIgnore: true */
        "./__vite-browser-external-CPvbk0mb.js"
      ), e = await import(
        /* webpackIgnore: true */
        "./__vite-browser-external-CPvbk0mb.js"
      );
      !t.includes("://") && r.isAbsolute(t) && (t = e.pathToFileURL(t).href);
    }
    return {
      scriptURL: t,
      pyodideIndexURL: l,
      isESModule: !0
    };
  } else
    return {
      scriptURL: t,
      pyodideIndexURL: l,
      isESModule: !1
    };
}
async function _e(t, s) {
  const { scriptURL: n, pyodideIndexURL: l, isESModule: r } = await we(t);
  let e;
  return r ? e = (await import(
    /* webpackIgnore: true */
    /* @vite-ignore */
    n
  )).loadPyodide : (importScripts(n), e = self.loadPyodide), e({ ...s, indexURL: l });
}
var ve = `# The single source of truth for the pyarrow shim. Stlite's Streamlit fork
# excludes the real pyarrow (not Pyodide-compatible), so \`import pyarrow\` must
# resolve to this stub: attribute access raises a clear "unsupported" error.
#
# This module is exec'd as the fake \`pyarrow\` module, so it must stay
# self-contained (no imports). It is consumed two ways:
#   - Cloudflare / server runtime: mock_pyarrow() (runtime_init.py) reads this
#     file's source and installs it via sys.modules.
#   - Browser worker: worker-runtime.ts imports this file's source (Vite \`?raw\`,
#     inlined at bundle time) and registers it with micropip before installing
#     packages.

__version__ = "0.0.1"


class Table:
    @classmethod
    def from_pandas(cls, *args, **kwargs):
        raise NotImplementedError("stlite does not support pyarrow.Table.from_pandas.")


class Array:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("stlite does not support this pyarrow type.")


class ChunkedArray:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("stlite does not support this pyarrow type.")
`;
function ke(t, s, n) {
  const l = t.pyimport("pyodide"), r = (a) => l.code.find_imports(a).toJs(), e = n.map((a) => r(a)), i = Array.from(new Set(e.flat())).filter((a) => !t.runPython(`__import__('importlib').util.find_spec('${a}')`)).map((a) => t._api._import_name_to_package_name.get(a)).filter((a) => a);
  if (i.length === 0)
    return Promise.resolve();
  const p = t.loadPackage(i);
  return s(i, p), p.then();
}
function Z(t, s, n) {
  const l = ke(t, s, n);
  t.runPython(`
def __set_module_auto_load_promise__(promise):
    from streamlit.runtime.scriptrunner import script_runner
    script_runner.moduleAutoLoadPromise = promise

__set_module_auto_load_promise__`)(l);
}
async function Se(t, s, n) {
  const { line: l, column: r } = n, e = t.Script(s);
  if (l > e._code_lines.length)
    return [];
  const o = e.complete.callKwargs({
    line: l,
    column: r,
    fuzzy: !1
  }), c = [];
  for (const i of o.toJs())
    c.push({
      name: i.name,
      type: i.$type,
      // PyProxy.type is overridden in Pyodide. We need to access it this way. Ref: https://github.com/pyodide/pyodide/issues/4032
      docstring: i.docstring.callKwargs({ raw: !0 }),
      complete: i.complete
    }), i.destroy();
  return c;
}
const ee = { version: "3.0", spec_version: "2.3" }, te = "1.1";
class Pe {
  items = [];
  waiters = [];
  enqueue(s) {
    const n = this.waiters.shift();
    n ? n(s) : this.items.push(s);
  }
  dequeue() {
    const s = this.items.shift();
    return s !== void 0 ? Promise.resolve(s) : new Promise((n) => {
      this.waiters.push(n);
    });
  }
}
function oe(t) {
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}
function Ae(t) {
  const s = new URL(t.path, "http://stlite.local"), n = Object.entries(t.headers).map(([l, r]) => [
    new TextEncoder().encode(l.toLowerCase()),
    new TextEncoder().encode(r)
  ]);
  return {
    type: "http",
    asgi: ee,
    http_version: te,
    method: t.method.toUpperCase(),
    scheme: "http",
    path: oe(s.pathname),
    raw_path: new TextEncoder().encode(s.pathname),
    query_string: new TextEncoder().encode(s.search.replace(/^\?/, "")),
    root_path: "",
    headers: n,
    client: ["stlite", 0],
    server: ["stlite", 80]
  };
}
function Ce(t) {
  return typeof t == "string" ? new TextEncoder().encode(t) : new Uint8Array(t);
}
function se(t) {
  return t && typeof t.toJs == "function" ? t.toJs({ dict_converter: Object.fromEntries }) : t;
}
async function q(t, s) {
  const n = Ae(s), l = Ce(s.body);
  let r = !1;
  const e = async () => r ? { type: "http.disconnect" } : (r = !0, {
    type: "http.request",
    body: l,
    more_body: !1
  });
  let o = 0;
  const c = new Headers(), i = [];
  await t(n, e, async (b) => {
    const d = se(b);
    if (d.type === "http.response.start") {
      o = d.status ?? 0;
      const f = d.headers ?? [];
      for (const [_, R] of f)
        c.append(B(_), B(R));
    } else if (d.type === "http.response.body") {
      const f = d.body;
      f && f.byteLength > 0 && i.push(f);
    }
  });
  const a = i.reduce((b, d) => b + d.byteLength, 0), g = new Uint8Array(a);
  let y = 0;
  for (const b of i)
    g.set(b, y), y += b.byteLength;
  return { statusCode: o, headers: c, body: g };
}
function Re(t) {
  const s = new URL(t.path, "ws://stlite.local"), n = Object.entries(t.headers ?? {}).map(([l, r]) => [
    new TextEncoder().encode(l.toLowerCase()),
    new TextEncoder().encode(r)
  ]);
  return {
    type: "websocket",
    asgi: ee,
    http_version: te,
    scheme: "ws",
    path: oe(s.pathname),
    raw_path: new TextEncoder().encode(s.pathname),
    query_string: new TextEncoder().encode(s.search.replace(/^\?/, "")),
    root_path: "",
    headers: n,
    client: ["stlite", 0],
    server: ["stlite", 80],
    subprotocols: t.subprotocols ?? []
  };
}
class Ee {
  asgiApp;
  scope;
  onServerSend;
  receiveQueue = new Pe();
  acceptedResolve;
  acceptedReject;
  acceptedPromise;
  appTask = null;
  closed = !1;
  constructor(s, n, l) {
    this.asgiApp = s, this.scope = n, this.onServerSend = l, this.acceptedPromise = new Promise((r, e) => {
      this.acceptedResolve = r, this.acceptedReject = e;
    });
  }
  start() {
    this.receiveQueue.enqueue({ type: "websocket.connect" });
    const s = () => this.receiveQueue.dequeue(), n = async (r) => {
      const e = se(r);
      if (e.type === "websocket.accept") {
        this.acceptedResolve(e.subprotocol ?? null);
        return;
      }
      e.type === "websocket.close" && !this.closed && this.acceptedReject(new Error(`WebSocket closed before accept (code=${e.code ?? "?"})`)), this.onServerSend(e);
    }, l = this.asgiApp(this.scope, s, n);
    return this.appTask = Promise.resolve(l), this.appTask.catch((r) => {
      this.acceptedReject(r);
    }), this.acceptedPromise;
  }
  postClientMessage(s) {
    if (this.closed)
      return;
    const n = typeof s == "string" ? { type: "websocket.receive", text: s } : { type: "websocket.receive", bytes: s };
    this.receiveQueue.enqueue(n);
  }
  async close(s = 1e3) {
    if (!this.closed && (this.closed = !0, this.receiveQueue.enqueue({ type: "websocket.disconnect", code: s }), this.appTask))
      try {
        await this.appTask;
      } catch {
      }
  }
}
function B(t) {
  return new TextDecoder("utf-8").decode(t);
}
const H = "_streamlit_xsrf", N = "X-XSRFtoken", Le = "/_stcore/upload_file";
function ne(t, s) {
  const n = s.toLowerCase();
  return Object.entries(t).find(([r]) => r.toLowerCase() === n)?.[1];
}
function Fe(t, s) {
  return ne(t, s) !== void 0;
}
function Te(t) {
  return t.split(/,(?=\s*[^;,]+=)/).map((s) => s.trim());
}
function Ie(t) {
  const n = t.getSetCookie?.();
  if (n)
    return n;
  const l = t.get("set-cookie");
  return l ? Te(l) : [];
}
function Me(t) {
  const s = t.split(";", 1)[0] ?? "", n = s.indexOf("=");
  return n <= 0 ? null : [
    s.slice(0, n).trim(),
    s.slice(n + 1).trim()
  ];
}
function W(t) {
  return t.method !== "PUT" && t.method !== "DELETE" ? !1 : new URL(t.path, "http://stlite.local").pathname.startsWith(Le);
}
class Oe {
  cookies = /* @__PURE__ */ new Map();
  clear() {
    this.cookies.clear();
  }
  storeFromResponse(s) {
    for (const n of Ie(s)) {
      const l = Me(n);
      if (!l)
        continue;
      const [r, e] = l;
      if (r === H && e === "") {
        this.cookies.delete(r);
        continue;
      }
      this.cookies.set(r, e);
    }
  }
  getCookieHeader() {
    return Array.from(this.cookies).map(([s, n]) => `${s}=${n}`).join("; ");
  }
  needsXsrfWarmup(s) {
    return W(s) && !this.cookies.get(H);
  }
  applyToRequest(s) {
    const n = this.getCookieHeader(), l = this.cookies.get(H);
    if (!n && !(l && W(s)))
      return s;
    const r = { ...s.headers };
    if (n) {
      const e = ne(r, "cookie");
      for (const o of Object.keys(r))
        o.toLowerCase() === "cookie" && delete r[o];
      r.Cookie = e ? `${e}; ${n}` : n;
    }
    return l && W(s) && !Fe(r, N) && (r[N] = l), {
      ...s,
      headers: r
    };
  }
}
let j = null, z = Promise.resolve(), D = !1;
async function xe(t, s, n, l, r) {
  const { files: e, archives: o, requirements: c, prebuiltPackageNames: i, wheels: p, installs: a, pyodideUrl: g = t, streamlitConfig: y, idbfsMountpoints: b, nodefsMountpoints: d, moduleAutoLoad: f, env: _, languageServer: R } = n, C = U(c);
  j ? (r("Pyodide is already loaded."), console.debug("Pyodide is already loaded.")) : (r("Loading Pyodide."), console.debug("Loading Pyodide."), j = _e(g, {
    stdout: console.log,
    stderr: console.error
  }), console.debug("Loaded Pyodide"));
  const v = (
    // XXX: `{ FS: any }` is a temporary workaround to fix the type error.
    await j
  );
  if (_) {
    console.debug("Setting environment variables", _);
    const h = v.pyimport("os");
    h.environ.update(v.toPy(_)), console.debug("Set environment variables", h.environ);
  }
  let L = !1;
  b && (L = !0, b.forEach((h) => {
    v.FS.mkdir(h), v.FS.mount(v.FS.filesystems.IDBFS, {}, h);
  }), await new Promise((h, k) => {
    v.FS.syncfs(!0, (A) => {
      A ? k(A) : h();
    });
  })), d && Object.entries(d).forEach(([h, k]) => {
    v.FS.mkdir(h), v.FS.mount(v.FS.filesystems.NODEFS, { root: k }, h);
  }), r("Mounting files.");
  const T = [];
  await Promise.all(Object.keys(e).map(async (h) => {
    const k = e[h];
    h = F(s, h);
    let A;
    "url" in k ? (console.debug(`Fetch a file from ${k.url}`), A = await fetch(k.url).then((E) => E.arrayBuffer()).then((E) => new Uint8Array(E))) : A = k.data, console.debug(`Write a file "${h}"`), Y(v, h, A, e.opts), h.endsWith(".py") && T.push(h);
  })), r("Unpacking archives."), await Promise.all(o.map(async (h) => {
    let k;
    "url" in h ? (console.debug(`Fetch an archive from ${h.url}`), k = await fetch(h.url).then((ce) => ce.arrayBuffer())) : k = h.buffer;
    const { format: A, options: E } = h;
    console.debug("Unpack an archive", { format: A, options: E }), v.unpackArchive(k, A, E);
  })), await v.loadPackage("micropip");
  const S = v.pyimport("micropip");
  S.add_mock_package.callKwargs("pyarrow", "0.0.1", {
    modules: v.toPy({ pyarrow: ve })
  }), r("Installing packages."), console.debug("Installing the prebuilt packages:", i), await v.loadPackage(i), console.debug("Installed the prebuilt packages");
  const M = async () => {
    console.debug("Installing the packages:", {
      requirements: C,
      systemPackagesInstalled: D
    });
    const h = [];
    D || (console.debug("System packages will be installed"), p && (h.push("protobuf>=7.34.1,<8"), h.push(p.streamlit), h.push(p.stliteLib)), R && h.push("jedi"));
    const k = [...h, ...C];
    console.debug("Installing the packages:", k), await S.install.callKwargs(k, { keep_going: !0 }), h.length > 0 && (console.debug("Installed the system packages"), D = !0), console.debug("Installed the packages");
  }, m = z.then(() => M());
  if (z = m.catch((h) => {
    console.error("Package installation failed:", h);
  }), await m, a && (console.debug("Installing the additional requirements"), await Promise.all(a.map(({ requirements: h, options: k }) => {
    const A = U(h);
    return console.debug("Installing the requirements:", A), S.install.callKwargs(A, k ?? {});
  }))), f) {
    const h = T.map((k) => v.FS.readFile(k, { encoding: "utf8" }));
    Z(v, l, h);
  }
  v.pyimport("importlib").invalidate_caches();
  const u = v.pyimport("stlite_lib.runtime_init");
  r("Loading streamlit package."), console.debug("Loading the Streamlit package"), u.preload_streamlit_runtime(), console.debug("Loaded the Streamlit package"), r("Setting up the loggers."), console.debug("Setting the loggers");
  const w = (h, k) => {
    h >= 40 ? console.error(k) : h >= 30 ? console.warn(k) : h >= 20 ? console.info(k) : console.debug(k);
  }, P = (y?.["logger.level"] ?? "INFO").toString(), ie = y?.["logger.messageFormat"] ?? "%(asctime)s %(message)s";
  if (u.disable_streamlit_logger_overrides(), u.setup_streamlit_logging_with_callback(P, ie, w), console.debug("Set the loggers"), r("Mocking some Streamlit functions for the browser environment."), console.debug("Mocking some Streamlit functions"), u.disable_runtime_message_cache(), console.debug("Mocked some Streamlit functions"), L) {
    r("Setting up the IndexedDB filesystem synchronizer."), console.debug("Setting up the IndexedDB filesystem synchronizer");
    let h = !1;
    const k = () => {
      console.debug("The script has finished. Syncing the filesystem."), h || (h = !0, v.FS.syncfs(!1, (E) => {
        h = !1, E && console.error(E);
      }));
    };
    (await v.runPython(`
def __setup_script_finished_callback__(callback):
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    def wrap_app_session_on_scriptrunner_event(original_method):
        def wrapped(self, *args, **kwargs):
            if "event" in kwargs:
                event = kwargs["event"]
                if event == ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS or event == ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN or event == ScriptRunnerEvent.SHUTDOWN:
                    callback()
            return original_method(self, *args, **kwargs)
        return wrapped

    AppSession._on_scriptrunner_event = wrap_app_session_on_scriptrunner_event(AppSession._on_scriptrunner_event)

__setup_script_finished_callback__`))(k), console.debug("Set up the IndexedDB filesystem synchronizer");
  }
  console.debug("Setting up the Streamlit configuration");
  const ae = s != null;
  u.configure_streamlit(v.toPy(y ?? {}), ae), console.debug("Set up the Streamlit configuration");
  let O;
  if (R) {
    r("Loading auto-completion engine."), console.debug("Loading Jedi");
    try {
      O = await v.pyimport("jedi"), console.debug("Loaded Jedi");
    } catch (h) {
      console.error("Failed to load Jedi:", h), O = void 0;
    }
  }
  return {
    pyodide: v,
    micropip: S,
    jedi: O,
    initData: n
  };
}
async function J(t, s, n) {
  const l = F(s, n);
  console.debug("Preparing the Streamlit environment");
  const { prepare: r } = t.pyimport("stlite_lib.bootstrap");
  r(l, []), console.debug("Prepared the Streamlit environment"), console.debug("Booting up the Streamlit ASGI app");
  const e = t.pyimport("stlite_lib.asgi_app"), [o, c, i] = await e.start_resident_app(l, s ? Q(s) : void 0);
  return e.bind_runtime_to_current_context(o), console.debug("Booted up the Streamlit ASGI app"), { boundAsgiApp: c, lifespanState: i };
}
async function He(t, s) {
  const { run_lifespan_shutdown: n } = t.pyimport("stlite_lib.asgi_app");
  await n(s.lifespanState), s.lifespanState.destroy();
}
function X(t, s, n, l) {
  function r(b) {
    s({
      type: "event:loadProgress",
      data: {
        message: b
      }
    });
  }
  const e = (b, d) => {
    const f = new MessageChannel();
    s({
      type: "event:moduleAutoLoad",
      data: {
        packagesToLoad: b
      }
    }, [f.port2]), d.then((_) => {
      f.port1.postMessage({
        type: "moduleAutoLoad:success",
        data: {
          loadedPackages: _
        }
      }), f.port1.close();
    }).catch((_) => {
      throw f.port1.postMessage({
        type: "moduleAutoLoad:error",
        error: _
      }), f.port1.close(), _;
    });
  };
  let o = null, c = null, i = null;
  const p = new Oe();
  async function a(b, d) {
    console.debug("stlite XSRF warmup before upload", { requestPath: d });
    const f = await q(b, p.applyToRequest({
      method: "GET",
      path: "/_stcore/health",
      headers: { host: "stlite.local" },
      body: ""
    }));
    p.storeFromResponse(f.headers), console.debug("stlite XSRF warmup response", {
      requestPath: d,
      statusCode: f.statusCode
    });
  }
  async function g(b, d) {
    p.needsXsrfWarmup(d) && await a(b, d.path);
    const f = p.applyToRequest(d), _ = await q(b, f);
    return p.storeFromResponse(_.headers), _;
  }
  const y = async (b) => {
    const d = b.data;
    if (d.type === "initData") {
      const m = d.data, u = {
        ...n,
        ...m
      };
      console.debug("Initial data", u), o = xe(t, l, u, e, r), o.then(({ pyodide: w }) => (r("Booting up the Streamlit server."), c = J(w, l, u.entrypoint), c)).then(() => {
        s({
          type: "event:loadFinished"
        });
      }).catch((w) => {
        console.error(w), s({
          type: "event:loadError",
          data: {
            error: w
          }
        });
      });
      return;
    }
    if (!o)
      throw new Error("Pyodide initialization has not been started yet.");
    if (!c)
      throw new Error("Streamlit ASGI app has not been started yet.");
    const f = await o, _ = f.pyodide, R = f.micropip, C = f.jedi, { moduleAutoLoad: v } = f.initData;
    let L = await c;
    const T = b.ports[0];
    function S(m) {
      T.postMessage(m);
    }
    function M(m) {
      if (m.type !== "websocket.send")
        return;
      const u = m.bytes;
      if (u) {
        const P = u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength);
        s({ type: "websocket:message", data: { payload: P } }, [P]);
        return;
      }
      const w = m.text;
      typeof w == "string" && s({ type: "websocket:message", data: { payload: w } });
    }
    try {
      switch (d.type) {
        case "reboot": {
          console.debug("Reboot the Streamlit server", d.data);
          const { entrypoint: m } = d.data;
          i && (await i.close(), i = null), await He(_, L), p.clear(), console.debug("Booting up the Streamlit ASGI app"), c = J(_, l, m), L = await c, console.debug("Booted up the Streamlit ASGI app"), S({
            type: "reply"
          });
          break;
        }
        case "websocket:connect": {
          console.debug("websocket:connect", d.data);
          const { path: m } = d.data, u = p.getCookieHeader();
          i && (await i.close(), i = null);
          const w = Re({
            path: m,
            headers: {
              host: "stlite.local",
              origin: "http://stlite.local",
              ...u ? { cookie: u } : {}
            }
          });
          i = new Ee(L.boundAsgiApp, w, M), await i.start(), S({
            type: "reply"
          });
          break;
        }
        case "websocket:send": {
          console.debug("websocket:send", d.data);
          const { payload: m } = d.data;
          i && i.postClientMessage(m);
          break;
        }
        case "http:request": {
          console.debug("http:request", d.data);
          const { request: m } = d.data;
          g(L.boundAsgiApp, m).then((u) => {
            S({
              type: "http:response",
              data: {
                response: {
                  statusCode: u.statusCode,
                  headers: new Map(u.headers.entries()),
                  body: u.body
                }
              }
            });
          }).catch((u) => {
            console.error("http:request dispatch failed", u), S({
              type: "http:response",
              data: {
                response: {
                  statusCode: 500,
                  headers: /* @__PURE__ */ new Map([
                    ["content-type", "text/plain; charset=utf-8"]
                  ]),
                  body: new TextEncoder().encode(`Internal server error: ${String(u)}`)
                }
              }
            });
          });
          break;
        }
        case "file:write": {
          const { path: m, data: u, opts: w } = d.data, P = F(l, m);
          v && typeof u == "string" && P.endsWith(".py") && (console.debug(`Auto install the requirements in ${P}`), Z(_, e, [u])), console.debug(`Write a file "${P}"`), Y(_, P, u, w), S({
            type: "reply"
          });
          break;
        }
        case "file:rename": {
          const { oldPath: m, newPath: u } = d.data, w = F(l, m), P = F(l, u);
          console.debug(`Rename "${w}" to ${P}`), pe(_, w, P), S({
            type: "reply"
          });
          break;
        }
        case "file:unlink": {
          const { path: m } = d.data, u = F(l, m);
          console.debug(`Remove "${u}`), _.FS.unlink(u), S({
            type: "reply"
          });
          break;
        }
        case "file:read": {
          const { path: m, opts: u } = d.data;
          console.debug(`Read "${m}"`);
          const w = _.FS.readFile(m, u);
          S({
            type: "reply:file:read",
            data: {
              content: w
            }
          });
          break;
        }
        case "install": {
          const { requirements: m, options: u } = d.data, w = U(m);
          console.debug("Install the requirements:", w), await R.install.callKwargs(w, u ?? {}).then(() => {
            console.debug("Successfully installed"), S({
              type: "reply"
            });
          });
          break;
        }
        case "setEnv": {
          const { env: m } = d.data;
          _.pyimport("os").environ.update(_.toPy(m)), console.debug("Successfully set the environment variables", m), S({
            type: "reply"
          });
          break;
        }
        case "code_completion": {
          if (!C)
            throw new Error("Jedi is not installed");
          const { code: m, line: u, column: w } = d.data, P = await Se(C, m, {
            line: u,
            column: w
          });
          S({
            type: "reply:code_completion",
            data: {
              codeCompletions: P
            }
          });
          break;
        }
        case "run_python": {
          const { code: m } = d.data;
          console.debug("Run python code", m);
          const u = await _.runPythonAsync(m);
          let w;
          u instanceof _.ffi.PyProxy ? (console.debug("The result is a PyProxy object"), w = u.toJs(), u.destroy(), console.debug("Converted the result to a JS object", w)) : (w = u, console.debug("The result is a JS primitive", w)), S({
            type: "reply:run_python",
            data: {
              result: w
            }
          });
          break;
        }
        case "add_mock_package": {
          const { name: m, version: u, modules: w, persistent: P } = d.data;
          console.debug("Add a mock package:", {
            name: m,
            version: u,
            modules: w,
            persistent: P
          }), R.add_mock_package.callKwargs({
            name: m,
            version: u,
            modules: _.toPy(w),
            persistent: P
          }), S({
            type: "reply"
          });
          break;
        }
      }
    } catch (m) {
      if (console.error(m), !(m instanceof Error))
        throw m;
      const u = new Error(m.message);
      u.name = m.name, u.stack = m.stack, S({
        type: "reply",
        error: u
      });
    }
  };
  return s({
    type: "event:envSetup"
  }), y;
}
const re = "abcdefghijklmnopqrstuvwxyz", We = re.length;
function je(t) {
  let s = "";
  for (let n = 0; n < t; n++) {
    const l = Math.floor(Math.random() * We);
    s += re[l];
  }
  return s;
}
const G = "https://cdn.jsdelivr.net/pyodide/v0.29.3/full/pyodide.mjs";
if ("postMessage" in self)
  self.onmessage = X(G, (t, s) => s ? self.postMessage(t, s) : self.postMessage(t));
else {
  const t = [];
  self.onconnect = (s) => {
    let n;
    do
      n = je(4);
    while (t.includes(n));
    t.push(n), console.debug("SharedWorker mode.", { appId: n });
    const l = s.ports[0];
    l.onmessage = X(G, (r, e) => e ? l.postMessage(r, e) : l.postMessage(r), void 0, n), l.start();
  };
}
//# sourceMappingURL=worker-CAWDgJOP.js.map
