project = "Build test: file"
extensions = ["stlite_docs.sphinx_ext"]
exclude_patterns = ["_build"]
