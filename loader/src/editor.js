// @ts-check
/**
 * The code editor of `layout: editor` apps: CodeMirror 6 with Python, built as a file of its
 * own (stlite-docs-editor.js) that mount.js imports only when a page has an editor app, after
 * that app's mount has begun: a page without editors never downloads it, and the loader every
 * page pays before an app starts does not grow.
 *
 * What it takes from the site rather than carrying its own look: the code font, size and
 * background (mount.js's fitToSite sets them on the app's block), and the syntax colours. Its
 * tokens get the class names of Pygments, which Sphinx, MkDocs and Zensical highlight code
 * with, and the editor sits in the site's own highlighted block, where the site's stylesheet
 * colours those classes in light and in dark, following the site's toggle with no code here.
 *
 * Keys: CodeMirror's defaults (undo/redo, search, indent), Tab indents, Escape then Tab leaves
 * the editor (CodeMirror's way out of a Tab-taking field), Ctrl/Cmd+Enter runs.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { localCompletionSource, python } from "@codemirror/lang-python";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState, Prec } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightSpecialChars, keymap, lineNumbers } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import { buildEditors } from "./editor-box.js";

/** @typedef {import("@codemirror/autocomplete").CompletionContext} CompletionContext */
/** @typedef {import("@codemirror/autocomplete").CompletionResult} CompletionResult */
/**
 * @typedef {{name: string, type: string}} Completion What the runtime's Jedi offers: a name
 *   (the whole identifier) and Jedi's type of it ("module", "class", "function", "instance",
 *   "keyword", "param", "statement", "property", "path")
 */
/**
 * @typedef {(code: string, line: number, column: number) => Promise<Completion[] | undefined>} Complete
 *   Completions at a 1-based line and 0-based column of `code`; undefined: none to be had (yet)
 */
/**
 * Python that answers the editor's completions in the app's runtime (through stlite's
 * runPython): Jedi's completions at a 1-based line and 0-based column of `code`, as JSON
 * [{name, type}]. Jedi is loaded on the first request (Pyodide has it; a page whose reader
 * never types in an editor never loads it), and the runtime's modules (streamlit, the app's
 * requirements) are what it completes from.
 * @param {string} code
 * @param {number} line
 * @param {number} column
 */
const completionCode = (code, line, column) => `
async def __stlite_docs_complete(code, line, column):
    import json
    try:
        import jedi
    except ImportError:
        import micropip
        await micropip.install("jedi")
        import jedi
    found = jedi.Script(code).complete(line, column)
    return json.dumps([{"name": c.name, "type": c.type} for c in found[:200]])
await __stlite_docs_complete(${JSON.stringify(code)}, ${line | 0}, ${column | 0})
`;


/**
 * Lezer's Python tags as Pygments' classes (what `.highlight .k` and the like colour in the
 * site's stylesheet), each with CodeMirror's own `tok-` name too.
 */
const PYGMENTS = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.operatorKeyword], class: "k tok-keyword" },
  { tag: t.moduleKeyword, class: "kn tok-keyword" },
  { tag: [t.bool, t.null, t.self], class: "kc tok-atom" },
  { tag: t.docString, class: "sd tok-string" },
  { tag: [t.string, t.special(t.string)], class: "s2 tok-string" },
  { tag: t.escape, class: "se tok-string2" },
  { tag: [t.comment, t.lineComment], class: "c1 tok-comment" },
  { tag: t.number, class: "mi tok-number" },
  { tag: t.function(t.definition(t.variableName)), class: "nf tok-variableName tok-definition" },
  { tag: t.definition(t.className), class: "nc tok-className tok-definition" },
  { tag: t.meta, class: "nd tok-meta" },
  { tag: [t.operator, t.compareOperator, t.arithmeticOperator, t.logicOperator, t.bitwiseOperator, t.updateOperator], class: "o tok-operator" },
  { tag: [t.punctuation, t.paren, t.squareBracket, t.brace, t.separator, t.derefOperator], class: "p tok-punctuation" },
  { tag: t.invalid, class: "err tok-invalid" },
]);

