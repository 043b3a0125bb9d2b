project = "Build test: small"
extensions = ["stlite_docs.sphinx_ext"]
exclude_patterns = ["_build"]
