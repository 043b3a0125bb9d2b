// The page in the browser: the page's MyST AST rendered with the @myst-theme renderers the book
// theme uses (myst-to-react's defaults and @myst-theme/anywidget's, which renders each widget
// into a shadow root), inside @myst-theme/providers' ThemeProvider. The scheme is the book
// theme's convention: <html class="light"> or <html class="dark">.
import { useState } from "react";
import { createRoot } from "react-dom/client";
import { ThemeProvider, mergeRenderers } from "@myst-theme/providers";
import { MyST, DEFAULT_RENDERERS } from "myst-to-react";
import { ANY_RENDERERS } from "@myst-theme/anywidget";

const renderers = mergeRenderers([DEFAULT_RENDERERS, ANY_RENDERERS]);
const page = JSON.parse(document.getElementById("myst-page").textContent);

// mystmd names widget files from the site's root; the render step put them under build/.
(function localAssets(node) {
  if (node.type === "anywidget") {
    for (const key of ["esm", "css"]) {
      if (node[key]) node[key] = new URL(`build${node[key]}`, document.baseURI).href;
    }
  }
  for (const child of node.children || []) localAssets(child);
})(page.mdast);

function App() {
  const [theme, setTheme] = useState(document.documentElement.className || "light");
  const toggle = () => {
    const next = theme === "dark" ? "light" : "dark";
    document.documentElement.className = next;
    setTheme(next);
  };
  return (
    <ThemeProvider theme={theme} setTheme={setTheme} renderers={renderers} staticBuild>
      <button id="theme-toggle" type="button" onClick={toggle}>Toggle dark mode</button>
      <article>
        <MyST ast={page.mdast.children} />
      </article>
    </ThemeProvider>
  );
}

createRoot(document.getElementById("myst-root")).render(<App />);