/** The site's code font and background (fitToSite) and colours that read in either scheme. */
const LOOK = EditorView.theme({
  "&": { background: "var(--stlite-docs-code-bg, transparent)", color: "inherit", borderRadius: "6px", border: "1px solid #7f7f7f59" },
  "&.cm-focused": { outline: "2px solid var(--stlite-docs-primary, #2a6fdb)", outlineOffset: "1px" },
  ".cm-scroller": { font: "var(--stlite-docs-code-font, 0.85rem/1.5 ui-monospace, monospace)", maxHeight: "40em", overflow: "auto" },
  ".cm-content": { padding: "0.5em 0", caretColor: "currentColor" },
  ".cm-line": { padding: "0 0.8em" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "currentColor" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    background: "color-mix(in srgb, currentColor 22%, transparent) !important",
  },
  ".cm-activeLine": { background: "transparent" },
  "&.cm-focused .cm-activeLine": { background: "color-mix(in srgb, currentColor 5%, transparent)" },
  "&.cm-focused .cm-matchingBracket": { background: "color-mix(in srgb, currentColor 18%, transparent)", outline: "1px solid #7f7f7f80" },
  ".cm-selectionMatch": { background: "color-mix(in srgb, currentColor 10%, transparent)" },
  ".cm-gutters": { background: "transparent", color: "inherit", opacity: "0.55", border: "0" },
  ".cm-panels": { background: "var(--stlite-docs-code-bg, Canvas)", color: "inherit" },
  ".cm-tooltip": { background: "var(--stlite-docs-page-bg, Canvas)", color: "inherit", border: "1px solid #7f7f7f59" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { background: "var(--stlite-docs-primary, #2a6fdb)", color: "var(--stlite-docs-on-primary, #fff)" },
});

/**
 * Typing over a selection of several lines is the editor's own change: left to Chromium, its
 * edit merges the lines' elements with inline styles, which a strict Content Security Policy
 * (style-src without 'unsafe-inline') blocks and reports. Same text either way.
 */
const overSelection = EditorView.domEventHandlers({
  beforeinput(e, view) {
    const { from, to, empty } = view.state.selection.main;
    const doc = view.state.doc;
    if (e.inputType !== "insertText" || !e.data || empty || doc.lineAt(from).number === doc.lineAt(to).number) return false;
    e.preventDefault();
    view.dispatch({ ...view.state.replaceSelection(e.data), scrollIntoView: true, userEvent: "input.type" });
    return true;
  },
});

/** CodeMirror's completion icons by Jedi's types. */
const TYPES = /** @type {Record<string, string>} */ ({
  module: "namespace",
  class: "class",
  function: "function",
  instance: "variable",
  statement: "variable",
  param: "variable",
  property: "property",
  keyword: "keyword",
});

/**
 * A completion source asking `complete` (the app's runtime), with the editor's own local
 * names while there is no runtime to ask.
 * @param {Complete} complete
 */
function completionSource(complete) {
  /** @param {CompletionContext} context @returns {Promise<CompletionResult | null>} */
  return async (context) => {
    const word = context.matchBefore(/[\w.]*/);
    // after a name or a dot, or when asked (Ctrl+Space); not in the middle of nothing
    if (!context.explicit && (!word || word.from === word.to)) return null;
    const line = context.state.doc.lineAt(context.pos);
    const found = await complete(context.state.doc.toString(), line.number, context.pos - line.from).catch(() => undefined);
    if (context.aborted) return null;
    if (!found) return localCompletionSource(context);
    const from = /** @type {{from: number}} */ (context.matchBefore(/\w*/)).from;
    return {
      from,
      options: found.map((c) => ({ label: c.name, type: TYPES[c.type] || "text" })),
      validFor: /^\w*$/,
    };
  };
}

/**
 * The editor layout's code pane as CodeMirror editors (editor-box.js).
 * @param {HTMLElement} el the app element
 * @param {import("./config.js").AppConfig} cfg
 * @param {Record<string, string>} author
 * @param {import("./editor-box.js").EditorHooks} hooks
 */
export const addEditors = (el, cfg, author, hooks) => buildEditors(el, cfg, author, hooks, createEditor);

/**
 * A Python editor.
 * @type {import("./editor-box.js").CreateEditor}
 */
export function createEditor(options) {
  /** @type {Complete} */
  const complete = async (code, line, column) => {
    const json = await options.runPython(completionCode(code, line, column));
    return json === undefined ? undefined : JSON.parse(String(json));
  };
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (options.run(), true) }])),
        options.lineNumbers ? lineNumbers() : [],
        options.nonce ? EditorView.cspNonce.of(options.nonce) : [],
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        python(),
        syntaxHighlighting(PYGMENTS),
        autocompletion({ override: [completionSource(complete)], activateOnTypingDelay: 150 }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        EditorView.lineWrapping,
        overSelection,
        EditorView.contentAttributes.of({ "aria-label": options.label }),
        EditorView.updateListener.of((update) => update.docChanged && options.changed(update.state.doc.toString())),
        LOOK,
      ],
    }),
  });
  return {
    get: () => view.state.doc.toString(),
    set: (doc) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } }),
  };
}
