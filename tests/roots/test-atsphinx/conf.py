# A project written for atsphinx-stlite; only the extension name is changed.
project = "atsphinx-stlite project"
extensions = ["stlite_docs.sphinx_ext", "myst_parser"]
