// In-page measurement of one theme-matrix cell (tests/theme_matrix.py): every number the
// matrix asserts, read the way a reader sees it (sizes times any CSS zoom, colours as painted
// behind the box). Evaluated by Playwright as a function expression.
() => {
  const rgb = (t) => (t.match(/[\d.]+/g) || []).map(Number);
  const backdrop = (el) => {
    let layers = [];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      const a = c.length > 3 ? c[3] : 1;
      if (c.length && a > 0) layers.push([c[0], c[1], c[2], a]);
      if (c.length && a >= 1) break;
    }
    return layers.reduceRight((u, t) => [0, 1, 2].map((i) => t[i] * t[3] + u[i] * (1 - t[3])),
                              [255, 255, 255]);
  };
  const size = (el) => el ? parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom || 1)
                          : null;
  const apps = [...document.querySelectorAll('.stlite-docs-app')];
  const pageP = [...document.querySelectorAll('p')].find(
    (p) => !p.closest('.stlite-docs-block, .stlite-docs-app') && p.textContent.includes('prose'));
  const pagePre = [...document.querySelectorAll('pre')].find(
    (p) => !p.closest('.stlite-docs-block, .stlite-docs-app'));
  const pageCode = pagePre && (pagePre.querySelector('code') || pagePre);
  const byText = (root, text) => [...root.querySelectorAll('[data-testid=stMarkdownContainer] p')]
    .find((p) => p.textContent.trim() === text);
  const cell = (app) => {
    const box = app.getBoundingClientRect();
    const inner = box.top + app.clientTop;
    const main = app.querySelector('[data-testid=stMain]');
    const blocks = [...app.querySelectorAll('[data-testid=stMainBlockContainer] [data-testid=stElementContainer]')];
    const first = blocks[0] && blocks[0].getBoundingClientRect();
    const app_bg = rgb(getComputedStyle(app.querySelector('[data-testid=stApp]')).backgroundColor);
    const page_bg = backdrop(app);
    return {
      box_height: box.height, box_top: box.top, box_bottom: box.bottom - app.clientTop,
      first_top: first ? first.top - inner : null,
      main_scroll: main ? [main.scrollTop, main.scrollHeight, main.clientHeight] : null,
      scrollbar: main ? getComputedStyle(main).scrollbarColor : null,
      bg_distance: Math.hypot(...[0, 1, 2].map((i) => app_bg[i] - page_bg[i])),
      app_bg, page_bg, zoom: app.querySelector('.stlite-docs-mount').currentCSSZoom || 1,
    };
  };
  const tall = apps[0], widgets = apps[2], editor = apps[3];
  const last = byText(tall, 'line 30 of 30');
  const lastBox = last.getBoundingClientRect();
  const lineHeight = parseFloat(getComputedStyle(last).lineHeight) * (last.currentCSSZoom || 1);
  const blockPad = parseFloat(getComputedStyle(
    tall.querySelector('[data-testid=stMainBlockContainer]')).paddingBottom) * (last.currentCSSZoom || 1);
  const appCode = widgets.querySelector('[data-testid=stCode] code');
  const run = editor.closest('.stlite-docs-block').querySelector('.stlite-docs-run');
  const area = editor.closest('.stlite-docs-block').querySelector('.stlite-docs-editor .cm-content, textarea');
  const runStyle = getComputedStyle(run);
  return {
    page: { text: size(pageP), code: size(pageCode), line_height: parseFloat(getComputedStyle(pageP).lineHeight),
            code_font: pageCode && getComputedStyle(pageCode).fontFamily },
    tall: { ...cell(tall), last_bottom: lastBox.bottom, line_height: lineHeight, block_padding: blockPad,
            text: size(last) },
    fixed: cell(apps[1]),
    widgets: { ...cell(widgets), code: size(appCode) },
    editor: { run_bg: rgb(runStyle.backgroundColor), run_fg: rgb(runStyle.color),
              run_visible: run.offsetWidth > 0 && run.offsetHeight > 0,
              page_bg: backdrop(run), area_size: size(area), area_font: getComputedStyle(area).fontFamily },
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    // What the apps add to it: the same without them (a theme may overflow on its own).
    overflow_from_apps: (() => {
      const root = document.documentElement, withApps = root.scrollWidth;
      const ours = [...document.querySelectorAll('.stlite-docs-block, .stlite-docs-app')];
      ours.forEach((el) => { el.dataset.display = el.style.display; el.style.display = 'none'; });
      const without = root.scrollWidth;
      ours.forEach((el) => { el.style.display = el.dataset.display; delete el.dataset.display; });
      return withApps - without;
    })(),
    apps_outside: apps.filter((a) => { const r = a.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth + 0.5; }).length,
    viewport: innerWidth,
  };
}
