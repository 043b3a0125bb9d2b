// mystmd's "render" step for a theme without a server: reads the built site from mystmd's
// content server (CONTENT_CDN) and writes static pages into BUILD_DIRECTORY, each loading the
// client bundle (dist/theme.js) and carrying its page's AST as JSON.
import fs from "node:fs";
import path from "node:path";

const cdn = process.env.CONTENT_CDN;
const out = process.env.BUILD_DIRECTORY;
const get = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response;
};
const config = await (await get(`${cdn}/config.json`)).json();
const project = config.projects[0];
const slugs = [project.index, ...project.pages.filter((p) => p.slug).map((p) => p.slug)];
fs.mkdirSync(path.join(out, "build"), { recursive: true });
fs.copyFileSync(path.join(import.meta.dirname, "dist", "theme.js"), path.join(out, "build", "theme.js"));

const assets = new Set();
const collect = (node) => {
  if (node.type === "anywidget") for (const key of ["esm", "css"]) if (node[key]) assets.add(node[key]);
  for (const child of node.children || []) collect(child);
};
const nav = slugs.map((s) => `<a href="${s}.html">${s}</a>`).join(" · ");
for (const slug of new Set(slugs)) {
  const page = await (await get(`${cdn}/content/${slug}.json`)).json();
  collect(page.mdast);
  const json = JSON.stringify(page).replace(/</g, "\\u003c");
  const title = String(page.frontmatter?.title ?? slug).replace(/[<&]/g, "");
  fs.writeFileSync(
    path.join(out, `${slug}.html`),
    `<!doctype html>\n<html class="light" lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
      // no Tailwind here: size the link icons myst-to-react adds, which default to the full width
      `<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto}html.dark body{background:#111;color:#eee}` +
      `a>svg{width:1em;height:1em}</style>` +
      `</head><body><nav>${nav}</nav><h1>${title}</h1><div id="myst-root"></div>` +
      `<script type="application/json" id="myst-page">${json}</script>` +
      `<script type="module" src="build/theme.js"></script></body></html>\n`,
  );
}
for (const asset of assets) {
  const body = Buffer.from(await (await get(`${cdn}${asset}`)).arrayBuffer());
  fs.writeFileSync(path.join(out, "build", asset.replace(/^\//, "")), body);
}
console.log(`rendered ${slugs.length} pages and ${assets.size} widget files into ${out}`);
