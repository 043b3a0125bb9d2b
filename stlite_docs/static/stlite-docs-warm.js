"use strict";(()=>{var W="stlite-docs:warm",z="stlite-docs: not on the shared runtime: ";var P=s=>`/home/pyodide/${s}`,G=`
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
`;var $=s=>new Promise(l=>setTimeout(l,s));function K(s){let l=new Set;for(let k of s||[]){let u=k.split(/[?#]/)[0],m=u.endsWith(".whl")?u.slice(u.lastIndexOf("/")+1).split("-")[0]:k.match(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/)?.[1];m&&l.add(m.toLowerCase().replace(/[-_.]+/g,"-"))}return l}var U=s=>JSON.stringify(Object.keys(s||{}).sort().map(l=>[l,s[l]])),V={"logger.level":{toString:0}},Z=s=>typeof s?.["logger.level"]=="object";function M(s,l,{grace:k=1500,retire:u=2e3}={}){let m=new Map,h,S=Promise.resolve(void 0),T=0,v;async function b(){if(!s.installed||!s.pyodide)return;let e=await s.pyodide;return v||(e.runPython(G),v=e.pyimport("stlite_docs_warm")),{py:e,module:v}}let _=()=>[...m.values()].filter(e=>(e.state==="booting"||e.state==="live")&&!e.ending),x=[],F=e=>new Promise(t=>{let o=setTimeout(t,e);x.push(()=>(clearTimeout(o),t()))}),I=()=>{if(_().length)return;let e=x;x=[],e.forEach(t=>t())};async function C(e,t){if(Z(t.streamlitConfig)){e.state="prewarm";return}if(e.ending)return"its page let it go before it started";let o=U(t.streamlitConfig);if(o!==h&&_().length&&(await F(k),_().length))return"its Streamlit config differs from that of the apps running there";let r=K(t.requirements),n=()=>_().some(i=>i!==e&&i.state==="booting"&&[...i.names||[]].some(a=>r.has(a)));for(let i=Date.now()+3e4;r.size&&n()&&Date.now()<i;)await $(100);let d=await b();if(d){let i=t.requirements||[];if(i.length){let a=d.module.conflicts(d.py.toPy(i)),c=a.toJs();if(a.destroy(),c.length)return`its requirements conflict with packages installed there: ${c.join("; ")}`}h!==void 0&&o!==h&&d.module.request_reparse()}h=o,e.key=o,e.names=r,e.state="booting",m.set(e.appId,e),T++}async function A(e){if(e.ending=!0,I(),e.state==="booting"||e.state==="ended")return;let{state:t}=e;if(e.state="ended",m.delete(e.appId),t!=="live"&&t!=="failed")return;(await b())?.module.unimport(P(e.appId)),y.push(e),q||(q=!0,setTimeout(E,u,Date.now()+5*u))}let y=[],q=!1;async function E(e){let t=()=>[...m.values()].some(d=>d.state==="booting");if(t()&&Date.now()<e)return void setTimeout(E,100,e);let o=await b(),r=y.length,n=0;for(;n<r&&!(n&&t()&&Date.now()<e);n++){let{appId:d,asgi:i}=y.shift();try{if(!o)continue;i&&(await s.He(o.py,i),i.boundAsgiApp?.destroy?.()),o.module.forget(P(d))}catch(a){console.warn("stlite-docs: an app did not end cleanly",a)}}o&&n&&o.module.collect(),N+=n,y.length?setTimeout(E,u,Date.now()+5*u):q=!1}let N=0;function H(e,t){typeof t!="string"||!l.locks||l.locks.request(t,()=>A(e)).catch(()=>{})}async function L(){let e=await b().catch(()=>{}),t;if(e){let o=e.module.runtimes();t=o.toJs(),o.destroy()}return{apps:_().length,started:T,retired:N,retiring:y.length,held:m.size,pyodide:!!e,wasmBytes:e?.py._module?.HEAP8?.buffer.byteLength??0,runtimes:t?.[0],sessions:t?.[1],tasks:t?.[2],config:h}}let R=s.X;s.X=(e,t,o,r)=>{if(r===void 0)return R(e,t,o,r);let n={appId:r,state:"new"},d=(c,p)=>{let f=c?.type;(f==="event:loadFinished"||f==="event:loadError")&&n.state==="booting"&&(n.state=f==="event:loadFinished"?"live":"failed",n.ending&&A(n)),t(c,p)};s.installed&&t({type:W});let i=R(e,d,o,r),a=Promise.resolve();return c=>{let p=c.data,f=p?.type;if(f==="stlite-docs:app")return H(n,p.lock);if(f==="stlite-docs:stats")return void L().then(w=>t({type:"stlite-docs:stats",data:w}));if(f==="stlite-docs:prewarm"){if(s.installed)return;let{pyodideUrl:w,wheels:g}=p;p={type:"initData",data:{files:{},archives:[],requirements:[],prebuiltPackageNames:[],pyodideUrl:w,wheels:g,streamlitConfig:V}},c={data:p,ports:[]},f=p.type}if(f==="initData"){let w=S=S.then(()=>C(n,p.data||{})).catch(g=>`${g}`);a=a.then(async()=>{let g=await w;if(g===void 0)return void i(c);n.state="refused",t({type:"event:loadError",data:{error:new Error(z+g)}})});return}a=a.then(()=>{n.state!=="refused"&&i(c)})}};let O=s.J;s.J=async(e,t,o)=>{let r=await O(e,t,o),n=m.get(t);return n&&(n.asgi=r),r}}M({get X(){return X},set X(s){X=s},get J(){return J},set J(s){J=s},get He(){return He},set He(s){He=s},get pyodide(){return j},get installed(){return D}},self.navigator);})();
