project = "Build test: errors"
extensions = ["stlite_docs.sphinx_ext", "myst_parser"]
exclude_patterns = ["_build"]
# Each test builds one document: root_doc and include_patterns are overridden.
