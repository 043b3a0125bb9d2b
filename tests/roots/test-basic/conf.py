project = "Build test: basic"
extensions = ["stlite_docs.sphinx_ext", "myst_parser"]
exclude_patterns = ["_build"]
